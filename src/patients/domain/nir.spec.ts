import fc from 'fast-check';
import { NIR_BIRTH_MISMATCH, NIR_SEX_MISMATCH, checkNir, nirIdentityMismatches, withNirKey } from './nir';

describe('NIR check', () => {
  it('accepts a valid NIR with its key', () => {
    // 1 84 12 76 451 089 → 97 − (1841276451089 mod 97)
    const nir = withNirKey('1841276451089');
    expect(checkNir(nir)).toEqual({ ok: true, value: nir });
  });
  it('accepts spaces and normalises them away', () => {
    const nir = withNirKey('2690599350123');
    const spaced = `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`;
    expect(checkNir(spaced)).toEqual({ ok: true, value: nir });
  });
  it('handles Corsica 2A as 19 and 2B as 18', () => {
    const a = withNirKey('185022A012345');
    const b = withNirKey('185022B012345');
    expect(checkNir(a).ok).toBe(true);
    expect(checkNir(b).ok).toBe(true);
    const keyA = 97 - Number(1850219012345n % 97n);
    expect(a.slice(13)).toBe(String(keyA).padStart(2, '0'));
  });
  it('refuses a wrong key, naming the expected one', () => {
    const nir = withNirKey('1841276451089');
    const wrong = nir.slice(0, 13) + String((Number(nir.slice(13)) % 97) + 1).padStart(2, '0');
    const result = checkNir(wrong);
    expect(result.ok).toBe(false);
  });
  it('refuses the wrong length and letters', () => {
    expect(checkNir('123').ok).toBe(false);
    expect(checkNir('18412764510X944').ok).toBe(false);
  });
  it('accepts every body with its computed key and refuses every other key', () => {
    fc.assert(
      fc.property(fc.constantFrom('1', '2'), fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 1, max: 97 }), (sex, rest, key) => {
        const body = sex + String(rest).padStart(12, '0');
        const nir = withNirKey(body);
        expect(checkNir(nir).ok).toBe(true);
        const other = body + String(key).padStart(2, '0');
        expect(checkNir(other).ok).toBe(other === nir);
      }),
    );
  });
});

describe('NIR against the form (sex, birth year and month)', () => {
  const nir = withNirKey('1840575123456'); // a man born in May 1984
  it('agrees with a form that says the same', () => {
    expect(nirIdentityMismatches(nir, { sex: 'M', birthDate: '1984-05-01' })).toEqual([]);
  });
  it('names the sex when the 1st digit says otherwise', () => {
    expect(nirIdentityMismatches(nir, { sex: 'F', birthDate: '1984-05-01' })).toEqual([{ field: 'sex', reason: NIR_SEX_MISMATCH }]);
  });
  it('names the birth date when the year or the month differs', () => {
    expect(nirIdentityMismatches(nir, { sex: 'M', birthDate: '1985-05-01' })).toEqual([{ field: 'birthDate', reason: NIR_BIRTH_MISMATCH }]);
    expect(nirIdentityMismatches(nir, { sex: 'M', birthDate: '1984-06-01' })).toEqual([{ field: 'birthDate', reason: NIR_BIRTH_MISMATCH }]);
    expect(nirIdentityMismatches(nir, { sex: 'F', birthDate: '2084-05-01' })).toEqual([{ field: 'sex', reason: NIR_SEX_MISMATCH }]);
  });
  it('does not compare an unknown birth month (20, 30–42, 50–99) nor a sex digit 3 or 4', () => {
    expect(nirIdentityMismatches(withNirKey('2842075123456'), { sex: 'F', birthDate: '1984-11-30' })).toEqual([]);
    expect(nirIdentityMismatches(withNirKey('3840575123456'), { sex: 'F', birthDate: '1984-05-30' })).toEqual([]);
  });
  it('never quotes the NIR in a reason, and agrees for every NIR built from the form (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('M', 'F'), fc.integer({ min: 1900, max: 2025 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99_999_999 }), (sex, year, month, rest) => {
        const body = `${sex === 'M' ? '1' : '2'}${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(rest).padStart(8, '0')}`;
        const built = withNirKey(body);
        const date = `${year}-${String(month).padStart(2, '0')}-15`;
        const other = nirIdentityMismatches(built, { sex: sex === 'M' ? 'F' : 'M', birthDate: `${year + 1}-${String(month).padStart(2, '0')}-15` });
        return nirIdentityMismatches(built, { sex, birthDate: date }).length === 0 && other.length === 2 && other.every((m) => !m.reason.includes(built.slice(1, 5)));
      }),
    );
  });
});
