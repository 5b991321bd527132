import fc from 'fast-check';
import { BELATACEPT_SCHEDULE_5, BELATACEPT_SCHEDULE_6 } from '../../medicines/domain/dosing-schedule';
import { AssessOrderInput, TreatmentStretch, assessOrder } from './order-need';
import { ORDER_ERROR_STATUS, orderRefusalToError } from './orders.errors';

const HERE = '750100018';
const ELSEWHERE = '690000880';

// P1: day 1 = 2023-03-20, 70 kg. April: day 14 = 04-02, day 28 = 04-16, 700 mg each → 3 + 3 = 6 vials.
// P2: day 1 = 2022-01-10, 90 kg, maintenance 6 mg/kg. Day 112 = 2022-01-10 + 111 days = 2022-05-01
//     (+21 → 01-31, +49 → 02-28, +80 → 03-31, +110 → 04-30). 2023-04-01 is 335 days after
//     2022-05-01, so the first dose in April is 336 = 12 × 28 days after: 2023-04-02, then 04-30.
//     540 mg each → 3 + 3 = 6 vials. Need for P1 + P2 in 2023-04: 12 vials.
const P1: TreatmentStretch = { patient: 'P1', establishment: HERE, startDate: '2023-03-20', weightKg: 70 };
const P2: TreatmentStretch = { patient: 'P2', establishment: HERE, startDate: '2022-01-10', weightKg: 90 };
const P3_STOPPED: TreatmentStretch = { patient: 'P3', establishment: HERE, startDate: '2022-06-01', weightKg: 80, stopDate: '2023-03-15', stopReason: 'death' };
const P4_ELSEWHERE: TreatmentStretch = { patient: 'P4', establishment: ELSEWHERE, startDate: '2022-06-01', weightKg: 80 };

const base = (over: Partial<AssessOrderInput> = {}): AssessOrderInput => ({
  establishment: HERE,
  period: '2023-04',
  today: '2023-03-28',
  quantityVials: 12,
  lines: [{ patient: 'P1' }, { patient: 'P2' }],
  treatments: [P1, P2, P3_STOPPED, P4_ELSEWHERE],
  schedule: BELATACEPT_SCHEDULE_6,
  orderTolerancePct: 0,
  ...over,
});

