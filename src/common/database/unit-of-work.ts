import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { Outage, classifyOutage } from './database-errors';
import { RawSqlite, SqliteGroupCommit } from './sqlite-group-commit';
import { transactionHooks } from './transaction-hooks';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** What the last write said about the database (health shows it). */
export interface WriteOutage extends Outage {
  at: string;
}

/**
 * One transaction per use case (STYLE.md, Transactions).
 * SQLite shares one connection in TypeORM, so write transactions run one at a time through an
 * in-process queue, those waiting together committed as one group (SqliteGroupCommit: one disk
 * flush for many use cases, each in its own savepoint); PostgreSQL transactions run in parallel
 * and are retried on serialization failures and deadlocks.
 *
 * A transaction that fails anywhere, its COMMIT included (disk full), is rolled back and leaves
 * the connection clean: TypeORM's SQLite runner would otherwise still count the dead transaction
 * as open and nest every later one in it as a savepoint that is never committed.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);
  private readonly sqliteGroups: SqliteGroupCommit;
  private outage: WriteOutage | null = null;
  /** Work to do once a run's transaction has committed (e.g. chaining its audit events), by its manager. */
  private readonly afterCommitHooks = new WeakMap<EntityManager, Set<() => Promise<void>>>();
  /** Work to do last inside a run's transaction, right before its COMMIT (e.g. chaining its audit events on SQLite). */
  private readonly beforeCommitHooks = new WeakMap<EntityManager, Set<(manager: EntityManager) => Promise<void>>>();

  constructor(readonly dataSource: DataSource) {
    this.sqliteGroups = new SqliteGroupCommit(
      dataSource,
      (runner) => this.ensureClean(runner),
      (runner) => this.abort(runner),
    );
  }

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** The outage the last transaction met, until a transaction commits again. */
  lastOutage(): WriteOutage | null {
    return this.outage;
  }

  /**
   * Runs `use` in a transaction of its own on PostgreSQL, in a group of use cases committed together on SQLite.
   * `alone`: a long use case (a file import, a batch, a job) that SQLite commits in a transaction of its own, so that
   * the short ones that came before it are not held until its end.
   */
  run<T>(use: (manager: EntityManager) => Promise<T>, options: { alone?: boolean } = {}): Promise<T> {
    const hook = transactionHooks.getStore();
    const hooks = new Set<() => Promise<void>>();
    const work = async (manager: EntityManager): Promise<T> => {
      hooks.clear(); // a retried attempt starts again
      this.afterCommitHooks.set(manager, hooks);
      const last = new Set<(manager: EntityManager) => Promise<void>>();
      this.beforeCommitHooks.set(manager, last);
      const result = await use(manager);
      if (hook?.open) await hook.beforeCommit(manager, result);
      // Work registered from here on is not this run's before-commit work any more (beforeCommit says false).
      this.beforeCommitHooks.delete(manager);
      for (const before of last) await before(manager);
      return result;
    };
    return this.committed(this.isPostgres ? this.runWithRetry(work) : this.sqliteGroups.submit(work, options.alone ?? false), hooks);
  }

  /**
   * What follows a run's end: once committed, the outage cleared and the after-commit work done — outside the queue of
   * SQLite transactions (the hooks may open their own) and outside the caller's transaction hooks (their transactions
   * are not the use case's answer); failed, the outage it says recorded.
   */
  private committed<T>(ended: Promise<T>, hooks: Set<() => Promise<void>>): Promise<T> {
    return ended.then(
      async (result) => {
        this.outage = null;
        await transactionHooks.exit(() => runHooks(hooks));
        return result;
      },
      (error: unknown) => {
        const outage = classifyOutage(error);
        if (outage) this.outage = { ...outage, at: new Date().toISOString() };
        throw error;
      },
    );
  }

  /**
   * PostgreSQL: runs `use` on one connection outside a transaction block, so that each statement commits by itself in
   * the round trip that runs it. For a use case that reads, then writes everything in one statement (a WITH writing
   * all its rows): the row locks that statement takes are held for the statement and its commit only, not across a
   * round trip back to this process for the COMMIT — a pause here (a garbage collection, a busy event loop) no longer
   * holds the rows every other writer of them waits for. After-commit work runs once `use` is done, as with `run`.
   * Answers null at once, without running `use`, where the use case needs `run`: on SQLite (its writes are queued and
   * grouped by `run`), and when the caller's transaction hooks (an Idempotency-Key's answer) must commit with the effect.
   * `use` must write in one statement at most: several would each commit alone.
   */
  async runAlone<T>(use: (manager: EntityManager) => Promise<T>): Promise<T | null> {
    if (!this.isPostgres || transactionHooks.getStore()?.open) return null;
    const runner = this.dataSource.createQueryRunner();
    const hooks = new Set<() => Promise<void>>();
    this.afterCommitHooks.set(runner.manager, hooks);
    const ended = use(runner.manager).finally(async () => {
      this.afterCommitHooks.delete(runner.manager);
      // Given back before the after-commit work, which takes connections of its own (the audit sequencer's): held
      // meanwhile, as many runs as the pool has connections would wait for each other.
      await runner.release();
    });
    return this.committed(ended, hooks);
  }

  /**
   * Registers work to run after the transaction of `manager` commits, before its run() resolves (so a
   * 2xx answer follows it). Returns false when `manager` is not a run()'s transaction.
   */
  afterCommit(manager: EntityManager, hook: () => Promise<void>): boolean {
    const hooks = this.afterCommitHooks.get(manager);
    if (!hooks) return false;
    hooks.add(hook);
    return true;
  }

  /**
   * Registers work to run last inside the transaction of `manager`, once however often it is registered (the same
   * function), after the use case and its Idempotency-Key answer. Returns false when `manager` is not a run()'s transaction.
   */
  beforeCommit(manager: EntityManager, hook: (manager: EntityManager) => Promise<void>): boolean {
    const hooks = this.beforeCommitHooks.get(manager);
    if (!hooks) return false;
    hooks.add(hook);
    return true;
  }

  /** A transaction left open (a COMMIT or ROLLBACK that failed) is rolled back before the next one. */
  private ensureClean(runner: QueryRunner): void {
    const raw = this.raw();
    if (raw.inTransaction || runner.isTransactionActive) {
      this.logger.warn('an unfinished SQLite transaction was found and rolled back');
      this.abort(runner);
    }
  }

  private abort(runner: QueryRunner): void {
    const raw = this.raw();
    try {
      if (raw.inTransaction) raw.exec('ROLLBACK');
    } catch (error: unknown) {
      this.logger.error(`ROLLBACK failed: ${(error as { code?: string }).code ?? 'unknown'}`);
    }
    // SQLite may already have rolled back by itself (SQLITE_FULL): TypeORM's counters must say so too.
    Object.assign(runner, { isTransactionActive: raw.inTransaction, transactionDepth: raw.inTransaction ? 1 : 0 });
    if (raw.inTransaction) throw Object.assign(new Error('the SQLite connection is stuck in a transaction'), { code: 'SQLITE_IOERR' });
  }

  private raw(): RawSqlite {
    return (this.dataSource.driver as unknown as { databaseConnection: RawSqlite }).databaseConnection;
  }

  private async runWithRetry<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error: unknown) {
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(`transaction retried after SQLSTATE ${code} (attempt ${attempt})`);
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /** Takes a transaction-scoped lock on a named resource (PostgreSQL); SQLite is already serial. */
  async lock(manager: EntityManager, name: string): Promise<void> {
    if (!this.isPostgres) return;
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
  }
}

/** After-commit work: the change is committed whatever happens here, so a failing hook is logged, not thrown. */
async function runHooks(hooks: Set<() => Promise<void>>): Promise<void> {
  for (const hook of [...hooks]) {
    try {
      await hook();
    } catch (error: unknown) {
      new Logger(UnitOfWork.name).error(`after-commit work failed: ${(error as Error).message}`);
    }
  }
}
