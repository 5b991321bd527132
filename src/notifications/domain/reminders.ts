import { addDays } from '../../common/domain/period';

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
