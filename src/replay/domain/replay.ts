import { DateTime } from 'luxon';
import { Capacity, roomLeft, unusedFreedCapacity } from '../../allocation/domain/capacity';
import { Consumes, WaitingRequest, decideNewRequest, decideUrgentAfterCommittee, serveWaitingQueue, tallyVotes } from '../../allocation/domain/decide';
import { DEFAULT_REDISTRIBUTION_WINDOW_DAYS, redistributeUnused, slotsToCarry } from '../../allocation/domain/period-end';
import { PeriodAllocation, centreSlotsOf, computePeriodAllocation, periodStateOf } from '../../allocation/domain/period-allocation';
import { ZONE, addDays, addPeriods, periodBounds, periodOf, periodRange } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';
import { versionInForce } from '../../medicines/domain/policy-rules';
import { followedAt } from './request-stream';
import { ReplayCentre, ReplayEvent, ReplayPolicy, ReplayRow, RequestClass } from './replay-model';

export interface ReplayInput {
  medicine: string;
  policies: readonly ReplayPolicy[];
  centres: readonly ReplayCentre[];
  events: readonly ReplayEvent[];
  from: string;
  to: string;
  redistributionWindowDays?: number;
}

type AgendaItem =
  | { order: 0; at: number; id: string; type: 'policy'; policy: ReplayPolicy }
  | { order: 1; at: number; id: string; type: 'extra-supply'; count: number }
  | { order: 2; at: number; id: string; type: 'stop' }
  | { order: 3; at: number; id: string; type: 'committee'; requestId: string; decision: 'approve' | 'reject' }
  | { order: 4; at: number; id: string; type: 'redistribute'; date: string }
  | { order: 5; at: number; id: string; type: 'request'; event: Extract<ReplayEvent, { type: 'request' }> };

interface Waiting {
  request: WaitingRequest;
  cls: RequestClass;
}

interface Pending {
  cls: RequestClass;
  finess: string;
  submittedAt: Date;
  votesRequired: number;
}

function midnight(date: string): number {
  return DateTime.fromISO(date, { zone: ZONE }).toMillis();
}

/**
 * Replays a policy timeline on a request stream (SPEC §12), period by period, through the
 * allocation engine the app uses: `computePeriodAllocation` at each period's start and again when
 * a version takes effect mid-period (full monthly figures less what was granted, SPEC §3) or when
 * a declared stop or the lab's extra supply adds `freed-stock` capacity; `decideNewRequest`,
 * `tallyVotes` and `decideUrgentAfterCommittee` for every request; `serveWaitingQueue` whenever
 * capacity appears; `slotsToCarry`, `redistributeUnused` and `unusedFreedCapacity` at the
 * period's end. Credits, carried slots, unused freed capacity and the waiting queue carry from
 * one period to the next. A request whose indication the version in force does not enable is
 * refused (INDICATION_NOT_ENABLED). Fails when no version is in force at `from`.
 */
