import { errorFactory } from '../common/domain/domain-error';

const statusOf = {
  /** No handler is registered under this job name. */
  JOB_UNKNOWN: 404,
  /** The body does not name what the job is about (medicine and period, or date). */
  JOB_TARGET_INVALID: 400,
  /** The queue backend (Redis) did not take the job. */
  JOB_QUEUE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type JobErrorCode = keyof typeof statusOf;
export const jobError = errorFactory<JobErrorCode>(statusOf);
