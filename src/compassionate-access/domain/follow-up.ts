import { addDays, daysBetween } from '../../common/domain/period';
import { fail, ok, type Result } from '../../common/domain/result';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';

export type FormKind = 'initiation' | 'follow-up' | 'stop';
export type StopReason = 'progression' | 'adverse_event' | 'death' | 'patient_wish' | 'transfer' | 'other';
export const STOP_REASONS: readonly StopReason[] = ['progression', 'adverse_event', 'death', 'patient_wish', 'transfer', 'other'];

/** A scheduled form: `initiation`, or `M3`, `M6`, … months after the authorisation date. */
export interface DueForm {
  form: string;
  dueOn: string;
}

/** A received follow-up form (SPEC §11 `POST …/forms`). `due` is `initiation` or `Mn` for scheduled forms, null for a stop form. */
export interface ReceivedForm {
  kind: FormKind;
  due: string | null;
  date: string;
  administered: boolean;
  reason: StopReason | null;
}

export interface OverdueForm extends DueForm {
  daysOverdue: number;
}

export const DEFAULT_GRACE_DAYS = 30;
export const DEFAULT_FOLLOW_UP_EVERY_MONTHS = 3;

/**
 * Adds calendar months to a date; the 31st falls back to the month's last day (Jan 31 + 1 month = Feb 28/29).
 * Plain arithmetic rather than a date library: the periodic report calls it for every scheduled form.
 */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12);
  const month = ((index % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The forms due strictly before `cutoff` (SPEC §9: initiation form at the authorisation date, then M3, M6,
 * M9, M12, … every `everyMonths` months). No scheduled form is due after a stop: `stoppedOn` ends the schedule
 * (a form due on the stop date is still due).
 */
export function dueForms(
  authorisedOn: string,
  cutoff: string,
  options: { everyMonths?: number; stoppedOn?: string | null } = {},
): DueForm[] {
  const every = options.everyMonths ?? DEFAULT_FOLLOW_UP_EVERY_MONTHS;
  if (!Number.isInteger(every) || every < 1) throw new Error(`follow-up interval must be a positive whole number of months, got ${every}`);
  const end = options.stoppedOn ?? null;
  const out: DueForm[] = [];
  const within = (d: string): boolean => d < cutoff && (end === null || d <= end);
  if (!within(authorisedOn)) return out;
  out.push({ form: 'initiation', dueOn: authorisedOn });
  for (let m = every; ; m += every) {
    const dueOn = addMonths(authorisedOn, m);
    if (!within(dueOn)) break;
    out.push({ form: `M${m}`, dueOn });
  }
  return out;
}

/** The scheduled label of a received form (`initiation`, `M3`, …), or null for a stop form. */
export function formLabel(form: Pick<ReceivedForm, 'kind' | 'due'>): string | null {
  switch (form.kind) {
    case 'initiation':
      return 'initiation';
    case 'follow-up':
      return form.due;
    case 'stop':
      return null;
  }
}

/**
 * Forms due and not received `graceDays` after their due date, as of `today` (SPEC §9: overdue forms are
 * reported daily). A form is overdue from the day after its due date plus the grace period. None is due after
 * a stop or after `endsOn` (the end of an authorisation that was not renewed).
 */
export function overdueForms(
  authorisedOn: string,
  received: readonly ReceivedForm[],
  today: string,
  options: { everyMonths?: number; graceDays?: number; endsOn?: string | null } = {},
): OverdueForm[] {
  const grace = options.graceDays ?? DEFAULT_GRACE_DAYS;
  const stop = stopOf(received);
  const got = new Set(received.map(formLabel).filter((l): l is string => l !== null));
  const end = [stop?.date, options.endsOn ?? undefined].filter((d): d is string => d !== undefined).sort()[0] ?? null;
  return dueForms(authorisedOn, today, { everyMonths: options.everyMonths, stoppedOn: end })
    .filter((f) => !got.has(f.form) && addDays(f.dueOn, grace) < today)
    .map((f) => ({ ...f, daysOverdue: daysBetween(addDays(f.dueOn, grace), today) }));
}

/** The stop form, if any (there is at most one). */
export function stopOf(received: readonly ReceivedForm[]): ReceivedForm | undefined {
  return received.find((f) => f.kind === 'stop');
}

/** A patient is exposed once a received form confirms administration (SPEC §9). */
export function isExposed(received: readonly ReceivedForm[]): boolean {
  return received.some((f) => f.administered);
}

/** The date of the first received form that confirms administration, or null. */
export function firstExposureOn(received: readonly ReceivedForm[]): string | null {
  const dates = received.filter((f) => f.administered).map((f) => f.date).sort();
  return dates[0] ?? null;
}

/**
 * Checks a new form against the ones already received (SPEC §9, §11 forms): a scheduled label that exists
 * in the schedule (`initiation`, `Mn` with n a multiple of the interval), not received twice, dated on or
 * after the authorisation; a stop form at any time with its reason, and no form after a stop.
 */
export function checkNewForm(
  form: ReceivedForm,
  authorisedOn: string,
  received: readonly ReceivedForm[],
  options: { everyMonths?: number } = {},
): Result<ReceivedForm, CompassionateAccessError> {
  const every = options.everyMonths ?? DEFAULT_FOLLOW_UP_EVERY_MONTHS;
  if (form.date < authorisedOn) {
    return fail(accessError('FORM_DATE_BEFORE_AUTHORISATION', { date: form.date, authorisedOn }));
  }
  const stop = stopOf(received);
  if (stop !== undefined) {
    return fail(accessError('FORM_AFTER_STOP', { stopDate: stop.date }));
  }
  switch (form.kind) {
    case 'stop':
      if (form.reason === null || !STOP_REASONS.includes(form.reason)) {
        return fail(accessError('STOP_REASON_REQUIRED', { allowed: STOP_REASONS }));
      }
      return ok({ ...form, due: null });
    case 'initiation':
    case 'follow-up': {
      const label = form.kind === 'initiation' ? 'initiation' : form.due;
      const months = label !== null && /^M[1-9]\d*$/.test(label) ? Number(label.slice(1)) : null;
      if (form.kind === 'follow-up' && (months === null || months % every !== 0)) {
        return fail(accessError('FORM_DUE_INVALID', { every, due: String(form.due) }));
      }
      if (received.some((f) => formLabel(f) === label)) {
        return fail(accessError('FORM_ALREADY_RECEIVED', { form: String(label) }));
      }
      return ok({ ...form, due: label, reason: null });
    }
  }
}
