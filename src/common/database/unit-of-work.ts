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

  constructor(readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.runWithRetry(work);
    const next = this.tail.then(
      () => this.dataSource.transaction(work),
      () => this.dataSource.transaction(work),
    );
    this.tail = next.catch(() => undefined);
    return next;
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
