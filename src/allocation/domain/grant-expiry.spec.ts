import { DEFAULT_START_WITHIN_DAYS, grantTerm, isPastGrantTerm } from './grant-expiry';

describe('grant expiry (SPEC §5: a grant must be started within startWithinDays)', () => {
  it('runs from the day of the grant, the last day included', () => {
    const term = grantTerm('2023-05-02T08:00:00.000Z', '2023-05-01T08:00:00.000Z', 10);
    expect(term).toEqual({ grantedOn: '2023-05-02', startWithinDays: 10, lastStartDate: '2023-05-12' });
    expect(isPastGrantTerm(term, '2023-05-12')).toBe(false);
    expect(isPastGrantTerm(term, '2023-05-13')).toBe(true);
  });

  it('takes the submission day when the grant time is missing, and 30 days when the policy sets none', () => {
    const term = grantTerm(null, '2023-01-31T10:00:00.000Z', null);
    expect(term.startWithinDays).toBe(DEFAULT_START_WITHIN_DAYS);
    expect(term).toMatchObject({ grantedOn: '2023-01-31', lastStartDate: '2023-03-02' });
  });

  it('dates the grant in Europe/Paris: 23:30 UTC on 31 May is 1 June', () => {
    expect(grantTerm('2023-05-31T23:30:00.000Z', '2023-05-31T23:30:00.000Z', 0)).toMatchObject({ grantedOn: '2023-06-01', lastStartDate: '2023-06-01' });
  });
});
