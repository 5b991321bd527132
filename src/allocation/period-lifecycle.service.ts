import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { UnitOfWork } from '../common/database/unit-of-work';
import { addPeriods } from '../common/domain/period';
import { EstablishmentsService } from '../establishments/establishments.service';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
import { PoliciesService } from '../medicines/policies.service';
import { AllocationCounters, DecisionCounters, centreColumns } from './allocation-counters.repository';
import { unusedFreedCapacity } from './domain/capacity';
import { PeriodAllocation, computePeriodAllocation } from './domain/period-allocation';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';
import { WaitingQueue } from './waiting-queue.service';

/** A medicine and the policy version in force for the period. */
export interface MedicinePolicy {
  medicine: string;
  policy: PolicyEntity;
}

/** The period's followed patients, read by the first batch of a run that needs them and kept for the next. */
export interface FollowedCache {
  followed?: ReadonlyMap<string, number>;
}

/**
 * A period allocation's life (SPEC §3–4): lazy creation under a named lock with credits carried
 * from the latest earlier allocation, and the mid-period recompute when a new policy version takes
 * effect. Runs inside the caller's transaction.
 */
/** Whether counters read for a decision are those of the period's allocation under `policy` (nothing to prepare first). */
export function isPreparedFor(read: DecisionCounters | null, policy: PolicyEntity): read is DecisionCounters {
  return read !== null && read.state.policyVersion === policy.version;
}

