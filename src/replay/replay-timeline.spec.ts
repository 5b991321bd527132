import fc from 'fast-check';
import { NULOJIX, NULOJIX_TIMELINE } from '../demo/demo-medicines';
import { demoReplayCentres, replayPolicies } from './demo-replay';
import { MonthPlan, ReplayPolicy, ReplayRow } from './domain/replay-model';
import { replayTimeline } from './domain/replay';
import { demoPlans, expandPlans } from './domain/request-stream';

const policies = replayPolicies(NULOJIX, NULOJIX_TIMELINE);
const centres = demoReplayCentres();
const CAPPED = ['2023-06', '2023-07', '2023-08', '2023-09'];
const FREED = ['2022-08', '2022-09', '2022-10', '2022-11', '2022-12', '2023-01', '2023-02', '2023-03', '2023-04'];

function replayPlans(plans: MonthPlan[], from: string, to: string, seed = 1, withPolicies: ReplayPolicy[] = policies): ReplayRow[] {
  const events = expandPlans(plans, { policies: withPolicies, centres, seed });
  const result = replayTimeline({ medicine: NULOJIX, policies: withPolicies, centres, events, from, to });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function replayDemo(seed: number, from = '2022-08', to = '2024-01'): ReplayRow[] {
  return replayPlans(demoPlans(from, to, seed), from, to, seed);
}

const row = (rows: ReplayRow[], period: string): ReplayRow => rows.find((r) => r.period === period)!;
const granted = (r: ReplayRow): number => r.urgentGranted + r.quotaGranted;
const empty = (period: string): MonthPlan => ({ period, urgent: 0, quota: 0, stops: 0, extraSupply: 0 });

describe('replay of the Nulojix timeline on the demo stream (SPEC §3, §12)', () => {
  const seeds = [1, 2, 3, 17, 2024];
  const runs = seeds.map((seed) => ({ seed, rows: replayDemo(seed) }));

  it('gives one row per period with the version and mode in force, mid-period versions listed', () => {
    const rows = runs[0]!.rows;
    expect(rows.map((r) => r.period)).toHaveLength(18);
    expect(rows.map((r) => r.policyVersions.join('→'))).toEqual([
      '2', '2', '2', '2', '2', '2', '2→3', '3', '3', '3→4', '4', '4', '4', '4', '4→5', '5', '5', '5→6',
    ]);
    expect(row(rows, '2023-05')).toMatchObject({ mode: 'capped', capacity: 50 });
    expect(row(rows, '2023-10')).toMatchObject({ mode: 'unrestricted', capacity: null });
    expect(row(rows, '2023-03').extraSupply).toBe(40);
  });

  it('is deterministic: the same seed gives the same table', () => {
    expect(replayDemo(5)).toEqual(replayDemo(5));
  });

  it('capped months: never more than 50 initiations, never more than 20 quota grants', () => {
    for (const { rows } of runs) {
      for (const period of ['2023-05', ...CAPPED]) {
        const r = row(rows, period);
        expect(granted(r)).toBeLessThanOrEqual(50);
        expect(r.quotaGranted).toBeLessThanOrEqual(20);
      }
    }
  });

  it('urgent is never blocked by quota: an approved urgent request waits only when national capacity is used up', () => {
    for (const { rows } of runs) for (const period of CAPPED) {
      const r = row(rows, period);
      if (r.waitlistedUrgent > 0) expect(granted(r)).toBe(50);
    }
  });

  it('unrestricted months: every request is granted, nothing waits', () => {
    for (const { rows } of runs) for (const period of ['2023-11', '2023-12', '2024-01']) {
      const r = row(rows, period);
      expect(r).toMatchObject({ urgentGranted: r.urgentAsked, quotaGranted: r.quotaAsked, refused: 0, waitlisted: 0 });
    }
  });

  it('restrictions lifted on 2023-10-02: the waiting queue is served at once', () => {
    for (const { rows } of runs) {
      const oct = row(rows, '2023-10');
      expect(oct.waitlisted).toBe(0);
      expect(oct.quotaGranted).toBeGreaterThanOrEqual(row(rows, '2023-09').waitlisted - row(rows, '2023-09').waitlistedUrgent);
    }
  });

  it('fairness: every centre stays strictly within one slot of its cumulative entitlement in every period (SPEC §13)', () => {
    for (const { rows } of runs) for (const r of rows) expect(r.largestDeviation).toBeLessThan(1);
  });

  it('freed-stock months: initiations never exceed the capacity freed by stops plus the lab\'s extras, cumulated', () => {
    for (const { rows } of runs) {
      let freed = 0;
      let grants = 0;
      for (const period of FREED) {
        const r = row(rows, period);
        freed += r.stops + r.extraSupply;
        grants += granted(r);
        expect(grants).toBeLessThanOrEqual(freed);
        expect(r.capacity).not.toBeNull();
        expect(granted(r)).toBeLessThanOrEqual(r.capacity!);
      }
    }
  });
});

describe('replay scenarios on given plans', () => {
  it('freed capacity left unused stays available: the March extras carry into April', () => {
    const rows = replayPlans([{ ...empty('2023-03'), urgent: 5, extraSupply: 40 }, { ...empty('2023-04'), urgent: 50 }], '2023-03', '2023-04');
    const march = row(rows, '2023-03');
    expect(march.capacity).toBe(40);
    const april = row(rows, '2023-04');
    expect(april.capacity).toBe(40 - march.urgentGranted);
    expect(granted(march) + granted(april)).toBeLessThanOrEqual(40);
  });

  it('a version taking effect mid-period: May is recomputed on 2023-05-09 with the full cap less what early May granted', () => {
    const early = Array.from({ length: 20 }, () => ({ day: 3, decision: 'approve' as const }));
    const late = Array.from({ length: 60 }, () => ({ day: 15, decision: 'approve' as const }));
    const rows = replayPlans([{ ...empty('2023-05'), urgent: [...early, ...late], stops: 0, extraSupply: 25 }], '2023-05', '2023-05');
    const may = row(rows, '2023-05');
    expect(may.policyVersions).toEqual([3, 4]);
    expect(may.urgentGranted).toBe(50);
    expect(may.waitlistedUrgent).toBe(30);
  });

  it('urgent before quota: urgent requests may use the quota pool\'s unused part', () => {
    const urgent = Array.from({ length: 45 }, () => ({ day: 10, decision: 'approve' as const }));
    const rows = replayPlans([{ ...empty('2023-06'), urgent, quota: 2 }], '2023-06', '2023-06');
    expect(row(rows, '2023-06')).toMatchObject({ urgentGranted: 45, quotaAsked: 2 });
    expect(granted(row(rows, '2023-06'))).toBeLessThanOrEqual(50);
  });

  it('quota grants never exceed the pool, and an urgent request approved with no capacity left heads the next period\'s queue', () => {
    const rows = replayPlans(
      [{ ...empty('2023-06'), quota: 60, urgent: Array.from({ length: 45 }, () => ({ day: 20, decision: 'approve' as const })) }, empty('2023-07')],
      '2023-06',
      '2023-07',
    );
    const june = row(rows, '2023-06');
    expect(june.quotaGranted).toBeLessThanOrEqual(20);
    expect(granted(june)).toBe(50);
    expect(june.waitlistedUrgent).toBe(45 - june.urgentGranted);
    expect(june.waitlistedUrgent).toBeGreaterThan(0);
    expect(row(rows, '2023-07').urgentGranted).toBe(june.waitlistedUrgent);
  });

  it('refuses committee rejections and requests for an indication the version in force does not enable', () => {
    const rows = replayPlans(
      [{ ...empty('2023-03'), urgent: [{ day: 2, decision: 'reject' }, { day: 2, indication: 'chronic-dysfunction-cni' }], quota: [{ finess: centres[0]!.finess, count: 3 }], stops: 10 }],
      '2023-03',
      '2023-03',
    );
    expect(row(rows, '2023-03')).toMatchObject({ urgentAsked: 2, quotaAsked: 3, refused: 5, urgentGranted: 0, quotaGranted: 0 });
  });

  it('a policy that carries unused slots and redistributes them stays fair and within the pool', () => {
    const variant = policies.map((p) => (p.mode === 'capped' ? { ...p, unusedQuota: 'carry' as const, redistribute: true } : p));
    const plans = demoPlans('2023-05', '2023-09', 4);
    const lapse = replayPlans(plans, '2023-05', '2023-09', 4);
    const carry = replayPlans(plans, '2023-05', '2023-09', 4, variant);
    for (const r of carry) {
      expect(r.quotaGranted).toBeLessThanOrEqual(20);
      expect(granted(r)).toBeLessThanOrEqual(50);
      expect(r.largestDeviation).toBeLessThan(1);
    }
    const total = (rows: ReplayRow[]) => rows.reduce((s, r) => s + r.quotaGranted, 0);
    expect(total(carry)).toBeGreaterThan(total(lapse));
  });

  it('fails with a message when no version is in force at the start', () => {
    const result = replayTimeline({ medicine: NULOJIX, policies, centres, events: [], from: '2016-06', to: '2016-07' });
    expect(result).toEqual({ ok: false, error: 'no policy of NULOJIX is in force on 2016-06-01 (the first takes effect on 2017-01-01)' });
  });
});

describe('replay properties', () => {
  const plan = (period: string) =>
    fc.record({
      period: fc.constant(period),
      urgent: fc.nat(90),
      quota: fc.nat(70),
      stops: fc.nat(60),
      extraSupply: fc.oneof(fc.constant(0), fc.nat(50)),
    });
  const periods = ['2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10'];

  it('any stream: capped periods never over-grant, quota never exceeds the pool, freed-stock never exceeds what was freed, fairness holds', () => {
    fc.assert(
      fc.property(fc.tuple(...periods.map(plan)), fc.nat(1000), (plans, seed) => {
        const rows = replayPlans(plans, periods[0]!, periods[periods.length - 1]!, seed);
        let freed = 0;
        let freedGrants = 0;
        for (const r of rows) {
          if (r.policyVersions.every((v) => v === 4)) {
            expect(granted(r)).toBeLessThanOrEqual(50);
            expect(r.quotaGranted).toBeLessThanOrEqual(20);
            if (r.waitlistedUrgent > 0) expect(granted(r)).toBe(50);
          }
          if (r.period < '2023-05') {
            freed += r.stops + r.extraSupply;
            freedGrants += granted(r);
            expect(freedGrants).toBeLessThanOrEqual(freed);
          }
          expect(r.largestDeviation).toBeLessThan(1);
        }
      }),
      { numRuns: 40 },
    );
  });
});
