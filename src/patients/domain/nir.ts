import { Result, fail, ok } from '../../common/domain/result';

/**
 * NIR / INS check (SPEC §2): 13 characters (digits, with 2A or 2B for Corsica at positions 6–7)
 * and a 2-digit key equal to 97 − (number mod 97), with 2A → 19 and 2B → 18.
 * Returns the normalised 15-character NIR (spaces removed, upper case).
 */
export function checkNir(raw: string): Result<string, string> {
  const nir = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[12378]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$/.test(nir)) {
    return fail('must be 15 characters: 13 digits (2A/2B allowed for Corsica) and a 2-digit key');
  }
  const body = nir.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(nir.slice(13));
  const expected = 97 - Number(BigInt(body) % 97n);
  if (key !== expected) return fail(`key ${nir.slice(13)} does not match (expected ${String(expected).padStart(2, '0')})`);
  return ok(nir);
}

/** Builds a valid NIR from its 13-character body, for seeds and tests. */
export function withNirKey(body13: string): string {
  const numeric = body13.toUpperCase().replace('2A', '19').replace('2B', '18');
  const key = 97 - Number(BigInt(numeric) % 97n);
  return body13.toUpperCase() + String(key).padStart(2, '0');
}
