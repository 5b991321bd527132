import { addDays } from '../../common/domain/period';
import { DueForm, ReceivedForm, dueForms, formLabel, stopOf } from '../../compassionate-access/domain/follow-up';

/** How long before its deadline an urgent request is recalled to the committee (issue 19). */
export const DEADLINE_WARNING_MS = 12 * 3600_000;
/** How many days before it lapses a grant not yet started is recalled. */
export const GRANT_WARNING_DAYS = 3;

/** An urgent request still under review whose deadline is within the next 12 hours (not past). */
export function isDeadlineNear(deadline: string | null, now: Date): boolean {
  if (!deadline) return false;
  const left = new Date(deadline).getTime() - now.getTime();
  return left > 0 && left <= DEADLINE_WARNING_MS;
}

/**
 * The last day a grant may start (granted on `grantedOn`, `startWithinDays` to start, as the daily
 * `grants.expire` job counts it), and whether today falls in the warning window before it.
 */
export function grantExpiry(grantedOn: string, startWithinDays: number, today: string): { lastDay: string; warn: boolean } {
  const lastDay = addDays(grantedOn, startWithinDays);
  return { lastDay, warn: today <= lastDay && addDays(today, GRANT_WARNING_DAYS) >= lastDay };
}

/** How many days before its due date a follow-up form is recalled. */
export const FORM_WARNING_DAYS = 7;

/**
 * The follow-up forms of an authorisation falling due from today to `FORM_WARNING_DAYS` ahead and
 * not received yet (SPEC §9 schedule: initiation, then M3, M6, …; none after a stop or the end of the authorisation).
 */
export function formsComingDue(authorisedOn: string, received: readonly ReceivedForm[], today: string, options: { everyMonths?: number; endsOn?: string | null } = {}): DueForm[] {
  const got = new Set(received.map(formLabel).filter((l): l is string => l !== null));
  const end = [stopOf(received)?.date, options.endsOn ?? undefined].filter((d): d is string => d !== undefined).sort()[0] ?? null;
  return dueForms(authorisedOn, addDays(today, FORM_WARNING_DAYS + 1), { everyMonths: options.everyMonths, stoppedOn: end }).filter((f) => f.dueOn >= today && !got.has(f.form));
}
