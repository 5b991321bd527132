import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { queryPrepared } from '../common/database/prepared-query';
import { UnitOfWork } from '../common/database/unit-of-work';
import { SqlParams, inList, placeholders, returnedRows, valuesList } from '../common/database/sql-values';
import { CentreSlots, PeriodState } from './domain/decide';
import { PeriodAllocation } from './domain/period-allocation';
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

/** The counters a decision reads: the period's national state and the centre's slots. */
export interface DecisionCounters {
  state: PeriodState;
  centre: CentreSlots;
}

/** The columns of `decisionJoin` (`p` the period, `c` the centre; null when the period has no allocation yet). */
export const DECISION_COLUMNS = `p.policy_version AS d_policy_version, p.mode AS d_mode, p.national_capacity AS d_national_capacity,
  p.urgent_granted AS d_urgent_granted, p.quota_granted AS d_quota_granted, p.quota_pool AS d_quota_pool,
  c.slots AS d_slots, c.used AS d_used, c.entitlement AS d_entitlement, c.credit_after AS d_credit_after`;

export interface DecisionRow {
  d_policy_version: number | string | null;
  d_mode: PeriodAllocationEntity['mode'];
  d_national_capacity: number | string | null;
  d_urgent_granted: number | string;
  d_quota_granted: number | string;
  d_quota_pool: number | string;
  d_slots: number | string | null;
  d_used: number | string | null;
  d_entitlement: number | string | null;
  d_credit_after: number | string | null;
}

const num = (v: number | string): number => Number(v);
/** Bound parameters a statement may carry: PostgreSQL's protocol limit, and better-sqlite3's SQLITE_MAX_VARIABLE_NUMBER (its bundled SQLite is built with 32766). */
const PG_MAX_PARAMETERS = 65_535;
const SQLITE_MAX_PARAMETERS = 32_766;
/** Keys in one IN list (well under both limits). */
const IN_LIST = 500;

/**
 * What a new period carries from the centre rows of a medicine's previous allocation, as parallel columns (one
 * array a column, no object a row: 2,500 centres × 50 medicines a batch at national size), in FINESS order.
 */
export interface PreviousCentres {
  finess: string[];
  creditAfter: number[];
  /** `slots − used` of each centre: read only when asked (a previous policy that carries unused slots), else null. */
  unused: number[] | null;
}

@Injectable()
export class AllocationCounters {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * What a decision reads, in one statement by key: the period's national counters and the
   * centre's (zero when the centre has no row). Null when the period has no allocation yet.
   */
  async forDecision(manager: EntityManager, medicine: string, period: string, finess: string): Promise<DecisionCounters | null> {
    const params = new SqlParams(manager);
    const rows = await manager.query<DecisionRow[]>(`SELECT ${DECISION_COLUMNS} FROM (SELECT 1 AS one) k ${this.decisionJoin(params, medicine, period, finess)}`, params.values);
    return this.decisionOf(rows[0]!, period, finess);
  }

  /**
   * The joins of `forDecision`, for a statement that reads the counters with other facts: `DECISION_COLUMNS` are
   * its columns (prefixed `d_`, so they name nothing of the other tables), `decisionOf` reads them back.
   */
  decisionJoin(params: SqlParams, medicine: string, period: string, finess: string): string {
    return `LEFT JOIN period_allocations p ON p.medicine = ${params.bind(medicine)} AND p.period = ${params.bind(period)}
            LEFT JOIN centre_allocations c ON c.medicine = p.medicine AND c.period = p.period AND c.finess = ${params.bind(finess)}`;
  }

