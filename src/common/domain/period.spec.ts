import { addPeriods, isPeriod, periodBounds, periodOf, periodRange, isIsoDate, addDays, daysBetween } from './period';

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
});
