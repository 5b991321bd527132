import fc from 'fast-check';
import { withNirKey } from './nir';
import { PSEUDONYM_PATTERN, hashNir, pseudonymOf } from './pseudonym';

describe('patient identity', () => {
  const secret = 'test-secret-0123456789';
  it('gives the same hash and pseudonym for the same NIR', () => {
    const nir = withNirKey('1841276451089');
    expect(hashNir(nir, secret)).toBe(hashNir(nir, secret));
    expect(pseudonymOf(hashNir(nir, secret), secret)).toBe(pseudonymOf(hashNir(nir, secret), secret));
  });
  it('never contains the NIR digits in the hash input form it stores', () => {
    const nir = withNirKey('1841276451089');
    expect(hashNir(nir, secret)).not.toContain(nir);
    expect(hashNir(nir, secret)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('depends on the secret', () => {
    const nir = withNirKey('1841276451089');
    expect(hashNir(nir, secret)).not.toBe(hashNir(nir, 'another-secret-0123456789'));
  });
  it('always has the pseudonym shape', () => {
    fc.assert(fc.property(fc.string(), (s) => expect(pseudonymOf(hashNir(s, secret), secret)).toMatch(PSEUDONYM_PATTERN)));
  });
});