@Injectable()
export class PeriodLifecycle {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly establishments: EstablishmentsService,
    private readonly counters: AllocationCounters,
    private readonly queue: WaitingQueue,
    private readonly policies: PoliciesService,
  ) {}

  /**
   * The period's allocation under `policy`, created on first need (credits carried from the latest
   * earlier allocation) or computed again when a new version took effect mid-period (SPEC §3).
   * When it was created or recomputed, the waiting queue is served (waitlisted requests head the
   * new period's queue, SPEC §4 rule 3).
   */
  async prepare(manager: EntityManager, actor: Actor, medicine: string, period: string, policy: PolicyEntity): Promise<PeriodAllocationEntity> {
    const existing = await this.counters.find(manager, medicine, period);
    if (existing && existing.policyVersion === policy.version) return existing;
    return (await this.prepareMany(manager, actor, period, [{ medicine, policy }])).get(medicine)!;
  }

  /**
   * `prepare` for many medicines of one period at once (the period-start job), set-based: the
   * followed patients read once (kept in `cache` for the next batch of the same run), every previous allocation's credits read together, each
   * medicine's pure apportionment, and all the new rows written by multi-row inserts; one audit event
   * per medicine-period as for a single one. Returns each medicine's row.
   */
  async prepareMany(manager: EntityManager, actor: Actor, period: string, items: readonly MedicinePolicy[], cache: FollowedCache = {}): Promise<Map<string, PeriodAllocationEntity>> {
    const sorted = [...items].sort((a, b) => (a.medicine < b.medicine ? -1 : a.medicine > b.medicine ? 1 : 0));
    const medicines = sorted.map((i) => i.medicine);
    // One lock a medicine-period, always taken in medicine order so two batches cannot deadlock.
    for (const medicine of medicines) await this.unitOfWork.lock(manager, `alloc:${medicine}:${period}`);
    const rows = await this.counters.findMany(manager, medicines, period);
    const stale = sorted.filter((i) => rows.has(i.medicine) && rows.get(i.medicine)!.policyVersion !== i.policy.version);
    const missing = sorted.filter((i) => !rows.has(i.medicine));
    if (stale.length === 0 && missing.length === 0) return rows;
    const followed = (cache.followed ??= await this.establishments.followedAt(manager, period));
    for (const item of stale) await this.recompute(manager, actor, rows.get(item.medicine)!, item.policy, followed);
    if (missing.length > 0) await this.createMany(manager, actor, period, missing, followed);
    const changed = [...stale, ...missing];
    if (period === this.clock.period()) {
      const waiting = await this.counters.withWaitingRequests(manager, changed.map((i) => i.medicine));
      for (const item of changed) {
        if (!waiting.has(item.medicine)) continue;
        const row = (await this.counters.find(manager, item.medicine, period))!;
        await this.queue.serveQueue(manager, actor, row, item.policy);
      }
    }
    const fresh = await this.counters.findMany(manager, changed.map((i) => i.medicine), period);
    for (const [medicine, row] of fresh) rows.set(medicine, row);
    return rows;
  }

  /**
   * What a quota decision reads, prepared: the counters the decision read (`read`) when the allocation
   * is already computed under `policy` (every request but a period's first or a new version's first),
   * else the allocation prepared first and its counters read again.
   */
  async prepareForDecision(manager: EntityManager, actor: Actor, medicine: string, period: string, policy: PolicyEntity, finess: string, read: DecisionCounters | null): Promise<DecisionCounters> {
    if (isPreparedFor(read, policy)) return read;
    await this.prepare(manager, actor, medicine, period, policy);
    return (await this.counters.forDecision(manager, medicine, period, finess))!;
  }

  /** New periods of `items` (none has a row yet): credits carried from each one's latest earlier allocation. */
  private async createMany(manager: EntityManager, actor: Actor, period: string, items: readonly MedicinePolicy[], followed: ReadonlyMap<string, number>): Promise<void> {
    const medicines = items.map((i) => i.medicine);
    const previous = await this.counters.latestBefore(manager, medicines, period);
    const adjacentPeriod = addPeriods(period, -1);
    const adjacent = [...previous.values()].filter((p) => p.period === adjacentPeriod);
    const previousPolicies = adjacent.length > 0 ? await this.policies.versionsOf(adjacent.map((p) => p.medicine), manager) : new Map<string, PolicyEntity[]>();
    // What each previous period's policy did with unused slots: only an adjacent one's `carry` carries them (`lapse`, the default, carries nothing).
    const unusedQuota = (before: PeriodAllocationEntity): 'lapse' | 'carry' =>
      before.period === adjacentPeriod ? (previousPolicies.get(before.medicine)?.find((p) => p.version === before.policyVersion)?.unusedQuota ?? 'lapse') : 'lapse';
    const previousCentres = await this.counters.previousCentres(manager, [...previous.values()].map((p) => ({ medicine: p.medicine, period: p.period, unused: unusedQuota(p) === 'carry' })));
    const capacity = await this.counters.capacityOf(manager, medicines, period);
    const computedAt = this.clock.now().toISOString();
    const followedInOrder = [...followed.keys()].sort(byString);
    const periodRows: PeriodAllocationEntity[] = [];
    const allocations: PeriodAllocation[] = [];
    for (const { medicine, policy } of items) {
      const before = previous.get(medicine);
      const centres = previousCentres.get(medicine) ?? { finess: [], creditAfter: [], unused: null };
      const isAdjacent = before !== undefined && before.period === adjacentPeriod;
      // The centres in FINESS order (the apportionment's own order, so its sorts find them sorted).
      const others = centres.finess.filter((f) => !followed.has(f));
      const finesses = others.length === 0 ? followedInOrder : [...followedInOrder, ...others].sort(byString);
      // The previous rows' index of each centre: the same order as `finesses` when both hold the same centres (the usual case), else by FINESS.
      const index = alignedIndex(centres.finess, finesses);
      // `slotsToCarry` under `carry`: every slot still unused (`lapse` carries nothing, as a missing column gives).
      const carried = centres.unused;
      const carriedFreed = isAdjacent ? unusedFreedCapacity(before.mode, before.nationalCapacity, before.urgentGranted + before.quotaGranted) : 0;
      const events = capacity.get(medicine) ?? { freed: 0, extra: 0 };
      const allocation = computePeriodAllocation({
        medicine,
        period,
        policy: { version: policy.version, mode: policy.mode, monthlyCap: policy.monthlyCap, quotaPool: policy.quotaPool },
        centres: finesses.map((finess, k) => {
          const i = index(finess, k);
          return { finess, followedPatients: followed.get(finess) ?? 0, creditBefore: i < 0 ? 0 : centres.creditAfter[i]!, carriedSlots: i < 0 || !carried ? 0 : Math.max(0, carried[i]!) };
        }),
        freedCapacity: events.freed,
        extraCapacity: events.extra,
        carriedFreedCapacity: carriedFreed,
      });
      periodRows.push({
        medicine,
        period,
        policyVersion: policy.version,
        mode: policy.mode,
        nationalCapacity: allocation.nationalCapacity,
        urgentGranted: 0,
        quotaGranted: 0,
        quotaPool: allocation.quotaPool,
        freedCapacity: events.freed,
        extraCapacity: events.extra,
        carriedFreedCapacity: carriedFreed,
        computedAt,
      });
      allocations.push(allocation);
    }
    await this.counters.insertPeriods(manager, periodRows);
    await this.counters.insertAllocationCentres(manager, allocations);
    for (const a of allocations) await this.audit.record(manager, actor, { action: 'allocation.computed', entity: 'allocation', entityId: `${a.medicine}/${period}`, before: null, after: summary(a), establishment: null });
  }

  /** A version taking effect mid-period: the full monthly figures, less what the period had already granted (SPEC §3). */
  private async recompute(manager: EntityManager, actor: Actor, stale: PeriodAllocationEntity, policy: PolicyEntity, followed: ReadonlyMap<string, number>): Promise<void> {
    const { medicine, period } = stale;
    // Grants take the period row first; holding it keeps `used` still while the pool is apportioned again.
    if (this.unitOfWork.isPostgres) await manager.query('SELECT 1 FROM period_allocations WHERE medicine = $1 AND period = $2 FOR UPDATE', [medicine, period]);
    const row = (await this.counters.find(manager, medicine, period))!;
    const existing = await this.counters.centres(manager, medicine, period);
    const byFiness = new Map(existing.map((c) => [c.finess, c]));
    const finesses = [...new Set([...followed.keys(), ...byFiness.keys()])];
    const before = await this.counters.response(manager, row);
    const allocation = computePeriodAllocation({
      medicine,
      period,
      policy: { version: policy.version, mode: policy.mode, monthlyCap: policy.monthlyCap, quotaPool: policy.quotaPool },
      centres: finesses.map((finess) => {
        const c = byFiness.get(finess);
        return { finess, followedPatients: followed.get(finess) ?? c?.followedPatients ?? 0, creditBefore: c?.creditBefore ?? 0, carriedSlots: c?.carriedSlots ?? 0, used: c?.used ?? 0 };
      }),
      alreadyGranted: { urgent: row.urgentGranted, quota: row.quotaGranted },
      freedCapacity: row.freedCapacity,
      extraCapacity: row.extraCapacity,
      carriedFreedCapacity: row.carriedFreedCapacity,
    });
    await manager.getRepository(PeriodAllocationEntity).update(
      { medicine, period },
      { policyVersion: policy.version, mode: policy.mode, nationalCapacity: allocation.nationalCapacity, quotaPool: allocation.quotaPool, computedAt: this.clock.now().toISOString() },
    );
    await this.counters.upsertCentres(manager, allocation.centres.map((c) => ({ medicine, period, ...centreColumns(c) })));
    await this.audit.record(manager, actor, {
      action: 'allocation.recomputed',
      entity: 'allocation',
      entityId: `${medicine}/${period}`,
      before: { policyVersion: before.policyVersion, mode: before.mode, nationalCapacity: before.nationalCapacity, quotaPool: before.quotaPool, urgentGranted: before.urgentGranted, quotaGranted: before.quotaGranted },
      after: summary(allocation),
      establishment: null,
    });
  }
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Where each of `finesses` (its position given) is in `from`, or -1: the position itself when both lists are the
 * same (checked once), else looked up by FINESS.
 */
function alignedIndex(from: readonly string[], finesses: readonly string[]): (finess: string, k: number) => number {
  if (from.length === finesses.length && from.every((f, k) => f === finesses[k])) return (_finess, k) => k;
  const byFiness = new Map(from.map((f, i) => [f, i]));
  return (finess) => byFiness.get(finess) ?? -1;
}

/** What the audit keeps of an allocation: the national figures and the centres given slots. */
function summary(a: PeriodAllocation): object {
  return {
    policyVersion: a.policyVersion,
    mode: a.mode,
    nationalCapacity: a.nationalCapacity,
    quotaPool: a.quotaPool,
    urgentGranted: a.urgentGranted,
    quotaGranted: a.quotaGranted,
    centres: a.centres.length,
    slots: Object.fromEntries(a.centres.filter((c) => c.slots > 0).map((c) => [c.finess, c.slots])),
  };
}
