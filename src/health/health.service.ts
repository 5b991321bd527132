import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { classifyOutage } from '../common/database/database-errors';
import { UnitOfWork } from '../common/database/unit-of-work';
import { DatabaseHealthDto, HealthDto, QueueHealthDto } from './health.dto';
import { QUEUE_HEALTH, QueueHealth } from '../common/contracts/queue-health';

const PING_TIMEOUT_MS = 2_000;

/** Each component and its state (SPEC §11 health row); down when it does not answer or its last write failed for want of it. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    @Optional() @Inject(QUEUE_HEALTH) private readonly queue?: QueueHealth,
  ) {}

  async check(): Promise<HealthDto> {
    const [database, queue] = await Promise.all([this.database(), this.queueState()]);
    return { status: database.status === 'up' && queue.status === 'up' ? 'ok' : 'error', info: { database, queue } };
  }

  private async database(): Promise<DatabaseHealthDto> {
    const engine = this.unitOfWork.isPostgres ? 'postgres' : 'sqlite';
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), PING_TIMEOUT_MS);
    } catch (error: unknown) {
      return { status: 'down', engine, code: 'DATABASE_UNAVAILABLE', reason: classifyOutage(error)?.reason ?? 'unreachable' };
    }
    const outage = this.unitOfWork.lastOutage();
    return outage ? { status: 'down', engine, code: outage.code, reason: outage.reason, since: outage.at } : { status: 'up', engine };
  }

  private async queueState(): Promise<QueueHealthDto> {
    const state = this.queue ? await this.queue.state() : { mode: 'in-process' as const, up: true };
    return state.up ? { status: 'up', mode: state.mode } : { status: 'down', mode: state.mode, code: 'JOB_QUEUE_UNAVAILABLE', reason: 'unreachable' };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('ping timed out'), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
