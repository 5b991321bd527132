import fc from 'fast-check';
import { addPeriods } from '../../common/domain/period';
import { BELATACEPT_SCHEDULE_5, BELATACEPT_SCHEDULE_6, administrationsInPeriod, vialsNeeded } from '../../medicines/domain/dosing-schedule';
import { CohortTreatment, HistoryTreatment, ProjectionInput, meanWeightKg, observedInitiationPace, observedStopRate, projectSupply } from './projection';
import { explain, explanationLang } from './projection-explanation';

describe('projectSupply, hand-checked on three patients (belatacept 6 mg/kg, 250 mg vials)', () => {
  // A: 70 kg, day 1 on 2022-01-10; maintenance from day 112 (2022-05-01) every 28 days:
  //    … 2023-04-30, 2023-05-28, 2023-06-25, 2023-07-23 — 6 × 70 = 420 mg → ceil(420/250) = 2 vials each.
  // B: 90 kg, day 1 on 2023-02-01; day 84 = 2023-04-25 (induction, before the stock date),
  //    day 112 = 2023-05-23, day 140 = 2023-06-20, day 168 = 2023-07-18 — 6 × 90 = 540 mg → 3 vials each.
  // C: 60 kg, day 1 on 2022-04-01, stopped 2023-02-10 (adverse event): the one stop, not in the cohort.
  const history: HistoryTreatment[] = [
    { startDate: '2022-01-10', stopDate: null, stopReason: null },
    { startDate: '2023-02-01', stopDate: null, stopReason: null },
    { startDate: '2022-04-01', stopDate: '2023-02-10', stopReason: 'adverse_event' },
  ];
  const active: CohortTreatment[] = [
    { startDate: '2022-01-10', weightKg: 70 },
    { startDate: '2023-02-01', weightKg: 90 },
  ];

  it('reads the stop rate off the declared history: 1 stop over 25 patient-months', () => {
    // Window 2022-05 … 2023-04 (12 first days). A is active on all 12; B on 2023-02-01, 03-01, 04-01 (3);
    // C on 2022-05-01 … 2023-02-01 (10). 12 + 3 + 10 = 25 patient-months; C's stop is in the window: 1/25 = 0.04.
    expect(observedStopRate(history, '2023-05')).toEqual({ monthly: 0.04, stops: 1, patientMonths: 25, from: '2022-05', to: '2023-04' });
  });

  it('projects continuations, the sustainable cap and the stock-out at the pace of 3 a month', () => {
    const input: ProjectionInput = {
      at: '2023-05-01',
      horizon: 3,
      stockUnits: 100,
      expected: [{ period: '2023-06', units: 40 }],
      schedule: BELATACEPT_SCHEDULE_6,
      active,
      monthlyStopRate: observedStopRate(history, '2023-05').monthly,
      newPatientWeightKg: meanWeightKg(active, 70),
      paceInitiations: 3,
    };
    // New patient: (70 + 90) / 2 = 80 kg; induction 800 mg → 4 vials, maintenance 480 mg → 2 vials.
    expect(input.newPatientWeightKg).toBe(80);
    const p = projectSupply(input);
    // Continuations before stops: May 2 + 3 = 5, June 2 + 3 = 5, July 2 + 3 = 5.
    // Survival (1 − 0.04)^k: 5 × 1 = 5; 5 × 0.96 = 4.8 → 5; 5 × 0.9216 = 4.608 → 5 (rounded up: never short).
    expect(p.periods.map((r) => r.continuationUnits)).toEqual([5, 5, 5]);
    expect(p.periods.map((r) => r.continuingPatients)).toEqual([2, 1.9, 1.8]);
    // One new patient a month: started 2023-05-01 → days 1, 5, 14, 28 in May (16 vials), day 56 = 06-25 (4),
    // day 84 = 07-23 (4); started 06-01 → 16 in June, day 56 = 07-26 (4); started 07-01 → 16 in July.
    // Per period: May 16, June 4 + 16 = 20, July 4 + 4 + 16 = 24; cumulated 16, 36, 60.
    // Stock with continuations only: May 100 − 5 = 95; June 95 + 40 − 5 = 130; July 130 − 5 = 125.
    expect(p.periods.map((r) => r.stockAfterContinuations)).toEqual([95, 130, 125]);
    // Cap: min(floor(95/16) = 5, floor(130/36) = 3, floor(125/60) = 2) = 2, bound by July.
    expect(p.sustainableMonthlyInitiations).toBe(2);
    expect(p.tightestPeriod).toBe('2023-07');
    expect(p.periods.map((r) => r.sustainableInitiationUnits)).toEqual([32, 40, 48]);
    // At 3 a month: 95 − 3 × 16 = 47; 130 − 3 × 36 = 22; 125 − 3 × 60 = −55 → out in July.
    expect(p.periods).toEqual([
      expect.objectContaining({ period: '2023-05', continuationUnits: 5, initiationUnits: 48, supplyUnits: 0, stockAfter: 47 }),
      expect.objectContaining({ period: '2023-06', continuationUnits: 5, initiationUnits: 60, supplyUnits: 40, stockAfter: 22 }),
      expect.objectContaining({ period: '2023-07', continuationUnits: 5, initiationUnits: 72, supplyUnits: 0, stockAfter: -55 }),
    ]);
    expect(p.stockOutPeriod).toBe('2023-07');
    expect(p.continuationStockOutPeriod).toBeNull();
    expect(p.explanation.code).toBe('PROJECTION_STOCK_OUT_AT_PACE');
    expect(explain(p.explanation, 'en')).toBe(
      'With 100 units on 1 May 2023 and 40 expected from May 2023 to July 2023, the 2 continuing patients (stopping at 4 % a month) need 15 units; the stock sustains 2 initiations a month over 3 months without cutting a continuation (tightest in July 2023); at the current pace of 3 a month it runs out in July 2023.',
    );
    expect(explain(p.explanation, 'fr')).toContain('le stock permet 2 initiations par mois sur 3 mois');
    expect(explain(p.explanation, 'fr')).toContain('il est épuisé en juillet 2023');
  });

  it('gives no initiation when continuations alone run the stock out', () => {
    const p = projectSupply({ at: '2023-05-01', horizon: 3, stockUnits: 8, expected: [], schedule: BELATACEPT_SCHEDULE_6, active, monthlyStopRate: 0, newPatientWeightKg: 80, paceInitiations: 0 });
    // 8 − 5 = 3, then 3 − 5 = −2 in June.
    expect(p.sustainableMonthlyInitiations).toBe(0);
    expect(p.continuationStockOutPeriod).toBe('2023-06');
    expect(p.stockOutPeriod).toBe('2023-06');
    expect(p.explanation.code).toBe('PROJECTION_CONTINUATIONS_SHORT');
  });

  it('counts from the stock date on: an administration before it in the first period is already served', () => {
    // A stock date of 2023-05-24 leaves B's 05-23 administration out of May: May needs A's 2 only.
    const p = projectSupply({ at: '2023-05-24', horizon: 1, stockUnits: 100, expected: [], schedule: BELATACEPT_SCHEDULE_6, active, monthlyStopRate: 0, newPatientWeightKg: 80, paceInitiations: 0 });
    expect(p.periods[0]?.continuationUnits).toBe(2);
  });
});

