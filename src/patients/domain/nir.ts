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

/** What the registration form says of the patient, to compare with the NIR's digits. */
export interface DeclaredIdentity {
  /** 'M' or 'F' (anything else is not compared). */
  sex: string;
  /** YYYY-MM-DD */
  birthDate: string;
}

/** The field reasons of a NIR that contradicts the form (never quoting the NIR's digits). */
export const NIR_SEX_MISMATCH = 'does not match the sex digit of the NIR (1st digit)';
export const NIR_BIRTH_MISMATCH = 'does not match the birth year and month digits of the NIR (digits 2 to 5)';

/**
 * Compares a checked NIR with the form (SPEC §2): the 1st digit gives the sex (1 or 7 a man, 2 or
 * 8 a woman; 3 and 4 say nothing), digits 2–3 the birth year's last two digits, digits 4–5 the
 * birth month (01–12; 20, 30–42 and 50–99 mean unknown or a special case, which is not compared).
 * Returns the field reasons, empty when the NIR agrees with the form.
 */
export function nirIdentityMismatches(nir: string, declared: DeclaredIdentity): { field: 'sex' | 'birthDate'; reason: string }[] {
  const out: { field: 'sex' | 'birthDate'; reason: string }[] = [];
  const sexDigit = nir.charAt(0);
  const nirSex = sexDigit === '1' || sexDigit === '7' ? 'M' : sexDigit === '2' || sexDigit === '8' ? 'F' : null;
  if (nirSex !== null && (declared.sex === 'M' || declared.sex === 'F') && declared.sex !== nirSex) out.push({ field: 'sex', reason: NIR_SEX_MISMATCH });
  const birth = /^(\d{4})-(\d{2})-\d{2}$/.exec(declared.birthDate);
  if (birth) {
    const [, year = '', month = ''] = birth;
    const nirYear = nir.slice(1, 3);
    const nirMonth = Number(nir.slice(3, 5));
    const monthKnown = nirMonth >= 1 && nirMonth <= 12;
    if (nirYear !== year.slice(2) || (monthKnown && nirMonth !== Number(month))) out.push({ field: 'birthDate', reason: NIR_BIRTH_MISMATCH });
  }
  return out;
}
