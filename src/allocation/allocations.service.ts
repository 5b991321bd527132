import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { JobContext, JobPayload } from '../common/contracts/job-registry';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { isPeriod } from '../common/domain/period';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
import { versionInForce } from '../medicines/domain/policy-rules';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { AllocationCounters, AllocationResponse } from './allocation-counters.repository';
import { governingDate } from './domain/governing-date';
import { allocationError, allocationRefusalToError, refusals } from './domain/allocation.errors';
import { DeclareSupplyDto } from './dto/allocation.dto';
import { CapacityEventEntity } from './entities/capacity-event.entity';
import type { PeriodAllocationEntity } from './entities/period-allocation.entity';
import { FollowedCache, MedicinePolicy, PeriodLifecycle } from './period-lifecycle.service';
import { WaitingQueue } from './waiting-queue.service';

function checkPeriod(period: string): void {
  if (!isPeriod(period)) throw allocationError('PERIOD_INVALID', { period }, [{ field: 'period', reason: 'must be a month YYYY-MM (01 to 12)' }]);
}

/** A medicine's allocation as a period-start job reports it. */
export interface ComputedAllocation {
  medicine: string;
  period: string;
  policyVersion: number;
  mode: string;
}

/** What the period-start job reports: the medicines computed, by mode. */
export interface PeriodStartReport {
  period: string;
  medicines: number;
  byMode: Record<string, number>;
}

/** Medicines whose period start shares one transaction (≈ 125,000 centre rows at 2,500 establishments). */
const MEDICINES_PER_TRANSACTION = 50;

