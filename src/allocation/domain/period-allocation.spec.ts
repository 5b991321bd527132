import fc from 'fast-check';
import { centreSlotsOf, computePeriodAllocation, periodStateOf } from './period-allocation';

const capped = { version: 4, mode: 'capped' as const, monthlyCap: 50, quotaPool: 20 };

describe('computing a period allocation (SPEC §3, §4, §11)', () => {
  it('returns the allocation object of the contract', () => {
    const a = computePeriodAllocation({
      medicine: 'NULOJIX',
      period: '2023-06',
      policy: capped,
      centres: [
        { finess: '750000002', followedPatients: 300, creditBefore: 0 },
        { finess: '750000001', followedPatients: 100, creditBefore: 0 },
      ],
    });
    expect(a).toEqual({
      medicine: 'NULOJIX',
      period: '2023-06',
      policyVersion: 4,
      mode: 'capped',
      nationalCapacity: 50,
      urgentGranted: 0,
      quotaPool: 20,
      quotaGranted: 0,
      centres: [
        { finess: '750000001', followedPatients: 100, entitlement: 5, creditBefore: 0, slots: 5, used: 0, creditAfter: 0, carriedSlots: 0 },
        { finess: '750000002', followedPatients: 300, entitlement: 15, creditBefore: 0, slots: 15, used: 0, creditAfter: 0, carriedSlots: 0 },
      ],
    });
  });

  it('freed-stock: capacity is stops + lab extras + freed capacity carried', () => {
    const a = computePeriodAllocation({ medicine: 'NULOJIX', period: '2023-03', policy: { version: 3, mode: 'freed-stock', monthlyCap: null, quotaPool: 0 }, centres: [], freedCapacity: 6, extraCapacity: 10, carriedFreedCapacity: 2 });
    expect(a.nationalCapacity).toBe(18);
  });

  it('unrestricted: no limit, nothing apportioned, credits unchanged', () => {
    const a = computePeriodAllocation({ medicine: 'NULOJIX', period: '2023-11', policy: { version: 5, mode: 'unrestricted', monthlyCap: null, quotaPool: 20 }, centres: [{ finess: '750000001', followedPatients: 100, creditBefore: 0.4 }] });
    expect(a).toMatchObject({ nationalCapacity: null, quotaPool: 0, centres: [{ slots: 0, entitlement: 0, creditAfter: 0.4 }] });
  });

  it('carry: carried slots are honoured first, out of the pool, and the rest apportioned', () => {
    const a = computePeriodAllocation({
      medicine: 'NULOJIX',
      period: '2023-07',
      policy: { ...capped, quotaPool: 4 },
      centres: [
        { finess: '750000001', followedPatients: 1, creditBefore: 0, carriedSlots: 2 },
        { finess: '750000002', followedPatients: 1, creditBefore: 0 },
      ],
    });
    expect(a.centres.map((c) => [c.slots, c.carriedSlots, c.entitlement, c.creditAfter])).toEqual([
      [3, 2, 1, 0],
      [1, 0, 1, 0],
    ]);
  });

  it('a version taking effect mid-period: full monthly figures less what the period already granted (2023-05-09)', () => {
    // 1–8 May under freed-stock: 12 urgent grants, no quota. On the 9th the capped version applies.
    const a = computePeriodAllocation({
      medicine: 'NULOJIX',
      period: '2023-05',
      policy: capped,
      centres: [
        { finess: '750000001', followedPatients: 100, creditBefore: 0 },
        { finess: '750000002', followedPatients: 300, creditBefore: 0 },
      ],
      alreadyGranted: { urgent: 12, quota: 0 },
    });
    expect(a).toMatchObject({ nationalCapacity: 50, urgentGranted: 12, quotaGranted: 0 });
    expect(a.centres.reduce((s, c) => s + c.slots, 0)).toBe(20);
  });

  it('a mid-period recompute keeps slots already used and hands out only the rest of the pool', () => {
    const a = computePeriodAllocation({
      medicine: 'NULOJIX',
      period: '2023-05',
      policy: { ...capped, quotaPool: 10 },
      centres: [
        { finess: '750000001', followedPatients: 100, creditBefore: 0, used: 4 },
        { finess: '750000002', followedPatients: 100, creditBefore: 0, used: 0 },
      ],
      alreadyGranted: { urgent: 0, quota: 4 },
    });
    expect(a.centres.map((c) => [c.slots, c.used])).toEqual([
      [5, 4],
      [5, 0],
    ]);
    expect(periodStateOf(a)).toMatchObject({ quotaGranted: 4, quotaPool: 10 });
  });

  it('gives an absent centre no slot', () => {
    const a = computePeriodAllocation({ medicine: 'NULOJIX', period: '2023-06', policy: capped, centres: [] });
    expect(centreSlotsOf(a, '750000009')).toEqual({ finess: '750000009', slots: 0, used: 0, entitlement: 0, creditAfter: 0 });
  });

  it('property: slots sum to quotaPool, and creditAfter = creditBefore + entitlement − apportioned slots', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.uniqueArray(fc.record({ finess: fc.integer({ min: 750000001, max: 750000999 }).map(String), followedPatients: fc.integer({ min: 1, max: 3000 }), creditBefore: fc.double({ min: -0.9, max: 0.9, noNaN: true }), carriedSlots: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 30, selector: (c) => c.finess }),
        (pool, centres) => {
          const a = computePeriodAllocation({ medicine: 'NULOJIX', period: '2023-06', policy: { ...capped, monthlyCap: 100, quotaPool: pool }, centres });
          expect(a.centres.reduce((s, c) => s + c.slots, 0)).toBe(pool);
          for (const c of a.centres) expect(c.creditAfter).toBeCloseTo(c.creditBefore + c.entitlement - (c.slots - c.carriedSlots), 9);
        },
      ),
    );
  });
});
