import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The payload of every job: which medicine and period it is about (either may be absent for daily jobs). */
export interface JobPayload {
  medicine?: string;
  period?: string;
  date?: string;
}

/** What the runner hands a handler about the run (issue 13, item 6). */
export interface JobContext {
  /** The job's natural id (job_runs.id: name, medicine, period…). */
  readonly id: string;
  /**
   * Runs the job's effect in one transaction that also records the job as completed under its id,
   * so that a re-run of the same id after a crash (the effect committed, the queue never told) finds
   * it done: `use` is not called again and the result recorded then is returned.
   */
  effect<T>(use: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/** `job` is absent when a handler is called outside the runner (tests, a direct call): its effect then runs in a transaction of its own. */
export type JobHandler = (payload: JobPayload, job?: JobContext) => Promise<unknown>;

/**
 * Feature modules register what a named job does; the jobs module decides when and where it runs
 * (BullMQ on Redis, or in-process without REDIS_URL). Handlers must be idempotent.
 * Names in use: allocation.compute, allocation.start-period, reconciliation.run, committee.overdue, grants.expire,
 * recaps.missing, freed-stock.serve-queue, quota.redistribute, access-forms.overdue, access-requests.switch,
 * idempotency-keys.purge, audit.checkpoint.
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  get(name: string): JobHandler | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