describe('stop history and pace', () => {
  it('does not count a transfer as a stop, and gives 0 without exposure', () => {
    expect(observedStopRate([{ startDate: '2022-01-01', stopDate: '2023-01-15', stopReason: 'transfer' }], '2023-05').stops).toBe(0);
    expect(observedStopRate([], '2023-05').monthly).toBe(0);
  });

  it('takes the observed pace as the starts of the last three periods, rounded up', () => {
    // 2023-02 … 2023-04: 4 starts → 4 / 3 = 1.33 → 2; the May start is not in the window.
    const starts = ['2023-01-31', '2023-02-01', '2023-03-15', '2023-04-30', '2023-04-02', '2023-05-01'].map((startDate) => ({ startDate }));
    expect(observedInitiationPace(starts, '2023-05')).toBe(2);
  });

  it('reads Accept-Language: French for fr, English otherwise', () => {
    expect(explanationLang('fr-FR,fr;q=0.9')).toBe('fr');
    expect(explanationLang('en')).toBe('en');
    expect(explanationLang(undefined)).toBe('en');
  });
});

const AT = '2023-05-15';
const dayFrom = (days: number): string => new Date(Date.UTC(2023, 4, 15) + days * 86_400_000).toISOString().slice(0, 10);
const cohortArb = fc.array(
  fc.record({ daysBefore: fc.integer({ min: -60, max: 900 }), weightKg: fc.integer({ min: 400, max: 1300 }).map((w) => w / 10), stopAfter: fc.option(fc.integer({ min: 1, max: 400 })) }),
  { maxLength: 40 },
).map((rows) => rows.map((r) => ({
  startDate: dayFrom(-r.daysBefore),
  weightKg: r.weightKg,
  stopDate: r.stopAfter === null ? null : dayFrom(Math.max(-r.daysBefore, 0) + r.stopAfter),
})));
const inputArb = fc.record({
  horizon: fc.integer({ min: 1, max: 12 }),
  stockUnits: fc.integer({ min: 0, max: 20_000 }),
  expected: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 13 }), units: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 8 }),
  active: cohortArb,
  monthlyStopRate: fc.integer({ min: 0, max: 300 }).map((n) => n / 1000),
  newPatientWeightKg: fc.integer({ min: 400, max: 1300 }).map((w) => w / 10),
  paceInitiations: fc.integer({ min: 0, max: 60 }),
  six: fc.boolean(),
}).map((r): ProjectionInput => ({
  at: AT,
  horizon: r.horizon,
  stockUnits: r.stockUnits,
  expected: r.expected.map((e) => ({ period: addPeriods('2023-05', e.offset), units: e.units })),
  schedule: r.six ? BELATACEPT_SCHEDULE_6 : BELATACEPT_SCHEDULE_5,
  active: r.active,
  monthlyStopRate: r.monthlyStopRate,
  newPatientWeightKg: r.newPatientWeightKg,
  paceInitiations: r.paceInitiations,
}));

