import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan, LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { UnitOfWork } from '../common/database/unit-of-work';
import { addPeriods, periodBounds } from '../common/domain/period';
import { FollowedPatientsEntity } from '../establishments/entities/followed-patients.entity';
import { PolicyEntity } from '../medicines/entities/policy.entity';
import { insertChunks } from '../demo/demo-seeder.service';
import { Reason, reasons } from './domain/allocation.errors';
import { unusedFreedCapacity } from './domain/capacity';
import { CentreSlots, Decision, PeriodState, WaitingRequest, decideQuotaRequest, serveWaitingQueue } from './domain/decide';
import { PeriodAllocation, computePeriodAllocation } from './domain/period-allocation';
import { SlotTransfer, redistributeUnused, slotsToCarry } from './domain/period-end';
import { CapacityEventEntity } from './entities/capacity-event.entity';
import { CentreAllocationEntity } from './entities/centre-allocation.entity';
import { InitiationRequestEntity } from './entities/initiation-request.entity';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';

export interface AllocationResponse {
  medicine: string;
  period: string;
  policyVersion: number;
  mode: string;
  nationalCapacity: number | null;
  urgentGranted: number;
  quotaPool: number;
  quotaGranted: number;
  freedCapacity: number;
  extraCapacity: number;
  carriedFreedCapacity: number;
  computedAt: string;
  centres: { finess: string; followedPatients: number; entitlement: number; creditBefore: number; slots: number; used: number; creditAfter: number; carriedSlots: number }[];
}

/** The date whose policy governs a period: today within it, its first day ahead of it, its last day after it. */
export function governingDate(period: string, today: string): string {
  const { first, last } = periodBounds(period);
  if (today < first) return first;
  if (today > last) return last;
  return today;
}

export function stateOf(row: PeriodAllocationEntity): PeriodState {
  return {
    period: row.period,
    policyVersion: row.policyVersion,
    mode: row.mode,
    nationalCapacity: row.nationalCapacity,
    quotaPool: row.quotaPool,
    urgentGranted: row.urgentGranted,
    quotaGranted: row.quotaGranted,
  };
}

function slotsOf(row: CentreAllocationEntity | null, finess: string): CentreSlots {
  return row
    ? { finess, slots: row.slots, used: row.used, entitlement: row.entitlement, creditAfter: row.creditAfter }
    : { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 };
}

/**
 * The period allocations and their counters (SPEC §4): lazy creation under a named lock, the
 * mid-period recompute (SPEC §3), slots taken by conditional updates (rule 7), the waiting queue.
 * Every method runs inside the caller's transaction.
 */
@Injectable()
export class AllocationLedger {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  find(manager: EntityManager, medicine: string, period: string): Promise<PeriodAllocationEntity | null> {
    return manager.getRepository(PeriodAllocationEntity).findOne({ where: { medicine, period } });
  }

  async response(manager: EntityManager, row: PeriodAllocationEntity, onlyFiness?: string | null): Promise<AllocationResponse> {
    const where = onlyFiness ? { medicine: row.medicine, period: row.period, finess: onlyFiness } : { medicine: row.medicine, period: row.period };
    const centres = await manager.getRepository(CentreAllocationEntity).find({ where, order: { finess: 'ASC' } });
    return {
      medicine: row.medicine,
      period: row.period,
      policyVersion: row.policyVersion,
      mode: row.mode,
      nationalCapacity: row.nationalCapacity,
      urgentGranted: row.urgentGranted,
      quotaPool: row.quotaPool,
      quotaGranted: row.quotaGranted,
      freedCapacity: row.freedCapacity,
      extraCapacity: row.extraCapacity,
      carriedFreedCapacity: row.carriedFreedCapacity,
      computedAt: row.computedAt,
      centres: centres.map(centreColumns),
    };
  }

  /**
   * The period's allocation under `policy`, created on first need (credits carried from the latest
   * earlier allocation) or computed again when a new version took effect mid-period (SPEC §3).
   * When it was created or recomputed, the waiting queue is served (waitlisted requests head the
   * new period's queue, SPEC §4 rule 3).
   */
  async prepare(manager: EntityManager, actor: Actor, medicine: string, period: string, policy: PolicyEntity): Promise<PeriodAllocationEntity> {
    const existing = await this.find(manager, medicine, period);
    if (existing && existing.policyVersion === policy.version) return existing;
    await this.unitOfWork.lock(manager, `alloc:${medicine}:${period}`);
    const row = await this.find(manager, medicine, period);
    if (row && row.policyVersion === policy.version) return row;
    const fresh = row ? await this.recompute(manager, actor, row, policy) : await this.create(manager, actor, medicine, period, policy);
    if (period === this.clock.period()) await this.serveQueue(manager, actor, fresh, policy);
    return (await this.find(manager, medicine, period))!;
  }

