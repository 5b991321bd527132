import { addPeriods } from '../../common/domain/period';
import { Reason, reasons } from './allocation.errors';
import { Capacity, PolicyMode } from './capacity';

/** An indication's kind (SPEC §3). */
export type IndicationKind = 'urgent' | 'quota' | 'open';

/** What a period has granted so far, as loaded (under lock) from its allocation row. */
export interface PeriodState {
  period: string;
  policyVersion: number;
  mode: PolicyMode;
  nationalCapacity: Capacity;
  quotaPool: number;
  urgentGranted: number;
  quotaGranted: number;
}

/** One centre's row of the period allocation. */
export interface CentreSlots {
  finess: string;
  slots: number;
  used: number;
  /** Per-period entitlement, used to project the next slot. */
  entitlement: number;
  creditAfter: number;
}

/**
 * The counter a grant takes: the service increments it with a conditional update
 * (`… SET used = used + 1 WHERE used < slots`); zero rows updated means the slot is gone and the
 * request is decided again (SPEC §4 rule 7).
 */
export type Consumes = { kind: 'none' } | { kind: 'urgent' } | { kind: 'quota'; finess: string };

export type Decision =
  | { status: 'granted'; reason: Reason; consumes: Consumes }
  | { status: 'waitlisted'; reason: Reason }
  | { status: 'pending_review'; reason: Reason; deadline: Date };

export interface CommitteeRules {
  votesRequired: number;
  deadlineHours: number;
}

/** Default committee rules (SPEC §3): one approving vote, 48 hours. */
export const DEFAULT_COMMITTEE: CommitteeRules = { votesRequired: 1, deadlineHours: 48 };

/**
 * The period in which a centre whose quota is used can expect its next slot (SPEC §4 rule 6):
 * its credit carried forward with the current entitlement, the first period after `period`
 * where the credit is positive (the centre is owed a slot). An estimate: the greedy order also
 * depends on the other centres. `null` when the entitlement is 0 (no followed patients).
 */
export function nextSlotPeriod(period: string, creditAfter: number, entitlement: number): string | null {
  if (!(entitlement > 0)) return null;
  const periods = creditAfter > 0 ? 1 : Math.floor(-creditAfter / entitlement) + 1;
  return addPeriods(period, periods);
}

/**
 * Decides a quota request against its centre's slots (SPEC §4 rules 3–5): granted while the
 * centre has an unused slot, the pool is not used up and national capacity is left; otherwise
 * waitlisted with the first reason that holds, the centre's own quota first.
 * A centre with no allocation row is passed as `{ slots: 0, used: 0, entitlement: 0, creditAfter: 0 }`.
 */
export function decideQuotaRequest(state: PeriodState, centre: CentreSlots): Decision {
  if (state.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(state.policyVersion), consumes: { kind: 'none' } };
  if (centre.used >= centre.slots) {
    return { status: 'waitlisted', reason: reasons.centreQuotaExhausted(state.period, centre.used, centre.slots, nextSlotPeriod(state.period, centre.creditAfter, centre.entitlement)) };
  }
  if (state.quotaGranted >= state.quotaPool) {
    return { status: 'waitlisted', reason: reasons.quotaPoolExhausted(state.period, state.quotaGranted, state.quotaPool) };
  }
  if (state.nationalCapacity !== null && state.urgentGranted + state.quotaGranted >= state.nationalCapacity) {
    return { status: 'waitlisted', reason: reasons.nationalCapacityExhausted(state.period, state.urgentGranted + state.quotaGranted, state.nationalCapacity, addPeriods(state.period, 1)) };
  }
  return { status: 'granted', reason: reasons.grantedQuota(state.period, centre.used + 1, centre.slots), consumes: { kind: 'quota', finess: centre.finess } };
}

/**
 * Decides an urgent request the committee approved (SPEC §4 rule 3, §5): granted while any
 * national capacity is left (the quota pool's unused part included); otherwise waitlisted, and
 * it heads the next period's queue.
 */
export function decideUrgentAfterCommittee(state: PeriodState): Decision {
  if (state.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(state.policyVersion), consumes: { kind: 'none' } };
  if (state.nationalCapacity === null || state.urgentGranted + state.quotaGranted < state.nationalCapacity) {
    return { status: 'granted', reason: reasons.grantedUrgent(state.period, state.urgentGranted + state.quotaGranted + 1, state.nationalCapacity), consumes: { kind: 'urgent' } };
  }
  return { status: 'waitlisted', reason: reasons.nationalCapacityExhausted(state.period, state.urgentGranted + state.quotaGranted, state.nationalCapacity, addPeriods(state.period, 1)) };
}

/** When the committee must have decided (SPEC §3: `deadlineHours`, default 48). */
export function committeeDeadline(submittedAt: Date, deadlineHours: number): Date {
  return new Date(submittedAt.getTime() + deadlineHours * 3_600_000);
}

/** An urgent request still pending after its deadline (SPEC §5, reported daily). */
export function isReviewOverdue(submittedAt: Date, deadlineHours: number, now: Date): boolean {
  return now.getTime() > committeeDeadline(submittedAt, deadlineHours).getTime();
}

/**
 * Decides a new initiation request on submission (SPEC §5): mode `unrestricted` and `open`
 * indications are granted at once (counting against nothing); `urgent` goes to the committee;
 * `quota` is decided against the centre's slots (`decideQuotaRequest`).
 */
