import { backoffDelay, familyOf, isJobName, isPeriodJob, jobIdOf, jobKeyOf, periodToReconcile, queueNameOf } from './job-keys';

describe('job ids (SPEC §7: a job id per medicine and period)', () => {
  it('names a monthly job by medicine and period, so a second enqueue is the same job', () => {
    expect(jobIdOf('reconciliation.run', { medicine: 'NULOJIX', period: '2023-04' })).toBe('reconciliation.run:NULOJIX:2023-04');
    expect(jobIdOf('reconciliation.run', { period: '2023-04', medicine: 'NULOJIX' })).toBe(jobIdOf('reconciliation.run', { medicine: 'NULOJIX', period: '2023-04' }));
  });

  it('names a daily job by its date', () => {
    expect(jobIdOf('grants.expire', { date: '2023-05-15' })).toBe('grants.expire:daily:2023-05-15');
    expect(jobKeyOf({ date: '2023-05-15' })).toBe('daily:2023-05-15');
  });

  it('names the period start, a job about a whole period, by its period only (one job a month, however often queued)', () => {
    expect(isPeriodJob('allocation.start-period')).toBe(true);
    expect(isPeriodJob('allocation.compute')).toBe(false);
    const id = jobIdOf('allocation.start-period', { period: '2023-05' });
    expect(id).toBe('allocation.start-period:period:2023-05');
    expect(id.split(':')).toHaveLength(3);
    expect(jobKeyOf({ period: '2023-05' }, 'allocation.start-period')).toBe('period:2023-05');
    expect(jobIdOf('allocation.start-period', { period: '2023-05' }, 'manual-1')).toBe('allocation.start-period:period:2023-05+manual-1');
    expect(() => jobIdOf('allocation.start-period', { medicine: 'NULOJIX', period: '2023-05' })).toThrow(RangeError);
    expect(() => jobIdOf('allocation.start-period', { date: '2023-05-01' })).toThrow(RangeError);
    expect(() => jobIdOf('allocation.start-period', { period: '2023-13' })).toThrow(RangeError);
    // Any other job still needs a medicine with its period.
    expect(() => jobIdOf('allocation.compute', { period: '2023-05' })).toThrow(RangeError);
  });

  it('keeps three colon-separated parts even for a deliberate re-run (BullMQ custom ids)', () => {
    const id = jobIdOf('reconciliation.run', { medicine: 'NULOJIX', period: '2023-04' }, 'recap-0f3a');
    expect(id).toBe('reconciliation.run:NULOJIX:2023-04+recap-0f3a');
    expect(id.split(':')).toHaveLength(3);
  });

  it('refuses a target that is neither a medicine and period nor a date', () => {
    expect(() => jobIdOf('reconciliation.run', { medicine: 'NULOJIX' })).toThrow(RangeError);
    expect(() => jobIdOf('reconciliation.run', { medicine: 'A:B', period: '2023-04' })).toThrow(RangeError);
    expect(() => jobIdOf('reconciliation.run', { medicine: 'NULOJIX', period: '2023-13' })).toThrow(RangeError);
    expect(() => jobIdOf('reconciliation.run', { date: '2023-02-30' })).toThrow(RangeError);
    expect(() => jobIdOf('reconciliation.run', { date: '2023-02-03' }, 'a:b')).toThrow(RangeError);
  });

  it('puts each job family on its own queue', () => {
    expect(isJobName('access-forms.overdue')).toBe(true);
    expect(isJobName('run')).toBe(false);
    expect(familyOf('access-forms.overdue')).toBe('access-forms');
    expect(queueNameOf('reconciliation.run')).toBe('contingent-reconciliation');
  });

  it('backs off exponentially between attempts', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, 1_000))).toEqual([1_000, 2_000, 4_000]);
    expect(() => backoffDelay(0, 1_000)).toThrow(RangeError);
  });

  it('reconciles the previous period on the 11th, across a year end', () => {
    expect(periodToReconcile('2023-05-11')).toBe('2023-04');
    expect(periodToReconcile('2024-01-11')).toBe('2023-12');
  });
});