  private async followedAt(manager: EntityManager, period: string): Promise<Map<string, number>> {
    const rows = await manager.getRepository(FollowedPatientsEntity).find({ where: { period: LessThanOrEqual(period) }, order: { period: 'ASC' } });
    const out = new Map<string, number>();
    for (const row of rows) out.set(row.finess, row.count);
    return out;
  }

  private async capacityEvents(manager: EntityManager, medicine: string, period: string): Promise<{ freed: number; extra: number }> {
    const events = await manager.getRepository(CapacityEventEntity).find({ where: { medicine, period } });
    let freed = 0;
    let extra = 0;
    for (const e of events) {
      if (e.kind === 'stop') freed += e.initiations;
      else extra += e.initiations;
    }
    return { freed, extra };
  }

  private async create(manager: EntityManager, actor: Actor, medicine: string, period: string, policy: PolicyEntity): Promise<PeriodAllocationEntity> {
    const previous = (await manager.getRepository(PeriodAllocationEntity).find({ where: { medicine, period: LessThan(period) }, order: { period: 'DESC' }, take: 1 }))[0];
    const previousCentres = previous ? await manager.getRepository(CentreAllocationEntity).find({ where: { medicine, period: previous.period } }) : [];
    const adjacent = previous !== undefined && previous.period === addPeriods(period, -1);
    let carried = new Map<string, number>();
    if (adjacent) {
      const previousPolicy = await manager.getRepository(PolicyEntity).findOne({ where: { medicineCode: medicine, version: previous.policyVersion } });
      carried = new Map(slotsToCarry(previousCentres, previousPolicy?.unusedQuota ?? 'lapse').map((c) => [c.finess, c.carriedSlots]));
    }
    const carriedFreed = adjacent ? unusedFreedCapacity(previous.mode, previous.nationalCapacity, previous.urgentGranted + previous.quotaGranted) : 0;
    const followed = await this.followedAt(manager, period);
    const credits = new Map(previousCentres.map((c) => [c.finess, c.creditAfter]));
    const finesses = [...new Set([...followed.keys(), ...credits.keys()])];
    const events = await this.capacityEvents(manager, medicine, period);
    const allocation = computePeriodAllocation({
      medicine,
      period,
      policy: { version: policy.version, mode: policy.mode, monthlyCap: policy.monthlyCap, quotaPool: policy.quotaPool },
      centres: finesses.map((finess) => ({ finess, followedPatients: followed.get(finess) ?? 0, creditBefore: credits.get(finess) ?? 0, carriedSlots: carried.get(finess) ?? 0 })),
      freedCapacity: events.freed,
      extraCapacity: events.extra,
      carriedFreedCapacity: carriedFreed,
    });
    const row = manager.getRepository(PeriodAllocationEntity).create({
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
      computedAt: this.clock.now().toISOString(),
    });
    await manager.getRepository(PeriodAllocationEntity).insert(row);
    await insertChunks(manager, CentreAllocationEntity, allocation.centres.map((c) => ({ medicine, period, ...centreColumns(c) })));
    await this.audit.record(manager, actor, { action: 'allocation.computed', entity: 'allocation', entityId: `${medicine}/${period}`, before: null, after: summary(allocation), establishment: null });
    return row;
  }

  /** A version taking effect mid-period: the full monthly figures, less what the period had already granted (SPEC §3). */
  private async recompute(manager: EntityManager, actor: Actor, stale: PeriodAllocationEntity, policy: PolicyEntity): Promise<PeriodAllocationEntity> {
    const { medicine, period } = stale;
    // Grants take the period row first; holding it keeps `used` still while the pool is apportioned again.
    if (this.unitOfWork.isPostgres) await manager.query('SELECT 1 FROM period_allocations WHERE medicine = $1 AND period = $2 FOR UPDATE', [medicine, period]);
    const row = (await this.find(manager, medicine, period))!;
    const existing = await manager.getRepository(CentreAllocationEntity).find({ where: { medicine, period } });
    const byFiness = new Map(existing.map((c) => [c.finess, c]));
    const followed = await this.followedAt(manager, period);
    const finesses = [...new Set([...followed.keys(), ...byFiness.keys()])];
    const before = await this.response(manager, row);
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
    const rows = allocation.centres.map((c) => ({ medicine, period, ...centreColumns(c) }));
    for (let i = 0; i < rows.length; i += 200) {
      await manager.getRepository(CentreAllocationEntity).upsert(rows.slice(i, i + 200), ['medicine', 'period', 'finess']);
    }
    await this.audit.record(manager, actor, {
      action: 'allocation.recomputed',
      entity: 'allocation',
      entityId: `${medicine}/${period}`,
      before: { policyVersion: before.policyVersion, mode: before.mode, nationalCapacity: before.nationalCapacity, quotaPool: before.quotaPool, urgentGranted: before.urgentGranted, quotaGranted: before.quotaGranted },
      after: summary(allocation),
      establishment: null,
    });
    return (await this.find(manager, medicine, period))!;
  }

