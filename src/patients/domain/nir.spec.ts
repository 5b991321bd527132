import fc from 'fast-check';
import { checkNir, withNirKey } from './nir';

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
