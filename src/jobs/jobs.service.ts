import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { JobPayload, JobRegistry } from '../common/contracts/job-registry';
import { Page, PageQueryDto } from '../common/pagination/page';
import { QueueHealth } from '../common/contracts/queue-health';
import { JOB_BACKEND, JobBackend } from './backends/job-backend';
import { JobState, JobTarget, JobTrigger, isJobName, isPeriodJob, jobIdOf, jobKeyOf } from './domain/job-keys';
import { JobRunEntity } from './entities/job-run.entity';
import { JobHistory } from './job-history.service';
import { JobOptions } from './job-options';
import { jobError } from './jobs.errors';

/** A job as GET /api/v1/jobs shows it (SPEC §11 jobs row). */
export interface JobResponse {
  id: string;
  name: string;
  key: string;
  state: JobState;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  trigger: JobTrigger;
  mode: string;
  queuedAt: string;
  payload: JobPayload;
  result: unknown;
}

/** Puts jobs on their queue (BullMQ or in-process) and shows their history (SPEC §7). */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy, QueueHealth {
  private readonly logger = new Logger(JobsService.name);

  constructor(
    @Inject(JOB_BACKEND) private readonly backend: JobBackend,
    private readonly registry: JobRegistry,
    private readonly history: JobHistory,
    private readonly options: JobOptions,
    private readonly audit: AuditService,
  ) {}

  /** Handlers are registered in the modules' onModuleInit, so every family is known here. */
  async onApplicationBootstrap(): Promise<void> {
    await this.backend.start(this.registry.names());
  }

  async onModuleDestroy(): Promise<void> {
    await this.backend.stop();
  }

  async state(): Promise<{ mode: 'redis' | 'in-process'; up: boolean }> {
    return { mode: this.backend.mode, up: await this.backend.up() };
  }

  isRegistered(name: string): boolean {
    return this.registry.get(name) !== undefined;
  }

  /**
   * Records and queues a job. The same name and target (and variant) again is the same job: it
   * is not queued twice. Call it after the commit of whatever asked for it.
   */
  async enqueue(name: string, target: JobTarget, trigger: JobTrigger, variant?: string, onRecorded?: (manager: EntityManager) => Promise<unknown>): Promise<JobRunEntity> {
    const { id, key } = this.identify(name, target, variant);
    const payload: JobPayload = { ...(target.medicine ? { medicine: target.medicine } : {}), ...(target.period ? { period: target.period } : {}), ...(target.date ? { date: target.date } : {}) };
    const run = await this.history.queue({ id, name, key, payload, trigger, mode: this.backend.mode, maxAttempts: this.options.attempts }, onRecorded);
    if (run.state !== 'waiting') return run;
    try {
      await this.backend.submit(run);
    } catch (error: unknown) {
      this.logger.error(`job ${id} could not be queued: ${(error as Error).message}`);
      throw jobError('JOB_QUEUE_UNAVAILABLE', { job: id, recorded: true });
    }
    return run;
  }

  /** The job's id and key, or the refusal of an unknown job or a target it cannot be about. */
  private identify(name: string, target: JobTarget, variant?: string): { id: string; key: string } {
    if (!isJobName(name) || !this.isRegistered(name)) {
      throw jobError('JOB_UNKNOWN', { job: name, known: this.registry.names() }, [{ field: 'name', reason: 'is not a registered job' }]);
    }
    try {
      return { id: jobIdOf(name, target, variant), key: jobKeyOf(target, name) };
    } catch (error: unknown) {
      throw jobError('JOB_TARGET_INVALID', { job: name }, [{ field: 'period', reason: isPeriodJob(name) ? 'must name a period YYYY-MM only' : 'must name a medicine and a period YYYY-MM' }]);
    }
  }

  /**
   * The agency runs a job now (POST /jobs/{name}/run): a job of its own, audited. Its id is the
   * natural key (job, medicine, period) plus `manual-k<hash>` of the request's Idempotency-Key,
   * or else `manual-<n>`: while the last manual run of that job and target is unfinished, asking
   * again returns it (a client's retry is not a second run). With Redis down nothing is recorded:
   * a 503 JOB_QUEUE_UNAVAILABLE at once.
   */
  async requestRun(actor: Actor, name: string, target: JobTarget, idempotencyKey?: string): Promise<JobResponse> {
    const base = this.identify(name, target).id;
    if (!(await this.backend.up())) throw jobError('JOB_QUEUE_UNAVAILABLE', { job: name, recorded: false });
    let variant: string;
    if (idempotencyKey) {
      variant = `manual-k${createHash('sha256').update(`${actor.userId}\n${idempotencyKey}`).digest('hex').slice(0, 16)}`;
    } else {
      const latest = await this.history.latestManual(base);
      if (latest.run && ['waiting', 'active', 'retrying'].includes(latest.run.state)) return toJobResponse(latest.run);
      variant = `manual-${latest.count + 1}`;
    }
    const run = await this.enqueue(name, target, 'manual', variant, (manager) =>
      this.audit.record(manager, actor, { action: 'job.requested', entity: 'job', entityId: jobIdOf(name, target, variant), before: null, after: { name, key: jobKeyOf(target, name) } }),
    );
    return toJobResponse(run);
  }

  async get(id: string): Promise<JobResponse | null> {
    const run = await this.history.find(id);
    return run ? toJobResponse(run) : null;
  }

  async list(query: PageQueryDto & { name?: string; state?: JobState }): Promise<Page<JobResponse>> {
    const page = await this.history.list(query);
    return { items: page.items.map(toJobResponse), nextCursor: page.nextCursor };
  }
}

export function toJobResponse(run: JobRunEntity): JobResponse {
  return {
    id: run.id, name: run.name, key: run.key, state: run.state, attempts: run.attempts, startedAt: run.startedAt, finishedAt: run.finishedAt, error: run.error,
    trigger: run.trigger, mode: run.mode, queuedAt: run.queuedAt, payload: run.payload, result: run.result ?? null,
  };
}
