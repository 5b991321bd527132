import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Like, Not, Repository } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { JobState } from './domain/job-keys';
import { JobRunEntity } from './entities/job-run.entity';

const MAX_ERROR_CHARS = 1_000;

/** The job_runs table: one row per job id, updated as it runs, the same with or without Redis. */
@Injectable()
export class JobHistory {
  constructor(
    @InjectRepository(JobRunEntity) private readonly runs: Repository<JobRunEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Records a job as waiting unless its id is already known; returns the stored row either way. */
  async queue(
    row: Omit<JobRunEntity, 'state' | 'attempts' | 'startedAt' | 'finishedAt' | 'error' | 'result' | 'queuedAt'>,
    onRecorded?: (manager: EntityManager) => Promise<unknown>,
  ): Promise<JobRunEntity> {
    return this.unitOfWork.run(async (manager) => {
      const known = await manager.getRepository(JobRunEntity).findOneBy({ id: row.id });
      if (known) return known;
      const values: JobRunEntity = { ...row, state: 'waiting', attempts: 0, queuedAt: this.clock.now().toISOString(), startedAt: null, finishedAt: null, error: null, result: null };
      // Another instance may record the same job id at the same moment: the first row stays.
      await manager.createQueryBuilder().insert().into(JobRunEntity).values(values as never).orIgnore().execute();
      if (onRecorded) await onRecorded(manager);
      return manager.getRepository(JobRunEntity).findOneByOrFail({ id: row.id });
    });
  }

  /** Takes a waiting job for this process (in-process mode, where no queue hands it out); false if another took it. */
  async claim(id: string): Promise<boolean> {
    return this.unitOfWork.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(JobRunEntity)
        .set({ state: 'active', attempts: () => 'attempts + 1', startedAt: this.clock.now().toISOString(), finishedAt: null })
        .where({ id, state: In(['waiting', 'retrying']) })
        .execute();
      return (result.affected ?? 0) === 1;
    });
  }

  /**
   * A worker started the job (BullMQ mode: the queue's lock already makes it the only one). A job
   * already completed stays so (`ok: false` with its result): its effect committed with its completion.
   */
  async started(id: string): Promise<{ ok: true } | { ok: false; result: unknown }> {
    return this.unitOfWork.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(JobRunEntity)
        .set({ state: 'active', attempts: () => 'attempts + 1', startedAt: this.clock.now().toISOString(), finishedAt: null })
        .where({ id, state: Not('completed') })
        .execute();
      if ((result.affected ?? 0) > 0) return { ok: true };
      const row = await manager.getRepository(JobRunEntity).findOneBy({ id });
      return row?.state === 'completed' ? { ok: false, result: row.result } : { ok: true };
    });
  }

  async completed(id: string, result: unknown): Promise<void> {
    await this.set(id, 'completed', { error: null, result: summarise(result) });
  }

  /** The job's completion, written in the transaction of its effect (JobContext.effect). */
  async completeIn(manager: EntityManager, id: string, result: unknown): Promise<void> {
    await manager.getRepository(JobRunEntity).update({ id }, { state: 'completed', error: null, result: summarise(result), finishedAt: this.clock.now().toISOString() } as never);
  }

  /** Whether the job completed, read in the effect's transaction (its row locked on PostgreSQL, so two runs of one id take turns). */
  async completedIn(manager: EntityManager, id: string): Promise<{ result: unknown } | null> {
    const query = manager.getRepository(JobRunEntity).createQueryBuilder('j').where('j.id = :id', { id });
    if (manager.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    const row = await query.getOne();
    return row?.state === 'completed' ? { result: row.result } : null;
  }

  async failed(id: string, error: string, final: boolean): Promise<void> {
    await this.set(id, final ? 'failed' : 'retrying', { error: error.slice(0, MAX_ERROR_CHARS) });
  }

  async find(id: string): Promise<JobRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  /** Jobs left waiting or retrying by a process that stopped (in-process mode picks them up again). */
  async pending(mode: string): Promise<JobRunEntity[]> {
    return this.runs.find({ where: { mode, state: In(['waiting', 'retrying']) }, order: { queuedAt: 'ASC' } });
  }

  /** Runs recorded in this mode that have not finished (waiting, retrying, or active in a process that may have died). */
  async unfinished(mode: string): Promise<JobRunEntity[]> {
    return this.runs.find({ where: { mode, state: In(['waiting', 'retrying', 'active']) }, order: { queuedAt: 'ASC' } });
  }

  /** The latest manual run of a job about this target (ids `<base>+manual-…`). */
  async latestManual(base: string): Promise<{ run: JobRunEntity | null; count: number }> {
    const rows = await this.runs.find({ where: { id: Like(`${base}+manual-%`) }, order: { queuedAt: 'DESC', id: 'DESC' } });
    return { run: rows[0] ?? null, count: rows.length };
  }

  async list(query: PageQueryDto & { name?: string; state?: JobState }): Promise<Page<JobRunEntity>> {
    const window = pageWindow(query);
    const where = { ...(query.name ? { name: query.name } : {}), ...(query.state ? { state: query.state } : {}) };
    const rows = await this.runs.find({ where, order: { queuedAt: 'DESC', id: 'ASC' }, skip: window.skip, take: window.take });
    return toPage(rows, window);
  }

  private async set(id: string, state: JobState, fields: Partial<JobRunEntity>): Promise<void> {
    await this.unitOfWork.run((manager) =>
      manager.getRepository(JobRunEntity).update({ id }, { ...fields, state, finishedAt: state === 'retrying' ? null : this.clock.now().toISOString() } as never),
    );
  }
}

/** What a handler returned, kept small for the history (a reconciliation returns its counts, not its rows). */
function summarise(result: unknown): unknown {
  if (result === undefined) return null;
  const text = JSON.stringify(result);
  if (text === undefined) return null;
  return text.length <= 4_000 ? result : { truncated: true, size: text.length };
}