  decisionOf(r: DecisionRow, period: string, finess: string): DecisionCounters | null {
    if (r.d_policy_version === null) return null;
    return {
      state: {
        period,
        policyVersion: num(r.d_policy_version),
        mode: r.d_mode,
        nationalCapacity: r.d_national_capacity === null ? null : num(r.d_national_capacity),
        quotaPool: num(r.d_quota_pool),
        urgentGranted: num(r.d_urgent_granted),
        quotaGranted: num(r.d_quota_granted),
      },
      centre:
        r.d_slots === null
          ? { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 }
          : { finess, slots: num(r.d_slots), used: num(r.d_used ?? 0), entitlement: num(r.d_entitlement ?? 0), creditAfter: num(r.d_credit_after ?? 0) },
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

  /** The period rows of `medicines` in `period`, by medicine (one read). */
  async findMany(manager: EntityManager, medicines: readonly string[], period: string): Promise<Map<string, PeriodAllocationEntity>> {
    const out = new Map<string, PeriodAllocationEntity>();
    for (let i = 0; i < medicines.length; i += IN_LIST) {
      const rows = await manager.getRepository(PeriodAllocationEntity).find({ where: { medicine: In(medicines.slice(i, i + IN_LIST)), period } });
      for (const row of rows) out.set(row.medicine, row);
    }
    return out;
  }

  /** Each medicine's latest allocation before `period` (the one its credits come from), in one read. */
  async latestBefore(manager: EntityManager, medicines: readonly string[], period: string): Promise<Map<string, PeriodAllocationEntity>> {
    const out = new Map<string, PeriodAllocationEntity>();
    const pg = this.unitOfWork.isPostgres;
    for (let i = 0; i < medicines.length; i += IN_LIST) {
      const chunk = medicines.slice(i, i + IN_LIST);
      const latest = await manager.query<{ medicine: string; period: string }[]>(
        `SELECT medicine, MAX(period) AS period FROM period_allocations WHERE period < ${pg ? '$1' : '?'} AND medicine IN (${inList(pg, chunk.length, 1)}) GROUP BY medicine`,
        [period, ...chunk],
      );
      const byPeriod = new Map<string, string[]>();
      for (const r of latest) byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), r.medicine]);
      for (const [p, ms] of byPeriod) {
        for (const row of await manager.getRepository(PeriodAllocationEntity).find({ where: { medicine: In(ms), period: p } })) out.set(row.medicine, row);
      }
    }
    return out;
  }

  /**
   * The centre columns a new period carries from each medicine's previous allocation (`previous`: its medicine and
   * period, and whether its unused slots are wanted), by medicine. On SQLite each column is plucked from the primary
   * key's range of the medicine-period (values straight into one array, where rows as arrays or objects cost 4 times
   * as much); on PostgreSQL one statement per chunk of medicines.
   */
  async previousCentres(manager: EntityManager, previous: readonly { medicine: string; period: string; unused: boolean }[]): Promise<Map<string, PreviousCentres>> {
    const out = new Map<string, PreviousCentres>();
    const sqlite = await sqliteOf(manager);
    if (sqlite) {
      const range = 'FROM centre_allocations WHERE medicine = ? AND period = ? ORDER BY finess';
      const finess = sqlite.statement(`SELECT finess ${range}`).pluck(true);
      const credit = sqlite.statement(`SELECT credit_after ${range}`).pluck(true);
      const unused = sqlite.statement(`SELECT slots - used ${range}`).pluck(true);
      for (const p of previous) {
        out.set(p.medicine, {
          finess: finess.all([p.medicine, p.period]) as string[],
          creditAfter: credit.all([p.medicine, p.period]) as number[],
          unused: p.unused ? (unused.all([p.medicine, p.period]) as number[]) : null,
        });
      }
      return out;
    }
    const byPeriod = new Map<string, string[]>();
    for (const p of previous) {
      out.set(p.medicine, { finess: [], creditAfter: [], unused: p.unused ? [] : null });
      byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), p.medicine]);
    }
    const pg = this.unitOfWork.isPostgres;
    for (const [period, medicines] of byPeriod) {
      for (let i = 0; i < medicines.length; i += IN_LIST) {
        const chunk = medicines.slice(i, i + IN_LIST);
        const rows = await manager.query<{ medicine: string; finess: string; unused: number | string; credit_after: number | string }[]>(
          `SELECT medicine, finess, slots - used AS unused, credit_after FROM centre_allocations WHERE period = ${pg ? '$1' : '?'} AND medicine IN (${inList(pg, chunk.length, 1)}) ORDER BY medicine, finess`,
          [period, ...chunk],
        );
        for (const r of rows) {
          const c = out.get(r.medicine)!;
          c.finess.push(r.finess);
          c.creditAfter.push(num(r.credit_after));
          c.unused?.push(num(r.unused));
        }
      }
    }
    return out;
  }

  /** The capacity events of `medicines` in `period` (stops free, supplies add), summed by medicine in one read. */
  async capacityOf(manager: EntityManager, medicines: readonly string[], period: string): Promise<Map<string, { freed: number; extra: number }>> {
    const out = new Map<string, { freed: number; extra: number }>(medicines.map((m) => [m, { freed: 0, extra: 0 }]));
    for (let i = 0; i < medicines.length; i += IN_LIST) {
      const rows = await manager.getRepository(CapacityEventEntity).find({ where: { medicine: In(medicines.slice(i, i + IN_LIST)), period } });
      for (const e of rows) {
        const sum = out.get(e.medicine)!;
        if (e.kind === 'stop') sum.freed += e.initiations;
        else sum.extra += e.initiations;
      }
    }
    return out;
  }

  /** Which of `medicines` have waitlisted requests (their queue is served when a period is computed). */
  async withWaitingRequests(manager: EntityManager, medicines: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const pg = this.unitOfWork.isPostgres;
    for (let i = 0; i < medicines.length; i += IN_LIST) {
      const chunk = medicines.slice(i, i + IN_LIST);
      const rows = await manager.query<{ medicine: string }[]>(`SELECT DISTINCT medicine FROM initiation_requests WHERE status = 'waitlisted' AND medicine IN (${inList(pg, chunk.length)})`, chunk);
      for (const r of rows) out.add(r.medicine);
    }
    return out;
  }

  /** Stores new period rows by multi-row inserts (chunked to the driver's parameter limit). */
  async insertPeriods(manager: EntityManager, rows: readonly PeriodAllocationEntity[]): Promise<void> {
    const head =
      'INSERT INTO period_allocations (medicine, period, policy_version, mode, national_capacity, urgent_granted, quota_granted, quota_pool, freed_capacity, extra_capacity, carried_freed_capacity, computed_at) VALUES ';
    await this.insertRows(manager, head, 12, rows, (r, out) =>
      out.push(r.medicine, r.period, r.policyVersion, r.mode, r.nationalCapacity, r.urgentGranted, r.quotaGranted, r.quotaPool, r.freedCapacity, r.extraCapacity, r.carriedFreedCapacity, r.computedAt),
    );
  }

  /**
   * Stores new periods' centre rows (of one or many medicines) by prepared multi-row inserts as
   * large as the driver's parameter limit allows: one SQL text for every full chunk, so the driver
   * reuses its prepared statement instead of building SQL per chunk.
   */
  async insertCentres(manager: EntityManager, rows: readonly CentreAllocationEntity[]): Promise<void> {
    await this.insertRows(manager, CENTRE_INSERT, 10, rows, centreParams);
  }

  /**
   * `insertCentres` of computed allocations: the parameters are taken from each allocation's centres as they are
   * (no row object built per centre: 2 M of them at national size).
   */
  async insertAllocationCentres(manager: EntityManager, allocations: readonly PeriodAllocation[]): Promise<void> {
    let a = 0;
    let c = 0;
    const total = allocations.reduce((sum, x) => sum + x.centres.length, 0);
    await this.insertChunks(manager, CENTRE_INSERT, 10, total, (out, count) => {
      for (let k = 0; k < count; k++) {
        while (c >= allocations[a]!.centres.length) {
          a++;
          c = 0;
        }
        const x = allocations[a]!;
        const r = x.centres[c++]!;
        out.push(x.medicine, x.period, r.finess, r.followedPatients, r.entitlement, r.creditBefore, r.slots, r.used, r.creditAfter, r.carriedSlots);
      }
    });
  }

  /**
   * Writes the centre rows of a recompute: existing rows take the new figures, new centres are
   * inserted (one multi-row upsert per chunk of the driver's parameter limit).
   */
  async upsertCentres(manager: EntityManager, rows: readonly CentreAllocationEntity[]): Promise<void> {
    const tail =
      ' ON CONFLICT (medicine, period, finess) DO UPDATE SET followed_patients = excluded.followed_patients, entitlement = excluded.entitlement, credit_before = excluded.credit_before, slots = excluded.slots, used = excluded.used, credit_after = excluded.credit_after, carried_slots = excluded.carried_slots';
    await this.insertRows(manager, CENTRE_INSERT, 10, rows, centreParams, tail);
  }

  private async insertRows<T>(manager: EntityManager, head: string, columns: number, rows: readonly T[], params: (row: T, out: unknown[]) => void, tail = ''): Promise<void> {
    let i = 0;
    await this.insertChunks(manager, head, columns, rows.length, (out, count) => {
      for (const end = i + count; i < end; i++) params(rows[i]!, out);
    }, tail);
  }

  /** `total` rows by multi-row statements of as many rows as the parameter limit allows; `fill` pushes the next `count` rows' parameters. */
  private async insertChunks(manager: EntityManager, head: string, columns: number, total: number, fill: (out: unknown[], count: number) => void, tail = ''): Promise<void> {
    const pg = this.unitOfWork.isPostgres;
    const perStatement = Math.floor((pg ? PG_MAX_PARAMETERS : SQLITE_MAX_PARAMETERS) / columns);
    const sqlite = await sqliteOf(manager);
    let full: string | null = null;
    for (let start = 0; start < total; start += perStatement) {
      const count = Math.min(perStatement, total - start);
      const values: unknown[] = [];
      fill(values, count);
      const sql = count === perStatement ? (full ??= head + valuesList(pg, perStatement, columns) + tail) : head + valuesList(pg, count, columns) + tail;
      if (sqlite) sqlite.statement(sql).run(values);
      else await manager.query(sql, values);
    }
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
    const [a, b, c] = placeholders(manager, 3);
    const national: unknown = await queryPrepared(
      manager,
      `UPDATE period_allocations SET quota_granted = quota_granted + 1 WHERE medicine = ${a} AND period = ${b} AND quota_granted < quota_pool AND (national_capacity IS NULL OR urgent_granted + quota_granted < national_capacity) RETURNING quota_granted`,
      [medicine, period],
    );
    if (returnedRows(manager, national).length !== 1) return null;
    const centre: unknown = await queryPrepared(manager, `UPDATE centre_allocations SET used = used + 1 WHERE medicine = ${a} AND period = ${b} AND finess = ${c} AND used < slots RETURNING used, slots`, [medicine, period, finess]);
    const taken = returnedRows<{ used: number | string; slots: number | string }>(manager, centre)[0];
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

const CENTRE_INSERT = 'INSERT INTO centre_allocations (medicine, period, finess, followed_patients, entitlement, credit_before, slots, used, credit_after, carried_slots) VALUES ';

function centreParams(c: CentreAllocationEntity, out: unknown[]): void {
  out.push(c.medicine, c.period, c.finess, c.followedPatients, c.entitlement, c.creditBefore, c.slots, c.used, c.creditAfter, c.carriedSlots);
}

/** The part of a better-sqlite3 connection the bulk paths use. */
interface RawStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
  raw(on: boolean): RawStatement;
  pluck(on: boolean): RawStatement;
}
interface RawSqlite {
  prepare(sql: string): RawStatement;
}

/** Prepared statements of the bulk paths, kept per connection: a 32,766-parameter INSERT is parsed once, not once a batch. */
const preparedByConnection = new WeakMap<RawSqlite, Map<string, RawStatement>>();

/**
 * The better-sqlite3 connection of the transaction `manager` runs in (null on PostgreSQL or outside a transaction):
 * the bulk reads and inserts bind their parameters as one array to a cached prepared statement, where the query
 * runner would copy and spread 32,766 arguments a statement and prepare again in every new transaction.
 */
async function sqliteOf(manager: EntityManager): Promise<{ statement: (sql: string) => RawStatement } | null> {
  const runner = manager.queryRunner;
  if (!runner || runner.connection.options.type !== 'better-sqlite3' || !runner.isTransactionActive) return null;
  const db = (await runner.connect()) as RawSqlite;
  let cache = preparedByConnection.get(db);
  if (!cache) preparedByConnection.set(db, (cache = new Map<string, RawStatement>()));
  const prepared = cache;
  return {
    statement: (sql) => {
      let stmt = prepared.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        prepared.set(sql, stmt);
        if (prepared.size > 64) prepared.delete(prepared.keys().next().value!);
      }
      return stmt;
    },
  };
}
