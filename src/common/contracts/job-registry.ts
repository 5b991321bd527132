import { Injectable } from '@nestjs/common';

/** The payload of every job: which medicine and period it is about (either may be absent for daily jobs). */
export interface JobPayload {
  medicine?: string;
  period?: string;
  date?: string;
}

export type JobHandler = (payload: JobPayload) => Promise<unknown>;

/**
 * Feature modules register what a named job does; the jobs module decides when and where it runs
 * (BullMQ on Redis, or in-process without REDIS_URL). Handlers must be idempotent.
 * Names in use: allocation.compute, reconciliation.run, committee.overdue, grants.expire,
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
