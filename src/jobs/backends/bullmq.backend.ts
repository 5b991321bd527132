import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobPayload } from '../../common/contracts/job-registry';
import { familyOf, queueNameOf } from '../domain/job-keys';
import type { JobRunEntity } from '../entities/job-run.entity';
import type { JobOptions } from '../job-options';
import type { JobRunner } from '../job-runner.service';
import { JobBackend } from './job-backend';

/**
 * BullMQ on Redis: one queue per job family, a worker per queue in every app instance. The job
 * id is the natural key (see jobIdOf), so the same cron job put by two instances runs once; a
 * worker killed half-way loses its lock and another worker takes the job back.
 */
export class BullMqBackend implements JobBackend {
  readonly mode = 'redis' as const;
  private readonly logger = new Logger(BullMqBackend.name);
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private ping: Redis | null = null;
  private readonly onQueue: ((queue: Queue) => void)[] = [];

  constructor(
    private readonly url: string,
    /** Keys prefix: app instances on one database share queues, other databases do not. */
    readonly prefix: string,
    private readonly runner: JobRunner,
    private readonly options: JobOptions,
  ) {}

  private connection() {
    return { url: this.url, maxRetriesPerRequest: null };
  }

  /** The queue of a job name's family, created on first use. */
  queueFor(name: string): Queue {
    const queueName = queueNameOf(name);
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection: this.connection(), prefix: this.prefix });
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
    await this.queueFor(run.name).add(run.name, run.payload, {
      jobId: run.id,
      attempts: run.maxAttempts,
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
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    if (this.ping) this.ping.disconnect();
  }

  private async process(job: Job<JobPayload>): Promise<unknown> {
    if (!job.id) throw new Error('a job without an id');
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.runner.attempt(job.id, job.name, job.data, { claim: false, final });
    return outcome.result ?? null;
  }
}
