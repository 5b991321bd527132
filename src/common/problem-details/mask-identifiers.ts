/**
 * Never echo a value that could be a patient identifier (SPEC §8, #12.4). A NIR is 13 digits and an
 * optional 2-digit key, with 2A/2B in place of the department's digits for Corsica, often written
 * with spaces, dots or dashes between its groups. Anything shaped like one, in any member of a
 * problem (detail, field, reason, instance, extra members), is replaced: the message still says
 * what is wrong, without the value.
 */
export const MASK = '[identifier withheld]';

const SEP = '[\\s.\\-\\u00a0]{0,3}';
const DIGIT_OR_CORSICA = `(?:\\d|2${SEP}[AaBb])`;
// 13 or more characters of a NIR body (digits, one 2A/2B allowed), separators between any of them.
const NIR_LIKE = new RegExp(`(?<![\\dA-Za-z])(?:\\d${SEP}){5}${DIGIT_OR_CORSICA}(?:${SEP}\\d){6,}(?![\\dA-Za-z])|(?<!\\d)(?:\\d${SEP}){12,}\\d(?!\\d)`, 'g');

// Ids are UUIDs: their digit groups can read like a NIR written with dashes ("…-b152-4487-8079-40e0…"), and an
// id is never a patient identifier, so UUIDs are kept whole and only the text around them is masked.
const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

export function maskIdentifierText(text: string): string {
  let out = '';
  let from = 0;
  for (const id of text.matchAll(UUID)) {
    out += text.slice(from, id.index).replace(NIR_LIKE, MASK) + id[0];
    from = id.index + id[0].length;
  }
  return out + text.slice(from).replace(NIR_LIKE, MASK);
}

/** The same value with every NIR-like string masked, walked to any depth (problems are small). */
export function maskIdentifiers<T>(value: T): T {
  return maskDeep(value, 0) as T;
}

function maskDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskIdentifierText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [maskIdentifierText(k), maskDeep(v, depth + 1)]));
}
