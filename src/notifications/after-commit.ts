import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { UnitOfWork } from '../common/database/unit-of-work';

type Effect = () => Promise<unknown>;

/**
 * Runs effects once the transaction that asked for them has committed (Vendure's "subscribers only
 * after commit"), never when it rolls back. Effects are started, not awaited, by the commit: on
 * SQLite the next transaction waits for this one, and an effect opens transactions of its own.
 * A UnitOfWork run keeps them with its own after-commit work (on SQLite several runs share one
 * transaction and its query runner: an effect belongs to its run, and is dropped with it when that
 * run alone is rolled back); a transaction opened elsewhere keeps them by query runner.
 */
@Injectable()
export class AfterCommit implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger(AfterCommit.name);
  private readonly pending = new WeakMap<QueryRunner, Effect[]>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Queues an effect after the commit of `manager`'s transaction; outside a transaction it starts now. */
  add(manager: EntityManager, effect: Effect): void {
    if (this.unitOfWork.afterCommit(manager, () => Promise.resolve(this.start(effect)))) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      this.start(effect);
      return;
    }
    const list = this.pending.get(runner) ?? [];
    list.push(effect);
    this.pending.set(runner, list);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint released inside a longer transaction is not the commit.
    if (event.queryRunner.isTransactionActive) return;
    const effects = this.pending.get(event.queryRunner) ?? [];
    this.pending.delete(event.queryRunner);
    for (const effect of effects) this.start(effect);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  /** Resolves once every started effect has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private start(effect: Effect): void {
    const work = effect()
      .catch((error: unknown) => this.logger.warn(`an after-commit effect failed: ${(error as Error).message}`))
      .finally(() => this.running.delete(work));
    this.running.add(work);
  }
}
