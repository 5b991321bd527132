import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CentreSlots, PeriodState } from './domain/decide';
import { PeriodAllocation } from './domain/period-allocation';
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

export function slotsOf(row: CentreAllocationEntity | null, finess: string): CentreSlots {
  return row
    ? { finess, slots: row.slots, used: row.used, entitlement: row.entitlement, creditAfter: row.creditAfter }
    : { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 };
}

/** A centre's figures, from a computed allocation or a stored row. */
export function centreColumns(c: PeriodAllocation['centres'][number] | CentreAllocationEntity): Omit<CentreAllocationEntity, 'medicine' | 'period'> {
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

/**
 * The period and centre counters (SPEC §4): reads by key and the conditional updates that take,
 * give back and move slots (rule 7). Every method runs inside the caller's transaction.
 */
@Injectable()
export class AllocationCounters {
  find(manager: EntityManager, medicine: string, period: string): Promise<PeriodAllocationEntity | null> {
    return manager.getRepository(PeriodAllocationEntity).findOne({ where: { medicine, period } });
  }

  centre(manager: EntityManager, medicine: string, period: string, finess: string): Promise<CentreAllocationEntity | null> {
    return manager.getRepository(CentreAllocationEntity).findOne({ where: { medicine, period, finess } });
  }

  /** The period's centre rows, all of them or those of `finesses`. */
  centres(manager: EntityManager, medicine: string, period: string, finesses?: string[]): Promise<CentreAllocationEntity[]> {
    return manager.getRepository(CentreAllocationEntity).find({ where: finesses ? { medicine, period, finess: In(finesses) } : { medicine, period } });
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

  /** Takes one national initiation for an approved urgent request: any capacity not yet granted (SPEC §4 rule 3). */
  async takeUrgent(manager: EntityManager, medicine: string, period: string): Promise<boolean> {
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
   * transaction. The period row is always locked before a centre row (as in the recompute).
   */
  async takeQuota(manager: EntityManager, medicine: string, period: string, finess: string): Promise<boolean> {
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

  /**
   * Moves one unused slot from a centre to another (redistribution, SPEC §3): the giver must still
   * have it unused (`used < slots`); false when it has not. Throws when the receiver has no row.
   */
  async moveSlot(manager: EntityManager, medicine: string, period: string, fromFiness: string, toFiness: string): Promise<boolean> {
    const taken = await manager
      .createQueryBuilder()
      .update(CentreAllocationEntity)
      .set({ slots: () => 'slots - 1' })
      .where('medicine = :medicine AND period = :period AND finess = :finess AND used < slots', { medicine, period, finess: fromFiness })
      .execute();
    if ((taken.affected ?? 0) !== 1) return false;
    const given = await manager
      .createQueryBuilder()
      .update(CentreAllocationEntity)
      .set({ slots: () => 'slots + 1' })
      .where('medicine = :medicine AND period = :period AND finess = :finess', { medicine, period, finess: toFiness })
      .execute();
    if ((given.affected ?? 0) !== 1) throw new Error(`centre ${toFiness} has no allocation row for ${medicine} ${period}`);
    return true;
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
