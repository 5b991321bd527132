import { Logger } from '@nestjs/common';
import { transactionHooks } from '../../common/database/transaction-hooks';
import { backoffDelay } from '../domain/job-keys';
import type { JobRunEntity } from '../entities/job-run.entity';
import type { JobHistory } from '../job-history.service';
import type { JobOptions } from '../job-options';
import type { JobRunner } from '../job-runner.service';
import { JobBackend } from './job-backend';

/**
 * Without REDIS_URL: the same handlers run in this process, retried with the same backoff.
 * Each attempt first claims the job in job_runs (a conditional update), so several instances on
 * one database still run a job once; jobs left waiting by a stopped process are picked up at start.
 */
export class InProcessBackend implements JobBackend {
  readonly mode = 'in-process' as const;
  private readonly logger = new Logger(InProcessBackend.name);
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly runner: JobRunner,
    private readonly history: JobHistory,
    private readonly options: JobOptions,
  ) {}

  async start(): Promise<void> {
    for (const run of await this.history.pending(this.mode)) await this.submit(run);
  }

  async submit(run: JobRunEntity): Promise<void> {
    this.schedule(run, run.attempts, 0);
  }

  async up(): Promise<boolean> {
    return !this.stopped;
  }

  /** Resolves once no job runs or waits for a retry in this process (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      await Promise.all([...this.running]);
      if (this.running.size === 0 && this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running]);
  }

  private schedule(run: JobRunEntity, attemptsMade: number, delayMs: number): void {
    if (this.stopped) return;
    // A job is not part of the request that queued it: it leaves that request's transaction hooks behind.
    const timer = transactionHooks.exit(() =>
      setTimeout(() => {
        this.timers.delete(timer);
        const work = this.attempt(run, attemptsMade + 1).finally(() => this.running.delete(work));
        this.running.add(work);
      }, delayMs),
    );
    this.timers.add(timer);
  }

  private async attempt(run: JobRunEntity, attempt: number): Promise<void> {
    const final = attempt >= run.maxAttempts;
    try {
      await this.runner.attempt(run.id, run.name, run.payload, { claim: true, final });
    } catch {
      if (!final) this.schedule(run, attempt, backoffDelay(attempt, this.options.backoffMs));
      else this.logger.error(`job ${run.id} failed after ${attempt} attempts`);
    }
  }
}
