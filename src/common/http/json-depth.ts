/**
 * True when the JSON text nests arrays/objects deeper than `maxDepth` (#12.2). One linear pass over
 * the raw bytes, strings and their escapes skipped, so that a body of a million `[` is refused in
 * time proportional to its (already bounded) size, before JSON.parse ever sees it.
 */
export function jsonNestedDeeperThan(body: Uint8Array, maxDepth: number): boolean {
  return inspectJson(body, maxDepth) === 'TOO_DEEP';
}

/**
 * The same pass, also finding a `\u0000` escape in a string: PostgreSQL cannot store a NUL
 * character in text, so such a body is refused here (400) rather than failing in the driver (500).
 */
export function inspectJson(body: Uint8Array, maxDepth: number): 'OK' | 'TOO_DEEP' | 'NUL_CHARACTER' {
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  const ZERO = 0x30;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) {
        if (body[i + 1] === 0x75 && body[i + 2] === ZERO && body[i + 3] === ZERO && body[i + 4] === ZERO && body[i + 5] === ZERO) return 'NUL_CHARACTER';
        i++;
      } else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth++;
      if (depth > maxDepth) return 'TOO_DEEP';
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return 'OK';
}
