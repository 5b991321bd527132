import { governingDate } from './governing-date';

describe('governingDate: the date whose policy governs a period', () => {
  it('is today within the period', () => expect(governingDate('2023-05', '2023-05-15')).toBe('2023-05-15'));
  it('is the first day of a period ahead of today', () => expect(governingDate('2023-07', '2023-05-15')).toBe('2023-07-01'));
  it('is the last day of a past period (28 days in February 2023)', () => expect(governingDate('2023-02', '2023-05-15')).toBe('2023-02-28'));
  it('keeps the period bounds themselves', () => {
    expect(governingDate('2023-05', '2023-05-01')).toBe('2023-05-01');
    expect(governingDate('2023-05', '2023-05-31')).toBe('2023-05-31');
  });
});