export function replayTimeline(input: ReplayInput): Result<ReplayRow[], string> {
  const policies = [...input.policies].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const firstDay = periodBounds(input.from).first;
  if (!versionInForce(policies, firstDay)) {
    const first = policies[0];
    return fail(`no policy of ${input.medicine} is in force on ${firstDay}${first ? ` (the first takes effect on ${first.effectiveFrom})` : ''}`);
  }
  const windowDays = input.redistributionWindowDays ?? DEFAULT_REDISTRIBUTION_WINDOW_DAYS;
  const finesses = input.centres.map((c) => c.finess);
  const credits = new Map<string, number>(finesses.map((f) => [f, 0]));
  let carriedSlots = new Map<string, number>();
  let carriedFreed = 0;
  const cumSlots = new Map<string, number>(finesses.map((f) => [f, 0]));
  const cumEntitlement = new Map<string, number>(finesses.map((f) => [f, 0]));
  let queue: Waiting[] = [];
  const pending = new Map<string, Pending>();
  const rows: ReplayRow[] = [];

  const eventsByPeriod = new Map<string, AgendaItem[]>();
  const push = (item: AgendaItem): void => {
    const period = periodOf(new Date(item.at));
    const list = eventsByPeriod.get(period);
    if (list) list.push(item);
    else eventsByPeriod.set(period, [item]);
  };
  for (const e of input.events) {
    const at = Date.parse(e.at);
    switch (e.type) {
      case 'request':
        push({ order: 5, at, id: e.id, type: 'request', event: e });
        push({ order: 3, at: Date.parse(e.committee.at), id: `${e.id}:committee`, type: 'committee', requestId: e.id, decision: e.committee.decision });
        break;
      case 'stop':
        push({ order: 2, at, id: e.id, type: 'stop' });
        break;
      case 'extra-supply':
        push({ order: 1, at, id: e.id, type: 'extra-supply', count: e.count });
        break;
    }
  }

  for (const period of periodRange(input.from, input.to)) {
    const { first, last } = periodBounds(period);
    const nextStart = midnight(periodBounds(addPeriods(period, 1)).first);
    let policy = versionInForce(policies, first)!;
    const versions = [policy.version];
    let freed = 0;
    let extra = 0;
    const counts = { urgentAsked: 0, urgentGranted: 0, quotaAsked: 0, quotaGranted: 0, refused: 0, stops: 0 };
    const followed = new Map(input.centres.map((c) => [c.finess, followedAt(c, period)]));

    const compute = (current: PeriodAllocation | null): PeriodAllocation =>
      computePeriodAllocation({
        medicine: input.medicine,
        period,
        policy: { version: policy.version, mode: policy.mode, monthlyCap: policy.monthlyCap, quotaPool: policy.quotaPool },
        centres: finesses.map((finess) => ({
          finess,
          followedPatients: followed.get(finess) ?? 0,
          creditBefore: credits.get(finess) ?? 0,
          carriedSlots: carriedSlots.get(finess) ?? 0,
          used: current ? centreSlotsOf(current, finess).used : 0,
        })),
        alreadyGranted: current ? { urgent: current.urgentGranted, quota: current.quotaGranted } : undefined,
        freedCapacity: freed,
        extraCapacity: extra,
        carriedFreedCapacity: carriedFreed,
      });
    let allocation = compute(null);

    const grant = (cls: RequestClass, consumes: Consumes): void => {
      if (cls === 'urgent') counts.urgentGranted += 1;
      else counts.quotaGranted += 1;
      switch (consumes.kind) {
        case 'none':
          return;
        case 'urgent':
          allocation = { ...allocation, urgentGranted: allocation.urgentGranted + 1 };
          return;
        case 'quota':
          allocation = {
            ...allocation,
            quotaGranted: allocation.quotaGranted + 1,
            centres: allocation.centres.map((c) => (c.finess === consumes.finess ? { ...c, used: c.used + 1 } : c)),
          };
          return;
      }
    };
    const serve = (): void => {
      if (queue.length === 0) return;
      const served = serveWaitingQueue(
        periodStateOf(allocation),
        allocation.centres.map((c) => centreSlotsOf(allocation, c.finess)),
        queue.map((w) => w.request),
      );
      if (served.grants.length === 0) return;
      const used = new Map(served.centres.map((c) => [c.finess, c.used]));
      allocation = {
        ...allocation,
        urgentGranted: served.state.urgentGranted,
        quotaGranted: served.state.quotaGranted,
        centres: allocation.centres.map((c) => ({ ...c, used: used.get(c.finess) ?? c.used })),
      };
      const grantedIds = new Set(served.grants.map((g) => g.id));
      for (const w of queue) if (grantedIds.has(w.request.id)) {
        if (w.cls === 'urgent') counts.urgentGranted += 1;
        else counts.quotaGranted += 1;
      }
      queue = queue.filter((w) => !grantedIds.has(w.request.id));
    };

    const agenda: AgendaItem[] = [...(eventsByPeriod.get(period) ?? [])];
    for (const p of policies) if (p.effectiveFrom > first && p.effectiveFrom <= last) agenda.push({ order: 0, at: midnight(p.effectiveFrom), id: `policy:v${p.version}`, type: 'policy', policy: p });
    const windowStart = addDays(last, -(windowDays - 1));
    agenda.push({ order: 4, at: midnight(windowStart), id: `redistribute:${period}`, type: 'redistribute', date: windowStart });
    agenda.sort((a, b) => a.at - b.at || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    serve();
    for (const item of agenda) {
      if (item.at >= nextStart) continue;
      switch (item.type) {
        case 'policy':
          policy = item.policy;
          versions.push(policy.version);
          allocation = compute(allocation);
          serve();
          break;
        case 'extra-supply':
          extra += item.count;
          if (policy.mode === 'freed-stock') {
            allocation = compute(allocation);
            serve();
          }
          break;
        case 'stop':
          counts.stops += 1;
          if (policy.mode === 'freed-stock') {
            freed += 1;
            allocation = compute(allocation);
            serve();
          }
          break;
        case 'committee': {
          const p = pending.get(item.requestId);
          if (!p) break;
          pending.delete(item.requestId);
          const tally = tallyVotes(Array.from({ length: p.votesRequired }, () => ({ decision: item.decision })), p.votesRequired);
          if (tally.outcome !== 'approved') {
            counts.refused += 1;
            break;
          }
          const decision = decideUrgentAfterCommittee(periodStateOf(allocation));
          if (decision.status === 'granted') grant(p.cls, decision.consumes);
          else queue.push({ cls: p.cls, request: { id: item.requestId, kind: 'urgent', finess: p.finess, rank: null, submittedAt: p.submittedAt, approvedAt: new Date(item.at) } });
          break;
        }
        case 'redistribute': {
          if (!policy.redistribute || policy.mode === 'unrestricted') break;
          const transfers = redistributeUnused({
            centres: allocation.centres.map((c) => ({ finess: c.finess, slots: c.slots, used: c.used, creditAfter: c.creditAfter })),
            waiting: queue.filter((w) => w.request.kind === 'quota').map((w) => ({ id: w.request.id, rank: w.request.rank, submittedAt: w.request.submittedAt, finess: w.request.finess })),
            today: item.date,
            periodEnd: last,
            windowDays,
            quotaRoom: roomLeft(allocation.nationalCapacity, allocation.quotaPool, allocation).quota,
          });
          for (const t of transfers) {
            const w = queue.find((x) => x.request.id === t.requestId)!;
            grant(w.cls, { kind: 'quota', finess: t.fromFiness });
            queue = queue.filter((x) => x.request.id !== t.requestId);
          }
          break;
        }
        case 'request': {
          const e = item.event;
          if (e.class === 'urgent') counts.urgentAsked += 1;
          else counts.quotaAsked += 1;
          const indication = policy.indications.find((i) => i.code === e.indication);
          if (!indication) {
            counts.refused += 1;
            break;
          }
          const submittedAt = new Date(item.at);
          const decision = decideNewRequest({
            state: periodStateOf(allocation),
            kind: indication.kind,
            indication: indication.code,
            centre: centreSlotsOf(allocation, e.finess),
            committee: { votesRequired: policy.votesRequired, deadlineHours: policy.deadlineHours },
            submittedAt,
          });
          switch (decision.status) {
            case 'granted':
              grant(e.class, decision.consumes);
              break;
            case 'waitlisted':
              queue.push({ cls: e.class, request: { id: e.id, kind: 'quota', finess: e.finess, rank: e.rank, submittedAt } });
              break;
            case 'pending_review':
              pending.set(e.id, { cls: e.class, finess: e.finess, submittedAt, votesRequired: policy.votesRequired });
              break;
          }
          break;
        }
      }
    }

    let largestDeviation = 0;
    for (const c of allocation.centres) {
      const slots = (cumSlots.get(c.finess) ?? 0) + c.slots - c.carriedSlots;
      const entitlement = (cumEntitlement.get(c.finess) ?? 0) + c.entitlement;
      cumSlots.set(c.finess, slots);
      cumEntitlement.set(c.finess, entitlement);
      largestDeviation = Math.max(largestDeviation, Math.abs(slots - entitlement));
      credits.set(c.finess, c.creditAfter);
    }
    const capacity: Capacity = allocation.nationalCapacity;
    rows.push({
      period,
      policyVersion: policy.version,
      policyVersions: versions,
      mode: policy.mode,
      capacity,
      urgentAsked: counts.urgentAsked,
      urgentGranted: counts.urgentGranted,
      quotaAsked: counts.quotaAsked,
      quotaGranted: counts.quotaGranted,
      refused: counts.refused,
      waitlisted: queue.length,
      waitlistedUrgent: queue.filter((w) => w.request.kind === 'urgent').length,
      stops: counts.stops,
      extraSupply: extra,
      largestDeviation,
    });
    carriedSlots = new Map(slotsToCarry(allocation.centres, policy.unusedQuota).map((c) => [c.finess, c.carriedSlots]));
    carriedFreed = unusedFreedCapacity(policy.mode, capacity, allocation.urgentGranted + allocation.quotaGranted);
  }
  return ok(rows);
}
