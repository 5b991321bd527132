import { RecapRowBuffer } from './recap-row-buffer';

describe('recap row buffer', () => {
  it('gives back every row as it was pushed, across chunk boundaries, with totals', () => {
    const buffer = new RecapRowBuffer();
    const n = 70_000;
    for (let i = 0; i < n; i++) {
      buffer.push({ line: i + 2, patient: `P-${String(i).padStart(10, 'A')}`, administrations: i % 3, administrationDates: i === 65_536 ? ['2023-04-03'] : null, vials: i % 5 });
    }
    expect(buffer.length).toBe(n);
    expect(buffer.at(0)).toEqual({ line: 2, patient: 'P-AAAAAAAAA0', administrations: 0, administrationDates: null, vials: 0 });
    expect(buffer.at(65_536)).toEqual({ line: 65_538, patient: 'P-AAAAA65536', administrations: 65_536 % 3, administrationDates: ['2023-04-03'], vials: 65_536 % 5 });
    expect(buffer.vials).toBe(Array.from({ length: n }, (_, i) => i % 5).reduce((a, b) => a + b, 0));
    expect(() => buffer.at(n)).toThrow(RangeError);
  });

  it('refuses anything but a pseudonym (a raw NIR is never kept)', () => {
    expect(() => new RecapRowBuffer().push({ line: 2, patient: '185037512345678', administrations: 1, administrationDates: null, vials: 1 })).toThrow(RangeError);
  });
});
