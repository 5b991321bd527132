import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { UnitOfWork } from '../common/database/unit-of-work';
import { addPeriods } from '../common/domain/period';
import { EstablishmentsService } from '../establishments/establishments.service';
import { PolicyEntity } from '../medicines/entities/policy.entity';
import { AllocationCounters, centreColumns } from './allocation-counters.repository';
import { unusedFreedCapacity } from './domain/capacity';
import { CentreSlots, PeriodState } from './domain/decide';
import { PeriodAllocation, computePeriodAllocation } from './domain/period-allocation';
import { slotsToCarry } from './domain/period-end';
import { CapacityEventEntity } from './entities/capacity-event.entity';
import { CentreAllocationEntity } from './entities/centre-allocation.entity';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';
import { WaitingQueue } from './waiting-queue.service';

/**
 * A period allocation's life (SPEC §3–4): lazy creation under a named lock with credits carried
 * from the latest earlier allocation, and the mid-period recompute when a new policy version takes
 * effect. Runs inside the caller's transaction.
 */
@Injectable()
export class PeriodLifecycle {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly establishments: EstablishmentsService,
    private readonly counters: AllocationCounters,
    private readonly queue: WaitingQueue,
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
    await this.unitOfWork.lock(manager, `alloc:${medicine}:${period}`);
    const row = await this.counters.find(manager, medicine, period);
    if (row && row.policyVersion === policy.version) return row;
    const fresh = row ? await this.recompute(manager, actor, row, policy) : await this.create(manager, actor, medicine, period, policy);
    if (period === this.clock.period()) await this.queue.serveQueue(manager, actor, fresh, policy);
    return (await this.counters.find(manager, medicine, period))!;
  }

  /**
   * What a quota decision reads, prepared: the period's and the centre's counters in one statement
   * when the allocation is already computed under `policy` (every request but a period's first or a
   * new version's first), else the allocation prepared first.
   */
  async prepareForDecision(manager: EntityManager, actor: Actor, medicine: string, period: string, policy: PolicyEntity, finess: string): Promise<{ state: PeriodState; centre: CentreSlots }> {
    const read = await this.counters.forDecision(manager, medicine, period, finess);
    if (read && read.state.policyVersion === policy.version) return read;
    await this.prepare(manager, actor, medicine, period, policy);
    return (await this.counters.forDecision(manager, medicine, period, finess))!;
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
    const previousCentres = previous ? await this.counters.centres(manager, medicine, previous.period) : [];
    const adjacent = previous !== undefined && previous.period === addPeriods(period, -1);
    let carried = new Map<string, number>();
    if (adjacent) {
      const previousPolicy = await manager.getRepository(PolicyEntity).findOne({ where: { medicineCode: medicine, version: previous.policyVersion } });
      carried = new Map(slotsToCarry(previousCentres, previousPolicy?.unusedQuota ?? 'lapse').map((c) => [c.finess, c.carriedSlots]));
    }
    const carriedFreed = adjacent ? unusedFreedCapacity(previous.mode, previous.nationalCapacity, previous.urgentGranted + previous.quotaGranted) : 0;
    const followed = await this.establishments.followedAt(manager, period);
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
    await this.counters.insertCentres(manager, medicine, period, allocation.centres.map(centreColumns));
    await this.audit.record(manager, actor, { action: 'allocation.computed', entity: 'allocation', entityId: `${medicine}/${period}`, before: null, after: summary(allocation), establishment: null });
    return row;
  }

  /** A version taking effect mid-period: the full monthly figures, less what the period had already granted (SPEC §3). */
  private async recompute(manager: EntityManager, actor: Actor, stale: PeriodAllocationEntity, policy: PolicyEntity): Promise<PeriodAllocationEntity> {
    const { medicine, period } = stale;
    // Grants take the period row first; holding it keeps `used` still while the pool is apportioned again.
    if (this.unitOfWork.isPostgres) await manager.query('SELECT 1 FROM period_allocations WHERE medicine = $1 AND period = $2 FOR UPDATE', [medicine, period]);
    const row = (await this.counters.find(manager, medicine, period))!;
    const existing = await this.counters.centres(manager, medicine, period);
    const byFiness = new Map(existing.map((c) => [c.finess, c]));
    const followed = await this.establishments.followedAt(manager, period);
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
    return (await this.counters.find(manager, medicine, period))!;
  }
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
