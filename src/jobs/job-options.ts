import { Injectable } from '@nestjs/common';

/**
 * How jobs are retried and how BullMQ workers watch for dead peers (SPEC §7: retried with
 * backoff). Defaults suit production; a test may lower them before the workers start.
 */
@Injectable()
export class JobOptions {
  attempts = 3;
  /** First retry delay; each later one doubles. */
  backoffMs = 10_000;
  /** A worker holds a job's lock this long and renews it at half; a killed worker's job is taken back after it lapses. */
  lockDurationMs = 30_000;
  stalledIntervalMs = 30_000;
  concurrency = 2;
  /** Completed and failed jobs kept in Redis (the history lives in job_runs). */
  keepInRedis = 1_000;
}
