import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The raw better-sqlite3 handle: whether a transaction is really open, and savepoints without the query runner's round trip. */
export interface RawSqlite {
  inTransaction: boolean;
  exec(sql: string): unknown;
}

/** How large a group may grow: members, and how long it may stay open once its first member ran. */
export interface GroupLimits {
  members: number;
  millis: number;
}

/** Under load a group holds a few dozen decisions; 10 ms bounds what its first member waits for the COMMIT. */
export const DEFAULT_GROUP_LIMITS: GroupLimits = { members: 64, millis: 10 };

interface Member {
  work: (manager: EntityManager) => Promise<unknown>;
  /** A long use case (a file import, a batch): in a transaction of its own, so that no short one waits for it. */
  alone: boolean;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface Done {
  member: Member;
  result: unknown;
}

const SAVEPOINT = 'uow_member';

/**
 * Group commit for SQLite: the use cases waiting for the one writer run one after the other in one
 * transaction, each inside a savepoint of its own, and commit together. A COMMIT in WAL mode with
 * `synchronous = FULL` waits for the disk (1.8 ms here, on the event loop), so one COMMIT a use case
 * bounds the writes to a few hundred a second whatever the CPU; one COMMIT a group keeps each write
 * as durable and serial as before.
 *
 * Each member sees what the members before it wrote, as it would have once they committed, and
 * its answer waits for the group's COMMIT (nothing is answered before it is on disk). A member
 * that fails is rolled back to its savepoint alone and its error answered at once; a COMMIT that
 * fails, or a fault that makes SQLite roll the whole transaction back (SQLITE_FULL), fails every
 * member of the group with that error — none of them committed. Each member runs in the async
 * context of its caller and gets an EntityManager of its own over the shared connection, so work
 * kept by manager (after-commit hooks, audit events held for the COMMIT) stays its own.
 *
 * TypeORM's SQLite driver has one connection: a read outside a run while a group is open (it is
 * between two of its members) sees the group's writes a moment before their COMMIT, as it would
 * right after; every write goes through a run.
 */
export class SqliteGroupCommit {
  private readonly waiting: Member[] = [];
  private draining = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ensureClean: (runner: QueryRunner) => void,
    private readonly abort: (runner: QueryRunner) => void,
    private readonly limits: GroupLimits = DEFAULT_GROUP_LIMITS,
  ) {}

  submit<T>(work: (manager: EntityManager) => Promise<T>, alone = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // The caller's async context (AsyncResource.bind would do the same, and define two deprecated accessors a call).
      const context = new AsyncResource('UnitOfWorkMember');
      const inContext = (manager: EntityManager): Promise<T> => context.runInAsyncScope(work, undefined, manager);
      this.waiting.push({ work: inContext, alone, resolve: resolve as (result: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) await this.group();
    } finally {
      this.draining = false;
    }
  }

  /** One transaction: members while some wait and the limits allow, then one COMMIT. */
  private async group(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      this.ensureClean(runner);
      await runner.startTransaction();
    } catch (error: unknown) {
      // As a transaction of its own would have: the next member fails with it, the rest try again.
      this.waiting.shift()?.reject(error);
      return;
    }
    const raw = (this.dataSource.driver as unknown as { databaseConnection: RawSqlite }).databaseConnection;
    const done: Done[] = [];
    const opened = performance.now();
    let ran = 0;
    let closed = false;
    const open = (): boolean => !closed && done.length < this.limits.members && performance.now() - opened < this.limits.millis;
    do {
      while (this.waiting.length > 0 && (ran === 0 || open())) {
        const member = this.waiting[0]!;
        // A long one commits alone: those before it are committed first, none joins it.
        if (member.alone && ran > 0) {
          closed = true;
          break;
        }
        this.waiting.shift();
        ran++;
        if (!(await this.runMember(runner, raw, member, done))) return;
        if (member.alone) closed = true;
      }
      // A use case runs to its end without the event loop turning (better-sqlite3 answers at once), so those asked for
      // meanwhile are still in the sockets: one turn lets them reach the group before its COMMIT (none came: commit).
      if (open()) await new Promise((resolve) => setImmediate(resolve));
    } while (this.waiting.length > 0 && open());
    try {
      await runner.commitTransaction();
    } catch (error: unknown) {
      this.fail(runner, done, error);
      return;
    }
    for (const { member, result } of done) member.resolve(result);
  }

  /** Runs one member in its savepoint; false when the group's transaction is gone (its members failed). */
  private async runMember(runner: QueryRunner, raw: RawSqlite, member: Member, done: Done[]): Promise<boolean> {
    try {
      raw.exec(`SAVEPOINT ${SAVEPOINT}`);
      const result = await member.work(this.dataSource.createEntityManager(runner));
      raw.exec(`RELEASE ${SAVEPOINT}`);
      done.push({ member, result });
      return true;
    } catch (error: unknown) {
      if (raw.inTransaction && this.rollbackMember(raw)) {
        member.reject(error);
        return true;
      }
      // The transaction is gone, and with it what the members before wrote.
      this.fail(runner, [...done, { member, result: undefined }], error);
      return false;
    }
  }

  /** Undoes a failed member's writes, the group's transaction left open; false when SQLite refused. */
  private rollbackMember(raw: RawSqlite): boolean {
    try {
      raw.exec(`ROLLBACK TO ${SAVEPOINT}`);
      raw.exec(`RELEASE ${SAVEPOINT}`);
      return true;
    } catch {
      return false;
    }
  }

  /** Rolls the group back and fails its members (with the connection's own fault when even the ROLLBACK failed). */
  private fail(runner: QueryRunner, done: readonly Done[], error: unknown): void {
    let answer = error;
    try {
      this.abort(runner);
    } catch (stuck: unknown) {
      answer = stuck;
    }
    for (const { member } of done) member.reject(answer);
  }
}