  /** Takes one national initiation for an approved urgent request: any capacity not yet granted (SPEC §4 rule 3). */
  private async takeUrgent(manager: EntityManager, medicine: string, period: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(PeriodAllocationEntity)
      .set({ urgentGranted: () => 'urgent_granted + 1' })
      .where('medicine = :medicine AND period = :period AND (national_capacity IS NULL OR urgent_granted + quota_granted < national_capacity)', { medicine, period })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * Takes one quota slot: first the national counters (pool and capacity), then the centre's
   * `used < slots`; if the centre has none left, the national take is undone in the same
   * transaction. The period row is always locked before a centre row (as in `recompute`).
   */
  private async takeQuota(manager: EntityManager, medicine: string, period: string, finess: string): Promise<boolean> {
    const national = await manager
      .createQueryBuilder()
      .update(PeriodAllocationEntity)
      .set({ quotaGranted: () => 'quota_granted + 1' })
      .where('medicine = :medicine AND period = :period AND quota_granted < quota_pool AND (national_capacity IS NULL OR urgent_granted + quota_granted < national_capacity)', { medicine, period })
      .execute();
    if ((national.affected ?? 0) !== 1) return false;
    const centre = await manager
      .createQueryBuilder()
      .update(CentreAllocationEntity)
      .set({ used: () => 'used + 1' })
      .where('medicine = :medicine AND period = :period AND finess = :finess AND used < slots', { medicine, period, finess })
      .execute();
    if ((centre.affected ?? 0) === 1) return true;
    await manager.createQueryBuilder().update(PeriodAllocationEntity).set({ quotaGranted: () => 'quota_granted - 1' }).where('medicine = :medicine AND period = :period', { medicine, period }).execute();
    return false;
  }

  /** Gives back the slot of a grant withdrawn or expired before it started. */
  async release(manager: EntityManager, request: InitiationRequestEntity): Promise<void> {
    if (!request.slotKind || !request.slotPeriod) return;
    const { medicine } = request;
    const period = request.slotPeriod;
    if (request.slotKind === 'urgent') {
      await manager.createQueryBuilder().update(PeriodAllocationEntity).set({ urgentGranted: () => 'urgent_granted - 1' }).where('medicine = :medicine AND period = :period AND urgent_granted > 0', { medicine, period }).execute();
      return;
    }
    await manager.createQueryBuilder().update(PeriodAllocationEntity).set({ quotaGranted: () => 'quota_granted - 1' }).where('medicine = :medicine AND period = :period AND quota_granted > 0', { medicine, period }).execute();
    await manager
      .createQueryBuilder()
      .update(CentreAllocationEntity)
      .set({ used: () => 'used - 1' })
      .where('medicine = :medicine AND period = :period AND finess = :finess AND used > 0', { medicine, period, finess: request.establishment })
      .execute();
  }

  private async reload(manager: EntityManager, medicine: string, period: string, finess: string): Promise<{ state: PeriodState; centre: CentreSlots }> {
    const row = (await this.find(manager, medicine, period))!;
    const centre = await manager.getRepository(CentreAllocationEntity).findOne({ where: { medicine, period, finess } });
    return { state: stateOf(row), centre: slotsOf(centre, finess) };
  }

  /**
   * Decides a quota request against the counters (SPEC §4 rules 3–7): a grant is the conditional
   * update that succeeded; zero rows means waitlisted, with the reason the fresh counters give.
   */
  async decideQuota(manager: EntityManager, row: PeriodAllocationEntity, finess: string): Promise<Decision> {
    const { medicine, period } = row;
    if (row.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(row.policyVersion), consumes: { kind: 'none' } };
    for (let attempt = 0; attempt < 3; attempt++) {
      // Counters as committed: when they already say no, the request waits without touching them.
      const fresh = await this.reload(manager, medicine, period, finess);
      const decision = decideQuotaRequest(fresh.state, fresh.centre);
      if (decision.status !== 'granted') return decision;
      // They say yes: only the conditional update decides (another writer may take the slot first).
      if (await this.takeQuota(manager, medicine, period, finess)) {
        const { centre } = await this.reload(manager, medicine, period, finess);
        return { status: 'granted', reason: reasons.grantedQuota(period, centre.used, centre.slots), consumes: { kind: 'quota', finess } };
      }
    }
    const fresh = await this.reload(manager, medicine, period, finess);
    return { status: 'waitlisted', reason: reasons.quotaPoolExhausted(period, fresh.state.quotaGranted, fresh.state.quotaPool) };
  }

  /** Decides an urgent request the committee approved (SPEC §4 rule 3): any national capacity left, else it heads the next period's queue. */
  async decideUrgent(manager: EntityManager, row: PeriodAllocationEntity): Promise<Decision> {
    const { medicine, period } = row;
    if (row.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(row.policyVersion), consumes: { kind: 'none' } };
    const taken = await this.takeUrgent(manager, medicine, period);
    const fresh = stateOf((await this.find(manager, medicine, period))!);
    const granted = fresh.urgentGranted + fresh.quotaGranted;
    if (taken) return { status: 'granted', reason: reasons.grantedUrgent(period, granted, fresh.nationalCapacity), consumes: { kind: 'urgent' } };
    return { status: 'waitlisted', reason: reasons.nationalCapacityExhausted(period, granted, fresh.nationalCapacity ?? 0, addPeriods(period, 1)) };
  }

  /**
   * Serves the waiting queue of the medicine in this period (a new period, a recompute, a stop in
   * `freed-stock` mode, a supply declaration, a released slot): approved urgent requests first,
   * then each centre's quota requests in its rank order (SPEC §4 rules 3 and 5). Returns the grants.
   */
  async serveQueue(manager: EntityManager, actor: Actor, row: PeriodAllocationEntity, policy: PolicyEntity): Promise<InitiationRequestEntity[]> {
    const { medicine, period } = row;
    const requests = manager.getRepository(InitiationRequestEntity);
    const waiting = await requests.find({ where: { medicine, status: 'waitlisted' } });
    if (waiting.length === 0) return [];
    const current = (await this.find(manager, medicine, period))!;
    const centres = await manager.getRepository(CentreAllocationEntity).find({ where: { medicine, period, finess: In([...new Set(waiting.map((w) => w.establishment))]) } });
    const plan = serveWaitingQueue(
      stateOf(current),
      centres.map((c) => slotsOf(c, c.finess)),
      waiting
        .filter((w) => w.kind === 'urgent' || w.kind === 'quota')
        .map((w): WaitingRequest => ({ id: w.id, kind: w.kind as 'urgent' | 'quota', finess: w.establishment, rank: w.rank, submittedAt: new Date(w.submittedAt), approvedAt: w.approvedAt ? new Date(w.approvedAt) : null })),
    );
    const byId = new Map(waiting.map((w) => [w.id, w]));
    const granted: InitiationRequestEntity[] = [];
    const now = this.clock.now().toISOString();
    for (const grant of plan.grants) {
      const request = byId.get(grant.id)!;
      let reason: Reason = grant.reason;
      if (grant.consumes.kind === 'urgent') {
        const d = await this.decideUrgent(manager, current);
        if (d.status !== 'granted') break;
        reason = d.reason;
      } else if (grant.consumes.kind === 'quota') {
        if (!(await this.takeQuota(manager, medicine, period, grant.consumes.finess))) break;
      }
      const before = { status: request.status, period: request.period, reason: { code: request.reasonCode, message: request.reasonMessage } };
      const change = {
        status: 'granted',
        period,
        policyVersion: policy.version,
        reasonCode: reason.code,
        reasonMessage: reason.message,
        reasonParams: reason.params,
        decidedAt: now,
        grantedAt: now,
        slotKind: grant.consumes.kind === 'none' ? null : grant.consumes.kind,
        slotPeriod: grant.consumes.kind === 'none' ? null : period,
        rank: null,
      } satisfies Partial<InitiationRequestEntity>;
      Object.assign(request, change);
      await requests.update({ id: request.id }, change);
      await this.audit.record(manager, actor, {
        action: 'initiation-request.granted-from-queue',
        entity: 'initiation-request',
        entityId: request.id,
        before,
        after: { status: 'granted', period, policyVersion: policy.version, reason },
        establishment: request.establishment,
      });
      granted.push(request);
    }
    return granted;
  }

  /**
   * In the period's last days, moves unused quota slots to waiting requests of other centres when
   * the policy says `redistribute` (SPEC §3), then serves the queue so the moved slots are granted
   * in each receiving centre's own rank order. Each move is a conditional update (the giver must
   * still have the slot unused) and is audited; credits are left as they are.
   */
  async redistribute(manager: EntityManager, actor: Actor, row: PeriodAllocationEntity, policy: PolicyEntity, today: string): Promise<{ transfers: SlotTransfer[]; granted: string[] }> {
    if (!policy.redistribute || row.mode === 'unrestricted') return { transfers: [], granted: [] };
    const { medicine, period } = row;
    const centres = await manager.getRepository(CentreAllocationEntity).find({ where: { medicine, period } });
    const waiting = await manager.getRepository(InitiationRequestEntity).find({ where: { medicine, status: 'waitlisted', kind: 'quota' } });
    const quotaRoom = row.nationalCapacity === null ? null : Math.max(0, row.nationalCapacity - row.urgentGranted - row.quotaGranted);
    const planned = redistributeUnused({
      centres: centres.map((c) => ({ finess: c.finess, slots: c.slots, used: c.used, creditAfter: c.creditAfter })),
      waiting: waiting.map((w) => ({ id: w.id, finess: w.establishment, rank: w.rank, submittedAt: new Date(w.submittedAt) })),
      today,
      periodEnd: periodBounds(period).last,
      quotaRoom,
    });
    const transfers: SlotTransfer[] = [];
    for (const transfer of planned) {
      const taken = await manager
        .createQueryBuilder()
        .update(CentreAllocationEntity)
        .set({ slots: () => 'slots - 1' })
        .where('medicine = :medicine AND period = :period AND finess = :finess AND used < slots', { medicine, period, finess: transfer.fromFiness })
        .execute();
      if ((taken.affected ?? 0) !== 1) continue;
      const given = await manager
        .createQueryBuilder()
        .update(CentreAllocationEntity)
        .set({ slots: () => 'slots + 1' })
        .where('medicine = :medicine AND period = :period AND finess = :finess', { medicine, period, finess: transfer.toFiness })
        .execute();
      if ((given.affected ?? 0) !== 1) throw new Error(`centre ${transfer.toFiness} has no allocation row for ${medicine} ${period}`);
      await this.audit.record(manager, actor, {
        action: 'allocation.slot-redistributed',
        entity: 'allocation',
        entityId: `${medicine}/${period}`,
        after: { from: transfer.fromFiness, to: transfer.toFiness, request: transfer.requestId },
        establishment: null,
      });
      transfers.push(transfer);
    }
    const granted = transfers.length > 0 ? (await this.serveQueue(manager, actor, (await this.find(manager, medicine, period))!, policy)).map((r) => r.id) : [];
    return { transfers, granted };
  }

  /** Adds freed or declared capacity to an existing period (mode `freed-stock` counts it at once). */
  async addCapacity(manager: EntityManager, medicine: string, period: string, kind: 'stop' | 'supply', initiations: number): Promise<void> {
    const column = kind === 'stop' ? 'freed_capacity' : 'extra_capacity';
    const property = kind === 'stop' ? 'freedCapacity' : 'extraCapacity';
    await manager.createQueryBuilder().update(PeriodAllocationEntity).set({ [property]: () => `${column} + ${Number(initiations)}` }).where('medicine = :medicine AND period = :period', { medicine, period }).execute();
    await manager
      .createQueryBuilder()
      .update(PeriodAllocationEntity)
      .set({ nationalCapacity: () => `national_capacity + ${Number(initiations)}` })
      .where("medicine = :medicine AND period = :period AND mode = 'freed-stock' AND national_capacity IS NOT NULL", { medicine, period })
      .execute();
  }
}

/** A centre's figures, from a computed allocation or a stored row. */
function centreColumns(c: PeriodAllocation['centres'][number] | CentreAllocationEntity): Omit<CentreAllocationEntity, 'medicine' | 'period'> {
  return {
    finess: c.finess,
    followedPatients: c.followedPatients,
    entitlement: c.entitlement,
    creditBefore: c.creditBefore,
    slots: c.slots,
    used: c.used,
    creditAfter: c.creditAfter,
    carriedSlots: c.carriedSlots,
  };
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
