import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobContext, JobPayload, JobRegistry } from '../common/contracts/job-registry';
import { DomainError } from '../common/domain/domain-error';
import { UnitOfWork } from '../common/database/unit-of-work';
import { JobHistory } from './job-history.service';

/** Runs one attempt of a job with the handler a module registered, and writes it to the history. */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly registry: JobRegistry,
    private readonly history: JobHistory,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * `claim`: take the job in the history first (in-process mode); returns `{ ran: false }` when
   * another process has it. `final`: no retry follows a failure of this attempt. A job already
   * completed (its effect committed with its completion, the queue not told before a crash) is not
   * run again: `{ ran: false }` with the recorded result.
   */
  async attempt(id: string, name: string, payload: JobPayload, options: { claim: boolean; final: boolean }): Promise<{ ran: boolean; result?: unknown }> {
    const handler = this.registry.get(name);
    if (options.claim) {
      if (!(await this.history.claim(id))) return { ran: false };
    } else {
      const started = await this.history.started(id);
      if (!started.ok) return { ran: false, result: started.result };
    }
    if (!handler) {
      const message = `no handler is registered for ${name} in this process`;
      await this.history.failed(id, message, options.final);
      throw new Error(message);
    }
    let recorded = false;
    const job: JobContext = {
      id,
      effect: <T>(use: (manager: EntityManager) => Promise<T>): Promise<T> =>
        this.unitOfWork.run(async (manager) => {
          const done = await this.history.completedIn(manager, id);
          if (done) {
            recorded = true;
            return done.result as T;
          }
          const result = await use(manager);
          await this.history.completeIn(manager, id, result);
          recorded = true;
          return result;
        }, { alone: true }),
    };
    try {
      const result = await handler(payload, job);
      if (!recorded) await this.history.completed(id, result);
      return { ran: true, result };
    } catch (error: unknown) {
      const message = describe(error);
      // The effect and the completion committed: the job is done, a retry would only find it so.
      if (recorded) {
        this.logger.warn(`job ${id} failed after its effect committed (kept completed): ${message}`);
        return { ran: true };
      }
      this.logger.warn(`job ${id} failed${options.final ? '' : ' (will retry)'}: ${message}`);
      await this.history.failed(id, message, options.final);
      throw error;
    }
  }
}

/** A failure as the history shows it: a domain error's code and sentence; otherwise the error's name and message only. */
export function describe(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return 'unknown error';
}
