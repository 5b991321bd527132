import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { JobPayload } from '../common/contracts/job-registry';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { isPeriod } from '../common/domain/period';
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
   * Job `allocation.compute` (period start): every rationing medicine's allocation, idempotent,
   * set-based (PeriodLifecycle.prepareMany): medicines in batches, one transaction a batch, the
   * followed patients read once for the whole run.
   */
  async computeJob(actor: Actor, payload: JobPayload): Promise<{ medicine: string; period: string; policyVersion: number; mode: string }[]> {
    const period = payload.period ?? this.clock.period();
    checkPeriod(period);
    const date = governingDate(period, this.clock.today());
    const medicines = await this.restrictedMedicines(payload);
    const cache: FollowedCache = {};
    const out: { medicine: string; period: string; policyVersion: number; mode: string }[] = [];
    for (let i = 0; i < medicines.length; i += MEDICINES_PER_TRANSACTION) {
      const batch = medicines.slice(i, i + MEDICINES_PER_TRANSACTION);
      const rows = await this.unitOfWork.run(async (manager) => {
        const versions = await this.policies.versionsOf(batch, manager);
        const items: MedicinePolicy[] = [];
        for (const medicine of batch) {
          const policy = versionInForce(versions.get(medicine) ?? [], date);
          if (policy) items.push({ medicine, policy });
        }
        return items.length > 0 ? this.lifecycle.prepareMany(manager, actor, period, items, cache) : new Map<string, PeriodAllocationEntity>();
      });
      for (const medicine of batch) {
        const row = rows.get(medicine);
        if (row) out.push({ medicine, period, policyVersion: row.policyVersion, mode: row.mode });
      }
    }
    return out;
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
