import { addPeriods, isIsoDate, isPeriod } from '../../common/domain/period';

/** Where a job is in its life (SPEC §7: the history is visible). */
export const JOB_STATES = ['waiting', 'active', 'retrying', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Why a job was put on a queue. */
export type JobTrigger = 'cron' | 'manual' | 'late-recap' | 'event';

/** The daily jobs (08:00 Europe/Paris): overdue committee reviews, missing recaps, expired grants, slot redistribution, overdue forms, old idempotency keys, the signed audit checkpoint. */
export const DAILY_JOBS = ['committee.overdue', 'recaps.missing', 'grants.expire', 'quota.redistribute', 'access-forms.overdue', 'idempotency-keys.purge', 'audit.checkpoint'] as const;

/**
 * Jobs about a whole period, every medicine at once (the period start: one job for the month, SPEC §7), whose key is
 * `period:PERIOD`; every other job is about a medicine and a period, or a date.
 */
export const PERIOD_JOBS: readonly string[] = ['allocation.start-period'];

export function isPeriodJob(name: string): boolean {
  return PERIOD_JOBS.includes(name);
}

/** Cron times (Europe/Paris, with seconds): period start, monthly reconciliation, daily reports. */
export const CRON = {
  periodStart: '0 5 0 1 * *',
  reconciliation: '0 0 2 11 * *',
  daily: '0 0 8 * * *',
} as const;

const NAME_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const MEDICINE_RE = /^[A-Za-z0-9_-]{1,40}$/;
const VARIANT_RE = /^[A-Za-z0-9_-]{1,60}$/;

/** A job name is `family.action` (e.g. `reconciliation.run`); the family names its queue. */
export function isJobName(name: string): boolean {
  return NAME_RE.test(name);
}

export function familyOf(name: string): string {
  if (!isJobName(name)) throw new RangeError(`not a job name: ${name}`);
  return name.slice(0, name.indexOf('.'));
}

/** One BullMQ queue per job family. */
export function queueNameOf(name: string): string {
  return `contingent-${familyOf(name)}`;
}

export interface JobTarget {
  medicine?: string;
  period?: string;
  date?: string;
}

/**
 * What a job is about: `MEDICINE:PERIOD`, or the date of a daily job; for a job of `PERIOD_JOBS` (`name`),
 * `period:PERIOD` and nothing else.
 */
export function jobKeyOf(target: JobTarget, name?: string): string {
  if (name !== undefined && isPeriodJob(name)) {
    if (target.medicine !== undefined || target.date !== undefined || target.period === undefined || !isPeriod(target.period)) throw new RangeError(`${name} is about a period YYYY-MM only`);
    return `period:${target.period}`;
  }
  if (target.medicine !== undefined && target.period !== undefined) {
    if (!MEDICINE_RE.test(target.medicine)) throw new RangeError(`not a medicine code: ${target.medicine}`);
    if (!isPeriod(target.period)) throw new RangeError(`not a period: ${target.period}`);
    return `${target.medicine}:${target.period}`;
  }
  if (target.date !== undefined && isIsoDate(target.date)) return `daily:${target.date}`;
  throw new RangeError('a job is about a medicine and a period, or a date');
}

/**
 * The job id: `name:MEDICINE:PERIOD`, `name:daily:DATE` or `name:period:PERIOD`, so that the same job put on a queue
 * twice (two app instances, a retried cron) runs once. A re-run asked for on purpose (by the
 * agency, by a late recap) adds a variant after `+`, and is a job of its own.
 * (BullMQ refuses custom ids with a `:` unless they have exactly three parts.)
 */
export function jobIdOf(name: string, target: JobTarget, variant?: string): string {
  if (!isJobName(name)) throw new RangeError(`not a job name: ${name}`);
  if (variant !== undefined && !VARIANT_RE.test(variant)) throw new RangeError(`not a job variant: ${variant}`);
  const base = `${name}:${jobKeyOf(target, name)}`;
  return variant === undefined ? base : `${base}+${variant}`;
}

/** Delay before retry number `attemptsMade` (1 after the first failure): exponential, as BullMQ's. */
export function backoffDelay(attemptsMade: number, baseMs: number): number {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) throw new RangeError(`attemptsMade must be 1 or more, got ${attemptsMade}`);
  return baseMs * 2 ** (attemptsMade - 1);
}

/** The period the 11th's reconciliation is about: the one before today's. */
export function periodToReconcile(today: string): string {
  return addPeriods(today.slice(0, 7), -1);
}
