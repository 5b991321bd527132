import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { UnitOfWork } from '../common/database/unit-of-work';
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
/** A centre's counters after a slot was taken (the RETURNING of the conditional update). */
export interface TakenSlot {
  used: number;
  slots: number;
}

interface DecisionRow {
  policy_version: number | string;
  mode: PeriodAllocationEntity['mode'];
  national_capacity: number | string | null;
  urgent_granted: number | string;
  quota_granted: number | string;
  quota_pool: number | string;
  c_slots: number | string | null;
  c_used: number | string | null;
  c_entitlement: number | string | null;
  c_credit_after: number | string | null;
}

const num = (v: number | string): number => Number(v);
const CENTRE_ROWS_PER_INSERT = 500;

@Injectable()
export class AllocationCounters {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  private placeholders(n: number): string[] {
    return Array.from({ length: n }, (_, i) => (this.unitOfWork.isPostgres ? `$${i + 1}` : '?'));
  }

  /**
   * What a decision reads, in one statement by key: the period's national counters and the
   * centre's (zero when the centre has no row). Null when the period has no allocation yet.
   */
  async forDecision(manager: EntityManager, medicine: string, period: string, finess: string): Promise<{ state: PeriodState; centre: CentreSlots } | null> {
    const [a, b, c] = this.placeholders(3);
    const rows = await manager.query<DecisionRow[]>(
      `SELECT p.policy_version, p.mode, p.national_capacity, p.urgent_granted, p.quota_granted, p.quota_pool,
              c.slots AS c_slots, c.used AS c_used, c.entitlement AS c_entitlement, c.credit_after AS c_credit_after
         FROM period_allocations p LEFT JOIN centre_allocations c ON c.medicine = p.medicine AND c.period = p.period AND c.finess = ${a}
        WHERE p.medicine = ${b} AND p.period = ${c}`,
      [finess, medicine, period],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      state: {
        period,
        policyVersion: num(r.policy_version),
        mode: r.mode,
        nationalCapacity: r.national_capacity === null ? null : num(r.national_capacity),
        quotaPool: num(r.quota_pool),
        urgentGranted: num(r.urgent_granted),
        quotaGranted: num(r.quota_granted),
      },
      centre:
        r.c_slots === null
          ? { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 }
          : { finess, slots: num(r.c_slots), used: num(r.c_used ?? 0), entitlement: num(r.c_entitlement ?? 0), creditAfter: num(r.c_credit_after ?? 0) },
    };
  }

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

  /**
   * Stores a new period's centre rows by multi-row inserts of a fixed size: one SQL text for every
   * full batch, so the driver reuses its prepared statement instead of building SQL per chunk.
   */
  async insertCentres(manager: EntityManager, medicine: string, period: string, centres: readonly Omit<CentreAllocationEntity, 'medicine' | 'period'>[]): Promise<void> {
    const head = 'INSERT INTO centre_allocations (medicine, period, finess, followed_patients, entitlement, credit_before, slots, used, credit_after, carried_slots) VALUES ';
    const full = head + this.valuesList(CENTRE_ROWS_PER_INSERT, 10);
    for (let start = 0; start < centres.length; start += CENTRE_ROWS_PER_INSERT) {
      const batch = centres.slice(start, start + CENTRE_ROWS_PER_INSERT);
      const params: unknown[] = [];
      for (const c of batch) params.push(medicine, period, c.finess, c.followedPatients, c.entitlement, c.creditBefore, c.slots, c.used, c.creditAfter, c.carriedSlots);
      await manager.query(batch.length === CENTRE_ROWS_PER_INSERT ? full : head + this.valuesList(batch.length, 10), params);
    }
  }

  /** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`. */
  private valuesList(rows: number, columns: number): string {
    const groups: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r++) groups.push(`(${Array.from({ length: columns }, () => (this.unitOfWork.isPostgres ? `$${++n}` : '?')).join(', ')})`);
    return groups.join(', ');
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
  async takeQuota(manager: EntityManager, medicine: string, period: string, finess: string): Promise<TakenSlot | null> {
    const national = await manager
      .createQueryBuilder()
      .update(PeriodAllocationEntity)
      .set({ quotaGranted: () => 'quota_granted + 1' })
      .where('medicine = :medicine AND period = :period AND quota_granted < quota_pool AND (national_capacity IS NULL OR urgent_granted + quota_granted < national_capacity)', { medicine, period })
      .execute();
    if ((national.affected ?? 0) !== 1) return null;
    const [a, b, c] = this.placeholders(3);
    const centre = await manager.query<{ used: number | string; slots: number | string }[] | [{ used: number | string; slots: number | string }[], number]>(
      `UPDATE centre_allocations SET used = used + 1 WHERE medicine = ${a} AND period = ${b} AND finess = ${c} AND used < slots RETURNING used, slots`,
      [medicine, period, finess],
    );
    // PostgreSQL's driver answers an UPDATE … RETURNING with [rows, count]; better-sqlite3 with the rows.
    const taken = (this.unitOfWork.isPostgres ? (centre as [{ used: number | string; slots: number | string }[], number])[0] : (centre as { used: number | string; slots: number | string }[]))[0];
    if (taken) return { used: num(taken.used), slots: num(taken.slots) };
    await manager.createQueryBuilder().update(PeriodAllocationEntity).set({ quotaGranted: () => 'quota_granted - 1' }).where('medicine = :medicine AND period = :period', { medicine, period }).execute();
    return null;
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
