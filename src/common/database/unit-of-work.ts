import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * One transaction per use case (STYLE.md, Transactions).
 * SQLite shares one connection in TypeORM, so write transactions run one at a time through an
 * in-process queue; PostgreSQL transactions run in parallel and are retried on serialization
 * failures and deadlocks.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);
  private tail: Promise<unknown> = Promise.resolve();
  /** Work to do once a run's transaction has committed (e.g. chaining its audit events), by its manager. */
  private readonly afterCommitHooks = new WeakMap<EntityManager, Set<() => Promise<void>>>();

  constructor(readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.runWithRetry(work);
    const hooks = new Set<() => Promise<void>>();
    const next = this.tail.then(
      () => this.transaction(work, hooks),
      () => this.transaction(work, hooks),
    );
    this.tail = next.catch(() => undefined);
    // The hooks run once committed, outside the queue of SQLite transactions (they may open their own).
    return next.then(async (result) => {
      await runHooks(hooks);
      return result;
    });
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

  private transaction<T>(work: (manager: EntityManager) => Promise<T>, hooks: Set<() => Promise<void>>): Promise<T> {
    hooks.clear();
    return this.dataSource.transaction((manager) => {
      this.afterCommitHooks.set(manager, hooks);
      return work(manager);
    });
  }

  private async runWithRetry<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const hooks = new Set<() => Promise<void>>();
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.transaction(work, hooks);
        await runHooks(hooks);
        return result;
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
