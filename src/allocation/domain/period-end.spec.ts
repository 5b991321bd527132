import fc from 'fast-check';
import { inRedistributionWindow, redistributeUnused, slotsToCarry } from './period-end';

const at = (iso: string): Date => new Date(iso);

describe('unused slots at the period end (SPEC §3 unusedQuota)', () => {
  const centres = [
    { finess: '750000002', slots: 3, used: 1 },
    { finess: '750000001', slots: 1, used: 1 },
  ];

  it('lapse: nothing carries', () => {
    expect(slotsToCarry(centres, 'lapse')).toEqual([
      { finess: '750000001', carriedSlots: 0 },
      { finess: '750000002', carriedSlots: 0 },
    ]);
  });

  it('carry: every unused slot stays the centre\'s next period', () => {
    expect(slotsToCarry(centres, 'carry')).toEqual([
      { finess: '750000001', carriedSlots: 0 },
      { finess: '750000002', carriedSlots: 2 },
    ]);
  });
});

describe('redistribution in the period\'s last days (SPEC §3 redistribute)', () => {
  const centres = [
    { finess: '750000001', slots: 3, used: 1, creditAfter: -0.2 },
    { finess: '750000002', slots: 1, used: 1, creditAfter: 0.4 },
    { finess: '750000003', slots: 0, used: 0, creditAfter: 0.8 },
  ];
  const waiting = [
    { id: 'r2', finess: '750000002', rank: 1, submittedAt: at('2023-06-02T00:00:00Z') },
    { id: 'r3b', finess: '750000003', rank: 2, submittedAt: at('2023-06-01T00:00:00Z') },
    { id: 'r3a', finess: '750000003', rank: 1, submittedAt: at('2023-06-10T00:00:00Z') },
  ];

  it('applies only in the last 7 days, the end day included', () => {
    expect(inRedistributionWindow('2023-06-24', '2023-06-30')).toBe(true);
    expect(inRedistributionWindow('2023-06-23', '2023-06-30')).toBe(false);
    expect(inRedistributionWindow('2023-07-01', '2023-06-30')).toBe(false);
    expect(redistributeUnused({ centres, waiting, today: '2023-06-20', periodEnd: '2023-06-30' })).toEqual([]);
  });

  it('gives unused slots to the most-credited waiting centre first, in its rank order', () => {
    expect(redistributeUnused({ centres, waiting, today: '2023-06-28', periodEnd: '2023-06-30' })).toEqual([
      { requestId: 'r3a', fromFiness: '750000001', toFiness: '750000003' },
      { requestId: 'r2', fromFiness: '750000001', toFiness: '750000002' },
    ]);
  });

  it('stops at the national room left to quota grants', () => {
    expect(redistributeUnused({ centres, waiting, today: '2023-06-28', periodEnd: '2023-06-30', quotaRoom: 1 })).toHaveLength(1);
  });

  it('takes a custom window', () => {
    expect(redistributeUnused({ centres, waiting, today: '2023-06-20', periodEnd: '2023-06-30', windowDays: 11 })).toHaveLength(2);
  });

  it('property: never gives more than the unused slots, never to a centre with its own unused slot, deterministic in any input order', () => {
    const centreArb = fc.uniqueArray(
      fc.record({ finess: fc.integer({ min: 750000001, max: 750000008 }).map(String), slots: fc.integer({ min: 0, max: 3 }), used: fc.integer({ min: 0, max: 3 }), creditAfter: fc.double({ min: -1, max: 1, noNaN: true }) }),
      { selector: (c) => c.finess, maxLength: 8 },
    );
    const waitingArb = fc.uniqueArray(
      fc.record({ id: fc.uuid(), finess: fc.integer({ min: 750000001, max: 750000008 }).map(String), rank: fc.option(fc.integer({ min: 1, max: 5 })), submittedAt: fc.date({ min: at('2023-06-01T00:00:00Z'), max: at('2023-06-30T00:00:00Z'), noInvalidDate: true }) }),
      { selector: (w) => w.id, maxLength: 12 },
    );
    fc.assert(
      fc.property(centreArb, waitingArb, (cs, ws) => {
        const t = redistributeUnused({ centres: cs, waiting: ws, today: '2023-06-30', periodEnd: '2023-06-30' });
        const unused = cs.reduce((s, c) => s + Math.max(0, c.slots - c.used), 0);
        expect(t.length).toBeLessThanOrEqual(unused);
        for (const x of t) {
          const own = cs.find((c) => c.finess === x.toFiness);
          expect(own === undefined || own.slots <= own.used).toBe(true);
        }
        expect(redistributeUnused({ centres: [...cs].reverse(), waiting: [...ws].reverse(), today: '2023-06-30', periodEnd: '2023-06-30' })).toEqual(t);
      }),
    );
  });
});
