import { ErrorParams, FieldReason } from '../../common/domain/domain-error';
import { isIsoDate } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';
import { TreatmentErrorCode, TreatmentRefusal } from './treatments.errors';

/** Stop reasons of SPEC §2. */
export const STOP_REASONS = ['progression', 'adverse_event', 'death', 'patient_wish', 'transfer', 'other'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export type TreatmentStatus = 'active' | 'stopped';

/** The part of a treatment that its declarations change (SPEC §5 Declarations). */
export interface TreatmentState {
  status: TreatmentStatus;
  /** FINESS of the establishment that treats the patient now. */
  establishment: string;
  /** Day 1 of the dosing schedule. */
  startDate: string;
  /** Since when `establishment` treats the patient: the start date, or the last transfer date. */
  establishmentSince: string;
  weightKg: number;
  stopDate: string | null;
  stopReason: StopReason | null;
}

/** A transfer as it is recorded (the old establishment's stretch ends the day before `date`). */
export interface TransferRecord {
  date: string;
  fromEstablishment: string;
  toEstablishment: string;
}

export function isStopReason(value: string): value is StopReason {
  return (STOP_REASONS as readonly string[]).includes(value);
}

/**
 * Declares an initiation (SPEC §5): the first administration on `startDate`, not after `today`,
 * for a positive weight. The treatment is active at the declaring establishment.
 */
export function startTreatment(
  input: { establishment: string; startDate: string; weightKg: number },
  today: string,
): Result<TreatmentState, TreatmentRefusal> {
  const dateProblem = checkDeclarationDate(input.startDate, 'startDate', today);
  if (dateProblem) return fail(dateProblem);
  if (!Number.isFinite(input.weightKg) || input.weightKg <= 0 || input.weightKg > 400) {
    return fail(refusal('TREATMENT_WEIGHT_INVALID', { weightKg: input.weightKg }, 'weightKg', 'must be a positive number of kg, at most 400'));
  }
  return ok({
    status: 'active',
    establishment: input.establishment,
    startDate: input.startDate,
    establishmentSince: input.startDate,
    weightKg: input.weightKg,
    stopDate: null,
    stopReason: null,
  });
}

/**
 * Declares a stop (SPEC §5): only an active treatment; the date not before the start nor the
 * last transfer, not after `today`; a reason of SPEC §2. From the stop date on, no administration
 * is counted (administrationsInPeriod excludes the stop date).
 */
export function stopTreatment(
  treatment: TreatmentState,
  stop: { date: string; reason: string },
  today: string,
): Result<TreatmentState, TreatmentRefusal> {
  if (treatment.status !== 'active') {
    return fail(refusal('TREATMENT_NOT_ACTIVE', { status: treatment.status, since: treatment.stopDate ?? null }));
  }
  const dateProblem = checkDeclarationDate(stop.date, 'date', today);
  if (dateProblem) return fail(dateProblem);
  if (!isStopReason(stop.reason)) {
    return fail(refusal('STOP_REASON_INVALID', { reason: stop.reason, allowed: STOP_REASONS }, 'reason', `must be one of ${STOP_REASONS.join(', ')}`));
  }
  if (stop.date < treatment.startDate) {
    return fail(refusal('STOP_BEFORE_START', { date: stop.date, startDate: treatment.startDate }, 'date', `must be on or after ${treatment.startDate}`));
  }
  if (stop.date < treatment.establishmentSince) {
    return fail(
      refusal('STOP_BEFORE_TRANSFER', { date: stop.date, since: treatment.establishmentSince }, 'date', `must be on or after ${treatment.establishmentSince}`),
    );
  }
  return ok({ ...treatment, status: 'stopped', stopDate: stop.date, stopReason: stop.reason });
}

/**
 * Declares a transfer (SPEC §5): the active treatment moves to another establishment on `date`
 * and stays active; the patient keeps the pseudonym and no initiation is consumed. The date is
 * not before the start nor a previous transfer, not after `today`.
 */
export function transferTreatment(
  treatment: TreatmentState,
  transfer: { date: string; toEstablishment: string },
  today: string,
): Result<{ treatment: TreatmentState; transfer: TransferRecord }, TreatmentRefusal> {
  if (treatment.status !== 'active') {
    return fail(refusal('TREATMENT_NOT_ACTIVE', { status: treatment.status, since: treatment.stopDate ?? null }));
  }
  const dateProblem = checkDeclarationDate(transfer.date, 'date', today);
  if (dateProblem) return fail(dateProblem);
  if (transfer.toEstablishment === treatment.establishment) {
    return fail(
      refusal('TRANSFER_TO_SAME_ESTABLISHMENT', { establishment: treatment.establishment }, 'toEstablishment', 'must be another establishment'),
    );
  }
  if (transfer.date < treatment.establishmentSince) {
    return fail(refusal('TRANSFER_BEFORE_START', { date: transfer.date, since: treatment.establishmentSince }, 'date', `must be on or after ${treatment.establishmentSince}`));
  }
  return ok({
    treatment: { ...treatment, establishment: transfer.toEstablishment, establishmentSince: transfer.date },
    transfer: { date: transfer.date, fromEstablishment: treatment.establishment, toEstablishment: transfer.toEstablishment },
  });
}

function checkDeclarationDate(date: string, field: string, today: string): TreatmentRefusal | null {
  if (!isIsoDate(date)) return refusal('TREATMENT_DATE_INVALID', { field, date }, field, 'must be a date YYYY-MM-DD');
  if (date > today) return refusal('TREATMENT_DATE_IN_FUTURE', { field, date, today }, field, `must be on or before ${today}`);
  return null;
}

function refusal(code: TreatmentErrorCode, params: ErrorParams, field?: string, reason?: string): TreatmentRefusal {
  const errors: FieldReason[] = field && reason ? [{ field, reason }] : [];
  return { code, params, errors };
}
