import { Decision, PeriodState, WaitingRequest, decideQuotaRequest, decideUrgentAfterCommittee, serveWaitingQueue } from './decide';
import { PeriodAllocation, centreSlotsOf, computePeriodAllocation, periodStateOf } from './period-allocation';

/**
 * Scenario: Nulojix, May 2023 under the capped version (SPEC §3 timeline): 50 initiations a month,
 * a quota pool of 20 split between five centres by followed patients, about 30 urgent requests.
 * Followed patients 3100, 2400, 1500, 900, 350 (8250 in all): entitlements 7.52, 5.82, 3.64,
 * 2.18 and 0.85, so slots 7, 6, 4, 2 and 1 (the three largest remainders 0.85, 0.82, 0.64 each
 * take the slot left after the whole parts).
 */
const A = '750000001';
const B = '750000002';
const C = '750000003';
const D = '750000004';
const E = '750000005';
const followed: Record<string, number> = { [A]: 3100, [B]: 2400, [C]: 1500, [D]: 900, [E]: 350 };
const policy = { version: 4, mode: 'capped' as const, monthlyCap: 50, quotaPool: 20 };

function allocate(period: string, credits: Record<string, number>): PeriodAllocation {
  return computePeriodAllocation({
    medicine: 'NULOJIX',
    period,
    policy,
    centres: Object.keys(followed).map((finess) => ({ finess, followedPatients: followed[finess]!, creditBefore: credits[finess] ?? 0 })),
  });
}

/** What the service does inside its transaction: decide, then count the grant. */
function apply(allocation: PeriodAllocation, decision: Decision): PeriodAllocation {
  if (decision.status !== 'granted') return allocation;
  const c = decision.consumes;
  switch (c.kind) {
    case 'none':
      return allocation;
    case 'urgent':
      return { ...allocation, urgentGranted: allocation.urgentGranted + 1 };
    case 'quota':
      return {
        ...allocation,
        quotaGranted: allocation.quotaGranted + 1,
        centres: allocation.centres.map((x) => (x.finess === c.finess ? { ...x, used: x.used + 1 } : x)),
      };
  }
}

function quota(allocation: PeriodAllocation, finess: string): { allocation: PeriodAllocation; decision: Decision } {
  const decision = decideQuotaRequest(periodStateOf(allocation), centreSlotsOf(allocation, finess));
  return { allocation: apply(allocation, decision), decision };
}

function urgent(allocation: PeriodAllocation): { allocation: PeriodAllocation; decision: Decision } {
  const decision = decideUrgentAfterCommittee(periodStateOf(allocation));
  return { allocation: apply(allocation, decision), decision };
}

describe('scenario: the 2023-05 capped month (cap 50, quota pool 20, 30 urgent)', () => {
  it('apportions the pool of 20 as 7, 6, 4, 2 and 1 slots by followed patients', () => {
    const a = allocate('2023-05', {});
    expect(a.nationalCapacity).toBe(50);
    expect(a.centres.map((c) => c.slots)).toEqual([7, 6, 4, 2, 1]);
    expect(a.centres.map((c) => Number(c.creditAfter.toFixed(3)))).toEqual([0.515, -0.182, -0.364, 0.182, -0.152]);
  });

  it('grants 20 quota and 30 urgent, waitlists the rest with the reason that names the numbers', () => {
    let a = allocate('2023-05', {});
    const decisions: Decision[] = [];
    const asks: Record<string, number> = { [A]: 8, [B]: 6, [C]: 4, [D]: 2, [E]: 2 };
    for (const [finess, n] of Object.entries(asks)) {
      for (let i = 0; i < n; i++) {
        const r = quota(a, finess);
        a = r.allocation;
        decisions.push(r.decision);
      }
    }
    for (let i = 0; i < 31; i++) {
      const r = urgent(a);
      a = r.allocation;
      decisions.push(r.decision);
    }
    expect(a.quotaGranted).toBe(20);
    expect(a.urgentGranted).toBe(30);
    expect(a.centres.map((c) => c.used)).toEqual([7, 6, 4, 2, 1]);
    expect(decisions.filter((d) => d.status === 'waitlisted').map((d) => d.reason)).toEqual([
      { code: 'CENTRE_QUOTA_EXHAUSTED', message: 'centre quota for 2023-05 used: 7 of 7; next slot expected 2023-06', params: { period: '2023-05', used: 7, slots: 7, nextSlotPeriod: '2023-06' } },
      { code: 'CENTRE_QUOTA_EXHAUSTED', message: 'centre quota for 2023-05 used: 1 of 1; next slot expected 2023-06', params: { period: '2023-05', used: 1, slots: 1, nextSlotPeriod: '2023-06' } },
      { code: 'NATIONAL_CAPACITY_EXHAUSTED', message: 'national capacity for 2023-05 used: 50 of 50; the request heads the 2023-06 queue', params: { period: '2023-05', granted: 50, capacity: 50, nextPeriod: '2023-06' } },
    ]);
  });

  it('urgent before quota: an early surge of 35 urgent grants leaves quota requests only 15 initiations', () => {
    let a = allocate('2023-05', {});
    for (let i = 0; i < 35; i++) a = urgent(a).allocation;
    const reasons: string[] = [];
    for (const finess of [A, B, C, D, E]) {
      const slots = centreSlotsOf(a, finess).slots;
      for (let i = 0; i < slots; i++) {
        const r = quota(a, finess);
        a = r.allocation;
        reasons.push(r.decision.reason.code);
      }
    }
    expect(a.urgentGranted + a.quotaGranted).toBe(50);
    expect(a.quotaGranted).toBe(15);
    expect(reasons.filter((c) => c === 'NATIONAL_CAPACITY_EXHAUSTED')).toHaveLength(5);
  });

  it('June: the credits carry over, and the waitlisted urgent request heads the queue', () => {
    const may = allocate('2023-05', {});
    const credits = Object.fromEntries(may.centres.map((c) => [c.finess, c.creditAfter]));
    const june = allocate('2023-06', credits);
    expect(june.centres.map((c) => c.slots)).toEqual([8, 6, 3, 2, 1]);
    const waiting: WaitingRequest[] = [
      { id: 'quota-A-8', kind: 'quota', finess: A, rank: 1, submittedAt: new Date('2023-05-20T09:00:00Z') },
      { id: 'urgent-31', kind: 'urgent', finess: C, rank: null, submittedAt: new Date('2023-05-25T09:00:00Z'), approvedAt: new Date('2023-05-27T09:00:00Z') },
    ];
    const state: PeriodState = periodStateOf(june);
    const served = serveWaitingQueue(state, june.centres.map((c) => centreSlotsOf(june, c.finess)), waiting);
    expect(served.grants.map((g) => [g.id, g.reason.code])).toEqual([
      ['urgent-31', 'GRANTED_URGENT'],
      ['quota-A-8', 'GRANTED_QUOTA'],
    ]);
  });
});
