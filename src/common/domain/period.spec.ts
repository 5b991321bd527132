import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addPeriods, dateOf, isPeriod, periodBounds, periodOf, periodRange, isIsoDate, addDays, daysBetween } from './period';

describe('periods in Europe/Paris', () => {
  it('puts 23:30 UTC on the last day of a winter month in the next period', () => {
    expect(periodOf(new Date('2023-01-31T23:30:00Z'))).toBe('2023-02');
  });
  it('puts 22:30 UTC on the last day of a summer month in the next period', () => {
    expect(periodOf(new Date('2023-06-30T22:30:00Z'))).toBe('2023-07');
  });
  it('keeps 21:30 UTC on the last day of a summer month in that month', () => {
    expect(periodOf(new Date('2023-06-30T21:30:00Z'))).toBe('2023-06');
  });
  it('refuses a thirteenth month', () => {
    expect(isPeriod('2023-13')).toBe(false);
    expect(isPeriod('2023-00')).toBe(false);
    expect(isPeriod('2023-12')).toBe(true);
  });
  it('refuses an impossible date', () => {
    expect(isIsoDate('2023-02-30')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });
  it('steps across years', () => {
    expect(addPeriods('2023-12', 1)).toBe('2024-01');
    expect(periodRange('2022-11', '2023-02')).toEqual(['2022-11', '2022-12', '2023-01', '2023-02']);
    expect(periodBounds('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
  });
  it('counts days', () => {
    expect(addDays('2023-01-01', 4)).toBe('2023-01-05');
    expect(daysBetween('2023-03-25', '2023-03-27')).toBe(2);
  });

  // The fast paths (month arithmetic, one Intl formatter) against the calendar library they replaced.
  it('adds periods as the calendar does, across years both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -400, max: 400 }), (year, month, n) => {
        const period = `${year}-${String(month).padStart(2, '0')}`;
        expect(addPeriods(period, n)).toBe(DateTime.fromFormat(period, 'yyyy-MM', { zone: 'Europe/Paris' }).plus({ months: n }).toFormat('yyyy-MM'));
      }),
      { numRuns: 2000 },
    );
  });
  it('dates an instant in Europe/Paris as the calendar does, around every change of offset', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }), (instant) => {
        const paris = DateTime.fromJSDate(instant, { zone: 'Europe/Paris' });
        expect(dateOf(instant)).toBe(paris.toFormat('yyyy-MM-dd'));
        expect(periodOf(instant)).toBe(paris.toFormat('yyyy-MM'));
      }),
      { numRuns: 2000 },
    );
  });
  it('dates instants asked one after another as each alone, whether the day before is kept or not', () => {
    // Instants within a day or two of each other, across the offset changes: the kept day answers some, not others.
    const near = fc.tuple(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), fc.array(fc.integer({ min: -36 * 3600_000, max: 36 * 3600_000 }), { minLength: 1, maxLength: 20 }));
    fc.assert(
      fc.property(near, ([base, offsets]) => {
        for (const offset of offsets) {
          const instant = new Date(base.getTime() + offset);
          expect(dateOf(instant)).toBe(DateTime.fromJSDate(instant, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd'));
        }
      }),
      { numRuns: 1000 },
    );
    // Both edges of a kept day: its first and last millisecond, and the next day's first, on a 23-hour and a 25-hour day.
    for (const [first, next] of [['2023-03-25T23:00:00Z', '2023-03-26T22:00:00Z'], ['2023-10-28T22:00:00Z', '2023-10-29T23:00:00Z']]) {
      const from = Date.parse(first!);
      const to = Date.parse(next!);
      const day = DateTime.fromMillis(from, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd');
      expect(dateOf(new Date(from + 1000))).toBe(day);
      expect(dateOf(new Date(from))).toBe(day);
      expect(dateOf(new Date(to - 1))).toBe(day);
      expect(dateOf(new Date(to))).toBe(DateTime.fromMillis(to, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd'));
      expect(dateOf(new Date(from - 1))).toBe(DateTime.fromMillis(from - 1, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd'));
    }
    for (const utc of ['2023-03-25T23:00:00Z', '2023-03-26T00:59:59Z', '2023-10-28T21:59:59Z', '2023-10-28T22:00:00Z', '2023-12-31T23:00:00Z'])
      expect(dateOf(new Date(utc))).toBe(DateTime.fromISO(utc, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd'));
  });
});
