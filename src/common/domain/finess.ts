import { Result, fail, ok } from './result';

/**
 * FINESS check (SPEC §2): 9 characters, the department first (2A/2B for Corsica), the last a
 * Luhn check digit over the first eight. For Corsica the letters are read as 0 for the key.
 */
export function checkFiness(raw: string): Result<string, string> {
  const finess = raw.trim().toUpperCase();
  if (!/^(\d{2}|2A|2B)\d{7}$/.test(finess)) return fail('must be 9 characters: 2 for the department (2A/2B for Corsica) and 7 digits');
  const expected = luhnDigit(finess.slice(0, 8));
  if (Number(finess[8]) !== expected) return fail(`Luhn check digit ${finess[8]} does not match (expected ${expected})`);
  return ok(finess);
}

/** The Luhn check digit of an 8-character FINESS body. */
export function luhnDigit(body8: string): number {
  const digits = body8.replace(/[AB]/g, '0');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function withFinessKey(body8: string): string {
  return body8.toUpperCase() + String(luhnDigit(body8.toUpperCase()));
}
