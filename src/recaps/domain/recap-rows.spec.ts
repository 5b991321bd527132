import fc from 'fast-check';
import { SeenPatients } from './recap-rows';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const pseudonym = fc.array(fc.constantFrom(...ALPHABET), { minLength: 10, maxLength: 10 }).map((cs) => `P-${cs.join('')}`);

describe('patients seen in one recap (duplicates, SPEC §11)', () => {
  it('remembers the first line of every pseudonym, as a Map would, however many there are', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pseudonym, fc.string({ minLength: 1, maxLength: 30 })), { maxLength: 3_000 }), (keys) => {
        const seen = new SeenPatients();
        const reference = new Map<string, number>();
        keys.forEach((key, line) => {
          expect(seen.get(key)).toBe(reference.get(key));
          if (!reference.has(key)) {
            reference.set(key, line);
            seen.set(key, line);
          }
        });
        expect(seen.size).toBe(reference.size);
      }),
      { numRuns: 60 },
    );
  });

  it('tells apart pseudonyms that differ in one character, including the first and last', () => {
    const seen = new SeenPatients();
    seen.set('P-AAAAAAAAAA', 2);
    expect(seen.get('P-AAAAAAAAAB')).toBeUndefined();
    expect(seen.get('P-BAAAAAAAAA')).toBeUndefined();
    expect(seen.get('P-9999999999')).toBeUndefined();
    seen.set('P-9999999999', 3);
    expect([seen.get('P-AAAAAAAAAA'), seen.get('P-9999999999')]).toEqual([2, 3]);
  });
});