describe('order need (SPEC §5 Order, §6)', () => {
  it('computes each line from the administrations in the period and the need as their sum (6 + 6 = 12)', () => {
    const r = assessOrder(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.lines.map((l) => [l.patient, l.administrations.map((a) => a.date), l.vials])).toEqual([
      ['P1', ['2023-04-02', '2023-04-16'], 6],
      ['P2', ['2023-04-02', '2023-04-30'], 6],
    ]);
    expect(r.value.needVials).toBe(12);
    expect(r.value.status).toBe('submitted');
    expect(r.value.flags).toEqual([]);
  });
  it('flags an order one vial above need at 0% tolerance, with the numbers', () => {
    const r = assessOrder(base({ quantityVials: 13 }));
    expect(r.ok && r.value.status).toBe('flagged');
    if (r.ok) expect(r.value.flags).toEqual([{ code: 'ORDER_EXCEEDS_NEED', message: 'ordered 13 vials, need 12 (tolerance 0%): 1 vial above need', params: { quantity: 13, need: 12, tolerancePct: 0, tolerated: 12 } }]);
  });
  it('lets the tolerance through: 10% of 12 allows 13, not 14', () => {
    const at13 = assessOrder(base({ quantityVials: 13, orderTolerancePct: 10 }));
    expect(at13.ok && at13.value.status).toBe('submitted');
    expect(at13.ok && at13.value.toleratedVials).toBe(13);
    const at14 = assessOrder(base({ quantityVials: 14, orderTolerancePct: 10 }));
    expect(at14.ok && at14.value.flags[0]?.message).toBe('ordered 14 vials, need 12 (tolerance 10%: up to 13 vials): 2 vials above need');
  });
  it('never flags an order below need', () => {
    const r = assessOrder(base({ quantityVials: 5 }));
    expect(r.ok && r.value.status).toBe('submitted');
  });
  it('uses the maintenance dose in force on each date (5 mg/kg until 2023-04-15, then 6: P2 at 90 kg gets 450 mg → 2 vials, then 540 mg → 3)', () => {
    const r = assessOrder(base({ schedule: BELATACEPT_SCHEDULE_5, maintenanceDoseChanges: [{ from: '2023-04-15', doseMgPerKg: 6 }], quantityVials: 11 }));
    expect(r.ok && r.value.lines[1]?.administrations.map((a) => a.vials)).toEqual([2, 3]);
    expect(r.ok && r.value.needVials).toBe(11);
  });
  it('flags a line for a patient stopped before the period with the date and 0 vials', () => {
    const r = assessOrder(base({ lines: [{ patient: 'P1' }, { patient: 'P3' }], quantityVials: 6 }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.status).toBe('flagged');
    expect(r.value.lines[1]).toEqual({ patient: 'P3', administrations: [], vials: 0 });
    expect(r.value.flags).toEqual([
      { code: 'PATIENT_STOPPED', message: 'lines[1]: patient P3 stopped (death) on 2023-03-15, before 2023-04: 0 vials', line: 1, patient: 'P3', params: { line: 2, patient: 'P3', stopDate: '2023-03-15', stopReason: 'death', period: '2023-04' } },
    ]);
  });
  it('counts a patient stopped during the period up to the day before the stop, unflagged', () => {
    const stoppedMidApril: TreatmentStretch = { ...P1, stopDate: '2023-04-16', stopReason: 'adverse_event' };
    const r = assessOrder(base({ treatments: [stoppedMidApril, P2], quantityVials: 9 }));
    expect(r.ok && r.value.lines[0]?.vials).toBe(3);
    expect(r.ok && r.value.status).toBe('submitted');
  });
  it('flags a line with no administration in the period (treatment starting after it)', () => {
    const later: TreatmentStretch = { patient: 'P5', establishment: HERE, startDate: '2023-05-03', weightKg: 70 };
    const r = assessOrder(base({ lines: [{ patient: 'P5' }], treatments: [later], quantityVials: 1 }));
    expect(r.ok && r.value.flags.map((f) => f.code)).toEqual(['ORDER_EXCEEDS_NEED', 'LINE_WITHOUT_NEED']);
  });
  it('splits a patient transferred on 2023-04-16: day 14 for the establishment left, day 28 for the receiving one', () => {
    const left: TreatmentStretch = { ...P1, patient: 'P6', establishment: ELSEWHERE, stopDate: '2023-04-16', stopReason: 'transfer' };
    const received: TreatmentStretch = { ...P1, patient: 'P6', activeFrom: '2023-04-16' };
    const here = assessOrder(base({ lines: [{ patient: 'P6' }], treatments: [left, received], quantityVials: 3 }));
    const there = assessOrder(base({ establishment: ELSEWHERE, lines: [{ patient: 'P6' }], treatments: [left, received], quantityVials: 3 }));
    expect(here.ok && here.value.lines[0]?.administrations.map((a) => a.day)).toEqual([28]);
    expect(there.ok && there.value.lines[0]?.administrations.map((a) => a.day)).toEqual([14]);
  });
  it('flags the establishment left for a patient transferred out before the period', () => {
    const left: TreatmentStretch = { ...P2, establishment: ELSEWHERE, stopDate: '2023-03-30', stopReason: 'transfer' };
    const r = assessOrder(base({ establishment: ELSEWHERE, lines: [{ patient: 'P2' }], treatments: [left], quantityVials: 1 }));
    expect(r.ok && r.value.flags[1]?.message).toBe('lines[0]: patient P2 left this establishment (transfer) on 2023-03-30, before 2023-04: 0 vials');
  });
});

describe('order refusals (SPEC §5, §11)', () => {
  it('refuses a line for a patient treated elsewhere exactly as for an unknown pseudonym (no existence leak)', () => {
    const elsewhere = assessOrder(base({ lines: [{ patient: 'P1' }, { patient: 'P4' }] }));
    const unknown = assessOrder(base({ lines: [{ patient: 'P1' }, { patient: 'NOPE' }] }));
    expect(elsewhere).toEqual(unknown);
    expect(unknown).toEqual({
      ok: false,
      error: {
        code: 'ORDER_LINE_PATIENT_UNKNOWN',
        params: { count: 1, lines: ['2'] },
        errors: [{ field: 'lines[1].patient', reason: 'no treatment of this medicine at this establishment for this patient' }],
      },
    });
    expect(ORDER_ERROR_STATUS.ORDER_LINE_PATIENT_UNKNOWN).toBe(422);
  });
  it('refuses the same patient on two lines, naming both', () => {
    const r = assessOrder(base({ lines: [{ patient: 'P1' }, { patient: 'P2' }, { patient: 'P1' }] }));
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'ORDER_DUPLICATE_LINE',
        params: { lines: ['3'], firstLines: ['1'] },
        errors: [{ field: 'lines[2].patient', reason: 'same patient as lines[0]' }],
      },
    });
  });
  it('refuses a quantity that is not a positive integer', () => {
    for (const q of [0, -1, 2.5]) {
      const r = assessOrder(base({ quantityVials: q }));
      expect(!r.ok && r.error.code).toBe('ORDER_QUANTITY_INVALID');
    }
  });
  it('refuses a past period and one more than two periods ahead', () => {
    const past = assessOrder(base({ period: '2023-02' }));
    expect(!past.ok && past.error).toEqual({
      code: 'ORDER_PERIOD_OUT_OF_WINDOW',
      params: { period: '2023-02', from: '2023-03', to: '2023-05' },
      errors: [{ field: 'period', reason: 'must be a period YYYY-MM from 2023-03 to 2023-05' }],
    });
    expect(assessOrder(base({ period: '2023-05' })).ok).toBe(true);
    expect(assessOrder(base({ period: '2023-06' })).ok).toBe(false);
  });
  it('refuses an order without lines when the policy requires a justification, and accepts it otherwise', () => {
    const r = assessOrder(base({ lines: [] }));
    expect(!r.ok && r.error.code).toBe('ORDER_JUSTIFICATION_REQUIRED');
    const free = assessOrder(base({ lines: [], justificationRequired: false }));
    expect(free.ok && free.value).toMatchObject({ status: 'submitted', needVials: 0, toleratedVials: free.ok ? free.value.quantityVials : -1, lines: [], flags: [] });
    if (!r.ok) expect(orderRefusalToError(r.error).status).toBe(422);
  });
});

