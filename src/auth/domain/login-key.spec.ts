import fc from 'fast-check';
import { loginCounterKey, normaliseUsername, usernameOf } from './login-key';

describe('login counter key', () => {
  it('gives one counter to a username however it is spaced or cased', () => {
    expect(new Set(['agency', 'agency ', ' Agency', 'AGENCY\t', 'ａｇｅｎｃｙ'].map((u) => loginCounterKey('10.0.0.1', u)))).toEqual(new Set(['10.0.0.1|agency']));
  });

  it('keeps addresses apart', () => {
    expect(loginCounterKey('10.0.0.1', 'agency')).not.toBe(loginCounterKey('10.0.0.2', 'agency'));
  });

  it('is idempotent: a normalised name normalises to itself', () => {
    fc.assert(fc.property(fc.string(), (name) => expect(normaliseUsername(normaliseUsername(name))).toBe(normaliseUsername(name))));
  });

  it('looks a user up trimmed but with its case kept (Corsican FINESS in pui-2A…)', () => {
    expect(usernameOf(' pui-2A9900018 ')).toBe('pui-2A9900018');
  });
});