export function decideNewRequest(input: {
  state: PeriodState;
  kind: IndicationKind;
  indication: string;
  centre: CentreSlots;
  committee: CommitteeRules;
  submittedAt: Date;
}): Decision {
  const { state } = input;
  if (state.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(state.policyVersion), consumes: { kind: 'none' } };
  switch (input.kind) {
    case 'open':
      return { status: 'granted', reason: reasons.grantedOpen(input.indication), consumes: { kind: 'none' } };
    case 'urgent': {
      const deadline = committeeDeadline(input.submittedAt, input.committee.deadlineHours);
      return { status: 'pending_review', reason: reasons.pendingReview(input.committee.votesRequired, deadline.toISOString()), deadline };
    }
    case 'quota':
      return decideQuotaRequest(state, input.centre);
  }
}

export type VoteDecision = 'approve' | 'reject';

export interface Tally {
  outcome: 'pending' | 'approved' | 'rejected';
  approvals: number;
  rejections: number;
}

/**
 * The committee's decision (SPEC §5): taken when `votesRequired` votes of one kind are reached.
 * Votes are read in the order given (chronological): the first kind to reach `votesRequired`
 * decides, so rejection is symmetric with approval — `votesRequired` reject votes reject.
 */
export function tallyVotes(votes: readonly { decision: VoteDecision }[], votesRequired: number): Tally {
  if (!Number.isInteger(votesRequired) || votesRequired < 1) throw new Error(`votesRequired must be a positive integer, got ${votesRequired}`);
  let approvals = 0;
  let rejections = 0;
  let outcome: Tally['outcome'] = 'pending';
  for (const v of votes) {
    if (v.decision === 'approve') approvals += 1;
    else rejections += 1;
    if (outcome === 'pending' && approvals >= votesRequired) outcome = 'approved';
    if (outcome === 'pending' && rejections >= votesRequired) outcome = 'rejected';
  }
  return { outcome, approvals, rejections };
}

export interface QueuedRequest {
  id: string;
  /** The centre's own rank (1 first); `null` ranks last. */
  rank: number | null;
  submittedAt: Date;
}

function compareQueued(a: QueuedRequest, b: QueuedRequest): number {
  if (a.rank !== b.rank) {
    if (a.rank === null) return 1;
    if (b.rank === null) return -1;
    return a.rank - b.rank;
  }
  const t = a.submittedAt.getTime() - b.submittedAt.getTime();
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A centre's quota requests in the order they are served (SPEC §4 rule 5): rank, then submission time, then id. */
export function orderCentreQueue<T extends QueuedRequest>(requests: readonly T[]): T[] {
  return [...requests].sort(compareQueued);
}

export interface WaitingRequest extends QueuedRequest {
  kind: 'urgent' | 'quota';
  finess: string;
  /** Urgent: when the committee approved it (heads the queue in that order). */
  approvedAt?: Date | null;
}

export interface QueueGrant {
  id: string;
  reason: Reason;
  consumes: Consumes;
}

/**
 * Serves the waiting queue when capacity appears (a new period, a declared stop in
 * `freed-stock` mode, SPEC §4 rule 3, §7): approved urgent requests first, by approval time;
 * then each centre's quota requests in its own order up to its unused slots, within the pool
 * and national capacity; when national capacity runs short, the oldest head of a centre queue
 * goes first. Returns the grants in order and the period and centre counters after them.
 */
export function serveWaitingQueue(
  state: PeriodState,
  centres: readonly CentreSlots[],
  waiting: readonly WaitingRequest[],
): { grants: QueueGrant[]; state: PeriodState; centres: CentreSlots[] } {
  let s: PeriodState = { ...state };
  if (s.mode === 'unrestricted') {
    const all = [...waiting].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { grants: all.map((w) => ({ id: w.id, reason: reasons.grantedUnrestricted(s.policyVersion), consumes: { kind: 'none' } })), state: s, centres: centres.map((c) => ({ ...c })) };
  }
  const rows = new Map(centres.map((c) => [c.finess, { ...c }]));
  const grants: QueueGrant[] = [];
  const urgent = waiting
    .filter((w) => w.kind === 'urgent')
    .sort((a, b) => (a.approvedAt ?? a.submittedAt).getTime() - (b.approvedAt ?? b.submittedAt).getTime() || a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const w of urgent) {
    const d = decideUrgentAfterCommittee(s);
    if (d.status !== 'granted') break;
    grants.push({ id: w.id, reason: d.reason, consumes: d.consumes });
    if (d.consumes.kind === 'urgent') s = { ...s, urgentGranted: s.urgentGranted + 1 };
  }
  const queues = new Map<string, WaitingRequest[]>();
  for (const w of waiting) if (w.kind === 'quota') queues.set(w.finess, [...(queues.get(w.finess) ?? []), w]);
  for (const [finess, q] of queues) queues.set(finess, orderCentreQueue(q));
  for (;;) {
    let best: { finess: string; head: WaitingRequest } | null = null;
    for (const [finess, q] of [...queues].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const head = q[0];
      const row = rows.get(finess);
      if (!head || !row || row.used >= row.slots) continue;
      if (!best || head.submittedAt.getTime() < best.head.submittedAt.getTime()) best = { finess, head };
    }
    if (!best) break;
    const row = rows.get(best.finess)!;
    const d = decideQuotaRequest(s, row);
    if (d.status !== 'granted') break;
    grants.push({ id: best.head.id, reason: d.reason, consumes: d.consumes });
    if (d.consumes.kind === 'quota') {
      row.used += 1;
      s = { ...s, quotaGranted: s.quotaGranted + 1 };
    }
    queues.get(best.finess)!.shift();
  }
  return { grants, state: s, centres: [...rows.values()] };
}
