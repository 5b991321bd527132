import fc from 'fast-check';
import { inspectJson, jsonNestedDeeperThan } from './json-depth';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('jsonNestedDeeperThan', () => {
  it('accepts a body nested exactly to the limit and refuses one level more', () => {
    expect(jsonNestedDeeperThan(bytes(nested(32)), 32)).toBe(false);
    expect(jsonNestedDeeperThan(bytes(nested(33)), 32)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonNestedDeeperThan(bytes(JSON.stringify({ a: '[[[[[[[[[[', b: 'say \\"[[[[[[[[[[\\"' })), 3)).toBe(false);
  });

  it('refuses a million opening brackets without a closing one, quickly', () => {
    const started = Date.now();
    expect(jsonNestedDeeperThan(Buffer.alloc(1_000_000, '['), 32)).toBe(true);
    expect(jsonNestedDeeperThan(Buffer.alloc(1_000_000, '1'), 32)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('agrees with the depth of any JSON value', () => {
    const depthOf = (value: unknown): number =>
      Array.isArray(value) ? 1 + Math.max(0, ...value.map(depthOf)) : value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        expect(jsonNestedDeeperThan(bytes(JSON.stringify(value)), limit)).toBe(depthOf(value) > limit);
      }),
    );
  });

  it('finds a \\u0000 escape in a string, not an escaped backslash followed by u0000', () => {
    expect(inspectJson(bytes(JSON.stringify({ a: 'x\u0000y' })), 32)).toBe('NUL_CHARACTER');
    expect(inspectJson(bytes(JSON.stringify({ a: 'x\\u0000y' })), 32)).toBe('OK');
    expect(inspectJson(bytes(JSON.stringify({ a: 'x\u0001y' })), 32)).toBe('OK');
  });
});
