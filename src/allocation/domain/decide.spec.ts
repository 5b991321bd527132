import fc from 'fast-check';
import {
  CentreSlots,
  PeriodState,
  WaitingRequest,
  decideNewRequest,
  decideQuotaRequest,
  decideUrgentAfterCommittee,
  isReviewOverdue,
  nextSlotPeriod,
  orderCentreQueue,
  serveWaitingQueue,
  tallyVotes,
} from './decide';

const capped: PeriodState = { period: '2023-06', policyVersion: 4, mode: 'capped', nationalCapacity: 50, quotaPool: 20, urgentGranted: 0, quotaGranted: 0 };
const centre: CentreSlots = { finess: '750000001', slots: 2, used: 0, entitlement: 1.6, creditAfter: -0.4 };
const at = (iso: string): Date => new Date(iso);

describe('deciding a quota request (SPEC §4 rules 3–6)', () => {
  it('grants while the centre has an unused slot, naming the slot', () => {
    expect(decideQuotaRequest(capped, centre)).toEqual({
      status: 'granted',
      reason: { code: 'GRANTED_QUOTA', message: 'granted: centre quota slot 1 of 2 for 2023-06', params: { period: '2023-06', used: 1, slots: 2 } },
      consumes: { kind: 'quota', finess: '750000001' },
    });
  });

  it('waitlists when the centre quota is used, naming the numbers and the next expected slot', () => {
    expect(decideQuotaRequest(capped, { ...centre, used: 2 })).toEqual({
      status: 'waitlisted',
      reason: { code: 'CENTRE_QUOTA_EXHAUSTED', message: 'centre quota for 2023-06 used: 2 of 2; next slot expected 2023-07', params: { period: '2023-06', used: 2, slots: 2, nextSlotPeriod: '2023-07' } },
    });
  });

  it('projects the next slot of a small centre several periods ahead', () => {
    expect(nextSlotPeriod('2023-06', -0.7, 0.3)).toBe('2023-09');
    expect(nextSlotPeriod('2023-06', 0.2, 0.3)).toBe('2023-07');
    expect(nextSlotPeriod('2023-06', -0.5, 0)).toBeNull();
  });

  it('says no slot is expected for a centre that follows no patients', () => {
    const d = decideQuotaRequest(capped, { finess: '750000009', slots: 0, used: 0, entitlement: 0, creditAfter: 0 });
    expect(d.reason.message).toBe('centre quota for 2023-06 used: 0 of 0; no slot expected while the centre follows no patients');
  });

  it('waitlists when the national quota pool is used', () => {
    expect(decideQuotaRequest({ ...capped, quotaGranted: 20 }, centre).reason).toEqual({
      code: 'QUOTA_POOL_EXHAUSTED',
      message: 'national quota pool for 2023-06 used: 20 of 20; the request waits for the next period',
      params: { period: '2023-06', granted: 20, quotaPool: 20 },
    });
  });

  it('waitlists when urgent grants took the national capacity (urgent before quota)', () => {
    expect(decideQuotaRequest({ ...capped, urgentGranted: 45, quotaGranted: 5 }, centre).reason).toEqual({
      code: 'NATIONAL_CAPACITY_EXHAUSTED',
      message: 'national capacity for 2023-06 used: 50 of 50; the request heads the 2023-07 queue',
      params: { period: '2023-06', granted: 50, capacity: 50, nextPeriod: '2023-07' },
    });
  });

  it('grants everything in unrestricted mode', () => {
    const d = decideQuotaRequest({ ...capped, mode: 'unrestricted', nationalCapacity: null }, { ...centre, used: 9 });
    expect(d).toMatchObject({ status: 'granted', reason: { code: 'GRANTED_UNRESTRICTED' }, consumes: { kind: 'none' } });
  });

  it('property: never grants beyond the centre slots, the pool or the national capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (cap, pool, urgent, quota, slots, used) => {
        const d = decideQuotaRequest({ ...capped, nationalCapacity: cap, quotaPool: pool, urgentGranted: urgent, quotaGranted: quota }, { ...centre, slots, used });
        if (d.status === 'granted') {
          expect(used).toBeLessThan(slots);
          expect(quota).toBeLessThan(pool);
          expect(urgent + quota).toBeLessThan(cap);
        }
      }),
    );
  });
});

describe('deciding a new request (SPEC §5)', () => {
  const base = { state: capped, indication: 'chronic-cni', centre, committee: { votesRequired: 1, deadlineHours: 48 }, submittedAt: at('2023-06-01T10:00:00Z') };

  it('sends an urgent request to the committee with its deadline', () => {
    const d = decideNewRequest({ ...base, kind: 'urgent' });
    expect(d).toMatchObject({ status: 'pending_review', reason: { code: 'PENDING_COMMITTEE_REVIEW' }, deadline: at('2023-06-03T10:00:00Z') });
  });

  it('grants an open indication at once, counting against nothing', () => {
    expect(decideNewRequest({ ...base, kind: 'open' })).toMatchObject({ status: 'granted', reason: { code: 'GRANTED_OPEN' }, consumes: { kind: 'none' } });
  });

  it('grants any request at once in unrestricted mode, even an urgent one', () => {
    expect(decideNewRequest({ ...base, kind: 'urgent', state: { ...capped, mode: 'unrestricted', nationalCapacity: null } })).toMatchObject({ status: 'granted', reason: { code: 'GRANTED_UNRESTRICTED' } });
  });

  it('decides a quota request against the centre', () => {
    expect(decideNewRequest({ ...base, kind: 'quota' })).toMatchObject({ status: 'granted', reason: { code: 'GRANTED_QUOTA' } });
  });
});