const capOf = (input: ProjectionInput): number => {
  const cap = projectSupply(input).sustainableMonthlyInitiations;
  if (cap === null) throw new Error('belatacept always has a day-1 administration in the horizon');
  return cap;
};

describe('projectSupply properties', () => {
  it('more stock never lowers the sustainable cap', () => {
    fc.assert(fc.property(inputArb, fc.integer({ min: 0, max: 5000 }), (input, extra) => capOf({ ...input, stockUnits: input.stockUnits + extra }) >= capOf(input)));
  });

  it('more expected supply never lowers the sustainable cap', () => {
    fc.assert(fc.property(inputArb, fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 3000 }), (input, offset, units) =>
      capOf({ ...input, expected: [...input.expected, { period: addPeriods('2023-05', offset), units }] }) >= capOf(input)));
  });

  it('continuations are always covered when the cap is respected, and one more a month is not sustainable', () => {
    fc.assert(fc.property(inputArb, (input) => {
      const cap = capOf(input);
      const atCap = projectSupply({ ...input, paceInitiations: cap });
      const continuationsCovered = atCap.continuationStockOutPeriod !== null || atCap.periods.every((r) => r.stockAfter >= 0);
      const oneMore = projectSupply({ ...input, paceInitiations: cap + 1 });
      const maximal = atCap.continuationStockOutPeriod !== null || oneMore.stockOutPeriod !== null;
      return continuationsCovered && maximal && (atCap.continuationStockOutPeriod === null ? atCap.stockOutPeriod === null : cap === 0);
    }));
  });

  it('more horizon never raises the cap', () => {
    fc.assert(fc.property(inputArb, fc.integer({ min: 1, max: 6 }), (input, more) => capOf({ ...input, horizon: input.horizon + more }) <= capOf(input)));
  });

  it('a higher stop rate never lowers the cap', () => {
    fc.assert(fc.property(inputArb, fc.integer({ min: 0, max: 200 }), (input, more) =>
      capOf({ ...input, monthlyStopRate: Math.min(1, input.monthlyStopRate + more / 1000) }) >= capOf(input)));
  });

  it('the order of the cohort changes nothing', () => {
    fc.assert(fc.property(inputArb, (input) => {
      expect(projectSupply({ ...input, active: [...input.active].reverse() })).toEqual(projectSupply(input));
    }));
  });

  it('continuation units equal the sum of every treatment’s administrations from the stock date (grouping is exact)', () => {
    fc.assert(fc.property(inputArb, (input) => {
      const p = projectSupply({ ...input, monthlyStopRate: 0 });
      const naive = p.periods.map((row) =>
        input.active.reduce((sum, t) => sum + vialsNeeded(administrationsInPeriod({ schedule: input.schedule, startDate: t.startDate, weightKg: t.weightKg, period: row.period, activeFrom: AT, stopDate: t.stopDate })), 0));
      expect(p.periods.map((r) => r.continuationUnits)).toEqual(naive);
    }));
  });
});