@Injectable()
export class AllocationsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly counters: AllocationCounters,
    private readonly lifecycle: PeriodLifecycle,
    private readonly queue: WaitingQueue,
  ) {}

  /** The allocation of a period (SPEC §11); an establishment's own users see only their centre's row. */
  async get(actor: Actor, medicine: string, period: string): Promise<AllocationResponse> {
    checkPeriod(period);
    await this.medicines.require(medicine);
    const manager = this.unitOfWork.dataSource.manager;
    const row = await this.counters.find(manager, medicine, period);
    if (!row) throw allocationError('ALLOCATION_NOT_FOUND', { medicine, period });
    return this.counters.response(manager, row, isEstablishmentBound(actor) ? (actor.establishment ?? '') : null);
  }

  /**
   * Computes a period's allocation (agency, or the period-start job). Idempotent: an allocation
   * already computed under the version in force is returned unchanged; a version that took effect
   * since is applied with the full monthly figures less what the period already granted (SPEC §3).
   */
  async compute(actor: Actor, medicine: string, period: string): Promise<AllocationResponse> {
    checkPeriod(period);
    await this.medicines.require(medicine);
    return this.unitOfWork.run(async (manager) => {
      const row = await this.computeIn(manager, actor, medicine, period);
      return this.counters.response(manager, row);
    });
  }

  private async computeIn(manager: EntityManager, actor: Actor, medicine: string, period: string) {
    const date = governingDate(period, this.clock.today());
    const policy = await this.policies.inForce(medicine, date, manager);
    if (!policy) throw allocationRefusalToError(refusals.noPolicyInForce(medicine, date));
    return this.lifecycle.prepare(manager, actor, medicine, period, policy);
  }

  /**
   * The lab declares extra initiations it can supply for a period (SPEC §1, §4 rule 2, as in March
   * 2023). In `freed-stock` mode they add to the period's capacity at once and the waiting queue is served.
   */
  async declareSupply(actor: Actor, medicine: string, dto: DeclareSupplyDto): Promise<{ medicine: string; period: string; initiations: number; extraCapacity: number; nationalCapacity: number | null; granted: string[] }> {
    await this.medicines.require(medicine);
    return this.unitOfWork.run(async (manager) => {
      const event = manager.getRepository(CapacityEventEntity).create({ id: newId(), medicine, period: dto.period, kind: 'supply', initiations: dto.initiations, source: null, establishment: null, declaredBy: actor.username, at: this.clock.now().toISOString() });
      await manager.getRepository(CapacityEventEntity).insert(event);
      await this.counters.addCapacity(manager, medicine, dto.period, 'supply', dto.initiations);
      await this.audit.record(manager, actor, { action: 'capacity.supply-declared', entity: 'allocation', entityId: `${medicine}/${dto.period}`, after: { period: dto.period, initiations: dto.initiations }, establishment: null });
      let granted: string[] = [];
      if (dto.period === this.clock.period()) {
        const policy = await this.policies.inForce(medicine, this.clock.today(), manager);
        if (policy && policy.mode === 'freed-stock') {
          const row = await this.lifecycle.prepare(manager, actor, medicine, dto.period, policy);
          granted = (await this.queue.serveQueue(manager, actor, row, policy)).map((r) => r.id);
        }
      }
      const row = await this.counters.find(manager, medicine, dto.period);
      const events = await manager.getRepository(CapacityEventEntity).find({ where: { medicine, period: dto.period, kind: 'supply' } });
      return { medicine, period: dto.period, initiations: dto.initiations, extraCapacity: events.reduce((s, e) => s + e.initiations, 0), nationalCapacity: row?.nationalCapacity ?? null, granted };
    });
  }

  private async restrictedMedicines(payload: JobPayload): Promise<string[]> {
    if (payload.medicine) return [payload.medicine];
    return this.medicines.codesOfScheme('rationing');
  }

  /**
   * Job `allocation.compute`: the allocation of one medicine (`payload.medicine`, a manual run) or, without one, of
   * every rationing medicine, idempotent and set-based (`computeMedicines`).
   */
  async computeJob(actor: Actor, payload: JobPayload): Promise<ComputedAllocation[]> {
    const period = payload.period ?? this.clock.period();
    checkPeriod(period);
    return this.computeMedicines(actor, period, await this.restrictedMedicines(payload), () => true, (all) => all);
  }

  /**
   * Job `allocation.start-period` (the cron's, 1st of the month: one job for the period): the allocation of every
   * medicine whose policy in force is not unrestricted (the medicines the cron used to queue one job each for), in
   * one set-based pass. The batches before the last are idempotent steps (a retry after a crash finds their
   * allocations computed and leaves them as they are); the last one commits with the job's completion
   * (`JobContext.effect`), so a run that committed is never run again. Its result (the history's) counts the
   * medicines computed, by mode: the allocations themselves are in GET /medicines/{code}/allocations/{period}.
   */
  async startPeriodJob(actor: Actor, payload: JobPayload, job?: JobContext): Promise<PeriodStartReport> {
    const period = payload.period ?? this.clock.period();
    checkPeriod(period);
    const medicines = (await this.medicines.list()).map((m) => m.code);
    const report = (all: ComputedAllocation[]): PeriodStartReport => {
      const byMode: Record<string, number> = {};
      for (const a of all) byMode[a.mode] = (byMode[a.mode] ?? 0) + 1;
      return { period, medicines: all.length, byMode };
    };
    return this.computeMedicines(actor, period, medicines, (policy) => policy.mode !== 'unrestricted', report, job);
  }

  /**
   * The allocations of `medicines` in `period` under the version in force (those `wanted`), set-based
   * (PeriodLifecycle.prepareMany): medicines in batches, one transaction a batch (the last one `job`'s effect when
   * given, which records `report` of the whole run with the completion), the followed patients read once for the whole run.
   */
  private async computeMedicines<R>(actor: Actor, period: string, medicines: readonly string[], wanted: (policy: PolicyEntity) => boolean, report: (all: ComputedAllocation[]) => R, job?: JobContext): Promise<R> {
    const date = governingDate(period, this.clock.today());
    const cache: FollowedCache = {};
    const out: ComputedAllocation[] = [];
    for (let i = 0; i < medicines.length; i += MEDICINES_PER_TRANSACTION) {
      const batch = medicines.slice(i, i + MEDICINES_PER_TRANSACTION);
      const last = i + MEDICINES_PER_TRANSACTION >= medicines.length;
      const step = async (manager: EntityManager): Promise<ComputedAllocation[]> => {
        const versions = await this.policies.versionsOf(batch, manager);
        const items: MedicinePolicy[] = [];
        for (const medicine of batch) {
          const policy = versionInForce(versions.get(medicine) ?? [], date);
          if (policy && wanted(policy)) items.push({ medicine, policy });
        }
        const rows = items.length > 0 ? await this.lifecycle.prepareMany(manager, actor, period, items, cache) : new Map<string, PeriodAllocationEntity>();
        const computed: ComputedAllocation[] = [];
        for (const medicine of batch) {
          const row = rows.get(medicine);
          if (row) computed.push({ medicine, period, policyVersion: row.policyVersion, mode: row.mode });
        }
        return computed;
      };
      // The job's result is the whole run's: the earlier batches' and the last one's.
      if (last && job) return job.effect(async (manager) => report([...out, ...(await step(manager))]));
      out.push(...(await this.unitOfWork.run(step, { alone: true })));
    }
    return report(out);
  }

  /** Job `quota.redistribute` (daily): in a period's last days, unused slots go to other centres' waiting requests where the policy allows it. */
  async redistributeJob(actor: Actor, payload: JobPayload): Promise<{ medicine: string; moved: number; granted: string[] }[]> {
    const out: { medicine: string; moved: number; granted: string[] }[] = [];
    for (const medicine of await this.restrictedMedicines(payload)) {
      const result = await this.unitOfWork.run(async (manager) => {
        const policy = await this.policies.inForce(medicine, this.clock.today(), manager);
        if (!policy || !policy.redistribute) return null;
        const row = await this.lifecycle.prepare(manager, actor, medicine, this.clock.period(), policy);
        return this.queue.redistribute(manager, actor, row, policy, this.clock.today());
      });
      if (result) out.push({ medicine, moved: result.transfers.length, granted: result.granted });
    }
    return out;
  }

  /** Job `freed-stock.serve-queue`: serves each medicine's waiting queue in the current period. */
  async serveQueueJob(actor: Actor, payload: JobPayload): Promise<{ medicine: string; granted: string[] }[]> {
    const out: { medicine: string; granted: string[] }[] = [];
    for (const medicine of await this.restrictedMedicines(payload)) {
      const granted = await this.unitOfWork.run(async (manager) => {
        const policy = await this.policies.inForce(medicine, this.clock.today(), manager);
        if (!policy) return [];
        const row = await this.lifecycle.prepare(manager, actor, medicine, this.clock.period(), policy);
        return (await this.queue.serveQueue(manager, actor, row, policy)).map((r) => r.id);
      });
      out.push({ medicine, granted });
    }
    return out;
  }
}