describe('an urgent request after committee approval (SPEC §4 rule 3)', () => {
  it('is granted from any national capacity left, quota pool included', () => {
    expect(decideUrgentAfterCommittee({ ...capped, urgentGranted: 40, quotaGranted: 9 })).toMatchObject({
      status: 'granted',
      reason: { code: 'GRANTED_URGENT', message: 'granted after committee approval: national initiation 50 of 50 for 2023-06' },
      consumes: { kind: 'urgent' },
    });
  });

  it('is waitlisted, heading the next period, when no capacity is left', () => {
    expect(decideUrgentAfterCommittee({ ...capped, urgentGranted: 30, quotaGranted: 20 })).toMatchObject({ status: 'waitlisted', reason: { code: 'NATIONAL_CAPACITY_EXHAUSTED' } });
  });

  it('is waitlisted in freed-stock mode with no freed capacity', () => {
    expect(decideUrgentAfterCommittee({ ...capped, mode: 'freed-stock', nationalCapacity: 0, quotaPool: 0 })).toMatchObject({ status: 'waitlisted' });
  });
});

describe('committee tally (SPEC §5)', () => {
  it('stays pending until the required votes are reached', () => {
    expect(tallyVotes([{ decision: 'approve' }], 2)).toEqual({ outcome: 'pending', approvals: 1, rejections: 0 });
  });

  it('approves on the required number of approvals (default 1)', () => {
    expect(tallyVotes([{ decision: 'approve' }], 1).outcome).toBe('approved');
  });

  it('rejects when the reject votes reach the required number', () => {
    expect(tallyVotes([{ decision: 'approve' }, { decision: 'reject' }, { decision: 'reject' }], 2).outcome).toBe('rejected');
  });

  it('keeps the first decision reached, read in vote order', () => {
    expect(tallyVotes([{ decision: 'reject' }, { decision: 'approve' }], 1).outcome).toBe('rejected');
  });

  it('reports a review overdue after its deadline', () => {
    expect(isReviewOverdue(at('2023-06-01T10:00:00Z'), 48, at('2023-06-03T10:00:01Z'))).toBe(true);
    expect(isReviewOverdue(at('2023-06-01T10:00:00Z'), 48, at('2023-06-03T10:00:00Z'))).toBe(false);
  });
});

describe('within a centre (SPEC §4 rule 5)', () => {
  const reqs = [
    { id: 'c', rank: 2, submittedAt: at('2023-06-01T00:00:00Z') },
    { id: 'b', rank: null, submittedAt: at('2023-05-01T00:00:00Z') },
    { id: 'a', rank: 1, submittedAt: at('2023-06-05T00:00:00Z') },
    { id: 'd', rank: 2, submittedAt: at('2023-06-01T00:00:00Z') },
  ];

  it('serves requests in the centre rank order, then submission time, then id; unranked last', () => {
    expect(orderCentreQueue(reqs).map((r) => r.id)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('property: the order does not depend on the input order', () => {
    fc.assert(fc.property(fc.shuffledSubarray(reqs, { minLength: 4, maxLength: 4 }), (shuffled) => expect(orderCentreQueue(shuffled)).toEqual(orderCentreQueue(reqs))));
  });
});

describe('serving the waiting queue (SPEC §4 rules 3 and 5)', () => {
  const w = (id: string, kind: 'urgent' | 'quota', finess: string, rank: number | null, day: number): WaitingRequest => ({ id, kind, finess, rank, submittedAt: at(`2023-06-${String(day).padStart(2, '0')}T08:00:00Z`) });
  const centres: CentreSlots[] = [
    { finess: '750000001', slots: 1, used: 0, entitlement: 1, creditAfter: 0 },
    { finess: '750000002', slots: 2, used: 0, entitlement: 1, creditAfter: 0 },
  ];

  it('grants approved urgent requests first, then each centre in its own rank order up to its slots', () => {
    const r = serveWaitingQueue({ ...capped, nationalCapacity: 4, quotaPool: 3 }, centres, [
      w('q1b', 'quota', '750000001', 2, 1),
      w('q1a', 'quota', '750000001', 1, 2),
      w('q2a', 'quota', '750000002', 1, 3),
      w('u1', 'urgent', '750000003', null, 4),
    ]);
    expect(r.grants.map((g) => g.id)).toEqual(['u1', 'q1a', 'q2a']);
    expect(r.state).toMatchObject({ urgentGranted: 1, quotaGranted: 2 });
  });

  it('when national capacity runs short, serves the oldest head of a centre queue first', () => {
    const r = serveWaitingQueue({ ...capped, nationalCapacity: 1 }, centres, [w('late', 'quota', '750000001', 1, 9), w('early', 'quota', '750000002', 1, 2)]);
    expect(r.grants.map((g) => g.id)).toEqual(['early']);
  });

  it('grants every waiting request in unrestricted mode', () => {
    const r = serveWaitingQueue({ ...capped, mode: 'unrestricted', nationalCapacity: null }, [], [w('a', 'quota', '750000001', 1, 2), w('b', 'urgent', '750000002', null, 1)]);
    expect(r.grants.map((g) => g.id)).toEqual(['b', 'a']);
  });
});
