/**
 * True when the JSON text nests arrays/objects deeper than `maxDepth` (#12.2). One linear pass over
 * the raw bytes, strings and their escapes skipped, so that a body of a million `[` is refused in
 * time proportional to its (already bounded) size, before JSON.parse ever sees it.
 */
export function jsonNestedDeeperThan(body: Uint8Array, maxDepth: number): boolean {
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}
