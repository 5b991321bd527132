import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobPayload } from '../../common/contracts/job-registry';
import { familyOf, queueNameOf } from '../domain/job-keys';
import type { JobRunEntity } from '../entities/job-run.entity';
import type { JobHistory } from '../job-history.service';
import type { JobOptions } from '../job-options';
import type { JobRunner } from '../job-runner.service';
import { JobBackend } from './job-backend';

/**
 * BullMQ on Redis: one queue per job family, a worker per queue in every app instance. The job
 * id is the natural key (see jobIdOf), so the same cron job put by two instances runs once; a
 * worker killed half-way loses its lock and another worker takes the job back.
 *
 * Redis may lose its keys (a restart without persistence): job_runs stays the record. At start and
 * after every reconnect, each recorded run that is not finished and that the queue no longer holds
 * is put back under its id. Producers do not buffer while Redis is away: a submit fails at once.
 */
export class BullMqBackend implements JobBackend {
  readonly mode = 'redis' as const;
  private readonly logger = new Logger(BullMqBackend.name);
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private ping: Redis | null = null;
  private watch: Redis | null = null;
  private stopped = false;
  /** Jobs this process is running now: Redis losing them is no reason to queue them again. */
  private readonly running = new Set<string>();
  private readonly onQueue: ((queue: Queue) => void)[] = [];

  constructor(
    private readonly url: string,
    /** Keys prefix: app instances on one database share queues, other databases do not. */
    readonly prefix: string,
    private readonly runner: JobRunner,
    private readonly options: JobOptions,
    private readonly history: JobHistory,
  ) {}

  /** Workers block on Redis and wait for it to come back. */
  private connection() {
    return { url: this.url, maxRetriesPerRequest: null };
  }

  /** Producers fail fast while Redis is away (no offline queue, one retry), so a request gets its 503 at once. */
  private producerConnection() {
    return { url: this.url, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  }

  /** The queue of a job name's family, created on first use. */
  queueFor(name: string): Queue {
    const queueName = queueNameOf(name);
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection: this.producerConnection(), prefix: this.prefix });
      queue.on('error', (error) => this.logger.warn(`queue ${queueName}: ${error.message}`));
      this.queues.set(queueName, queue);
      for (const listener of this.onQueue) listener(queue);
    }
    return queue;
  }

  /** Every queue, now and as they are created (the dashboard lists them). */
  watchQueues(listener: (queue: Queue) => void): void {
    this.onQueue.push(listener);
    for (const queue of this.queues.values()) listener(queue);
  }

  async start(names: string[]): Promise<void> {
    for (const family of [...new Set(names.map(familyOf))].sort()) this.workerFor(`${family}.any`);
    await Promise.all([...this.workers.values()].map((w) => w.waitUntilReady()));
    await this.resubmitMissing();
    // A reconnect may follow a Redis restart that lost every key.
    this.watch = new Redis(this.url, { maxRetriesPerRequest: null });
    let first = true;
    this.watch.on('error', () => undefined);
    this.watch.on('ready', () => {
      if (first) {
        first = false;
        return;
      }
      this.logger.warn('Redis is back: queuing again the recorded jobs it no longer holds');
      void this.resubmitUntilDone();
    });
  }

  /** The queues' own connections come back a moment after this one: try again until a sweep goes through. */
  private async resubmitUntilDone(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.resubmitMissing();
        return;
      } catch (error: unknown) {
        if (attempt % 10 === 1) this.logger.warn(`recorded jobs not queued again yet: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
      }
    }
  }

  /** Puts back every unfinished recorded run the queue does not hold; returns their ids. */
  async resubmitMissing(): Promise<string[]> {
    const resubmitted: string[] = [];
    for (const run of await this.history.unfinished(this.mode)) {
      if (this.running.has(run.id)) continue;
      const job = await this.queueFor(run.name).getJob(run.id);
      if (job) continue;
      await this.submit(run);
      resubmitted.push(run.id);
    }
    if (resubmitted.length > 0) this.logger.warn(`${resubmitted.length} recorded job(s) missing from Redis queued again`);
    return resubmitted;
  }

  /** The worker of a job name's family in this process; a handler registered after start gets one when its first job is queued. */
  private workerFor(name: string): Worker {
    const queue = this.queueFor(name);
    let worker = this.workers.get(queue.name);
    if (!worker) {
      worker = new Worker(queue.name, (job: Job<JobPayload>) => this.process(job), {
        connection: this.connection(),
        prefix: this.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs,
        maxStalledCount: 1,
      });
      worker.on('error', (error) => this.logger.warn(`worker ${queue.name}: ${error.message}`));
      this.workers.set(queue.name, worker);
    }
    return worker;
  }

  async submit(run: JobRunEntity): Promise<void> {
    this.workerFor(run.name);
    const attemptsLeft = Math.max(1, run.maxAttempts - run.attempts);
    await this.queueFor(run.name).add(run.name, run.payload, {
      jobId: run.id,
      attempts: attemptsLeft,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: { count: this.options.keepInRedis },
      removeOnFail: { count: this.options.keepInRedis },
    });
  }

  async up(): Promise<boolean> {
    this.ping ??= new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1_000 });
    try {
      if (this.ping.status === 'wait' || this.ping.status === 'end') await this.ping.connect();
      return (await Promise.race([this.ping.ping(), new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1_000))])) === 'PONG';
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    if (this.ping) this.ping.disconnect();
    if (this.watch) this.watch.disconnect();
  }

  private async process(job: Job<JobPayload>): Promise<unknown> {
    if (!job.id) throw new Error('a job without an id');
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    this.running.add(job.id);
    try {
      const outcome = await this.runner.attempt(job.id, job.name, job.data, { claim: false, final });
      return outcome.result ?? null;
    } finally {
      this.running.delete(job.id);
    }
  }
}