describe('order need invariants', () => {
  const arbStretch = (patient: string): fc.Arbitrary<TreatmentStretch> =>
    fc.record({
      patient: fc.constant(patient),
      establishment: fc.constant(HERE),
      startDate: fc.integer({ min: 0, max: 900 }).map((n) => new Date(Date.UTC(2021, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)),
      weightKg: fc.integer({ min: 35, max: 140 }),
    });
  const arbOrder = fc
    .integer({ min: 1, max: 8 })
    .chain((n) => fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => arbStretch(`P${i}`))), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 25 })));

  it('need is the sum of line vials; flagged exactly when above tolerance or a line explains it; line order changes nothing', () => {
    fc.assert(
      fc.property(arbOrder, ([stretches, quantityVials, orderTolerancePct]) => {
        const lines = stretches.map((s) => ({ patient: s.patient }));
        const r = assessOrder(base({ lines, treatments: stretches, quantityVials, orderTolerancePct }));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const a = r.value;
        expect(a.needVials).toBe(a.lines.reduce((s, l) => s + l.vials, 0));
        expect(a.toleratedVials).toBeGreaterThanOrEqual(a.needVials);
        expect(a.flags.some((f) => f.code === 'ORDER_EXCEEDS_NEED')).toBe(quantityVials > a.toleratedVials);
        expect(a.status === 'flagged').toBe(a.flags.length > 0);
        for (const l of a.lines) expect(l.vials === 0).toBe(a.flags.some((f) => f.patient === l.patient));
        const reversed = assessOrder(base({ lines: [...lines].reverse(), treatments: stretches, quantityVials, orderTolerancePct }));
        expect(reversed.ok && reversed.value.needVials).toBe(a.needVials);
      }),
    );
  });
});
