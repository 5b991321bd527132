import fc from 'fast-check';
import { OrderedCodeSets, TextCodes, ValueCodes, NONE } from './report-aggregates';
import { countCategories, countCategoriesOf, describeNumeric, describeNumericColumn } from './report-statistics';

describe('report aggregates (issue 15)', () => {
  it('OrderedCodeSets holds each owner its codes in insertion order, as arrays would', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ owner: fc.integer({ min: 0, max: 5 }), code: fc.oneof(fc.integer({ min: 0, max: 33 }), fc.integer({ min: 0, max: 70 })) }), { maxLength: 200 }), (adds) => {
        const sets = new OrderedCodeSets();
        sets.reserve(6);
        const model = Array.from({ length: 6 }, () => [] as number[]);
        for (const { owner, code } of adds) {
          expect(sets.includes(owner, code)).toBe(model[owner]?.includes(code));
          if (!sets.includes(owner, code)) {
            sets.add(owner, code);
            model[owner]?.push(code);
          }
        }
        model.forEach((codes, owner) => {
          const seen: number[] = [];
          sets.forEach(owner, (c) => seen.push(c));
          expect(seen).toEqual(codes);
        });
      }),
    );
  });

  it('TextCodes and ValueCodes give one code a distinct text or value, -0 apart from 0, objects by their JSON', () => {
    const texts = new TextCodes();
    expect([texts.code('a'), texts.code('b'), texts.code('a'), texts.optional(null), texts.optional(undefined)]).toEqual([0, 1, 0, NONE, NONE]);
    expect(texts.orNull(NONE)).toBeNull();
    const values = new ValueCodes();
    const list = ['x', 'y'];
    const codes = [values.code(0), values.code(-0), values.code('0'), values.code(list), values.code(['x', 'y']), values.code(undefined), values.code(null), values.code(NaN), values.code(NaN)];
    expect(codes).toEqual([0, 1, 2, 3, 3, NONE, 4, 5, 5]);
    expect(Object.is(values.value(1), -0)).toBe(true);
    expect(values.value(3)).toBe(list);
    values.seal();
    expect(values.value(2)).toBe('0');
  });

  it('describeNumericColumn and countCategoriesOf give what describeNumeric and countCategories give', () => {
    const values = fc.array(fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, 1, NaN, Infinity)), { maxLength: 60 });
    fc.assert(fc.property(values, (xs) => expect(describeNumericColumn(Float64Array.from(xs))).toStrictEqual(describeNumeric(xs))));
    const texts = fc.array(fc.option(fc.constantFrom('a', 'b', '', 'c'), { nil: undefined }), { maxLength: 30 });
    fc.assert(fc.property(texts, fc.subarray(['c', 'a', 'z']), (xs, order) => expect(countCategoriesOf(xs.length, (k) => xs[k], order)).toStrictEqual(countCategories(xs, order))));
  });
});
