import type { JobRunEntity } from '../entities/job-run.entity';

/** Where jobs wait and who runs them: BullMQ on Redis, or this process (SPEC §7). */
export interface JobBackend {
  readonly mode: 'redis' | 'in-process';
  /** Starts the workers of these job names' families. */
  start(names: string[]): Promise<void>;
  /** Puts a job recorded as waiting on its queue; putting the same id twice runs it once. */
  submit(run: JobRunEntity): Promise<void>;
  up(): Promise<boolean>;
  stop(): Promise<void>;
}

export const JOB_BACKEND = Symbol('JOB_BACKEND');
