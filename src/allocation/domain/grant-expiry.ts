import { addDays, dateOf } from '../../common/domain/period';

/** SPEC §3 default of `startWithinDays` when a policy version does not set it. */
export const DEFAULT_START_WITHIN_DAYS = 30;

export interface GrantTerm {
  /** The day the grant was given (or the request submitted, for a grant with no recorded time). */
  grantedOn: string;
  startWithinDays: number;
  /** The last day a treatment may start under the grant: grantedOn + startWithinDays. */
  lastStartDate: string;
}

/** A grant's start window (SPEC §5): it must be started on or before grantedOn + startWithinDays. */
export function grantTerm(grantedAt: string | null, submittedAt: string, startWithinDays: number | null | undefined): GrantTerm {
  const days = startWithinDays ?? DEFAULT_START_WITHIN_DAYS;
  const grantedOn = dateOf(new Date(grantedAt ?? submittedAt));
  return { grantedOn, startWithinDays: days, lastStartDate: addDays(grantedOn, days) };
}

/** Whether a start (or today, for the daily expiry) falls after the grant's window. */
export function isPastGrantTerm(term: GrantTerm, date: string): boolean {
  return date > term.lastStartDate;
}
