import { DomainError, Refusal, errorFactory } from '../../common/domain/domain-error';
import type { RecapValidation } from './recap-csv';
import type { RecapJsonValidation } from './recap-json';

/** HTTP status of every recap refusal (SPEC §5 Monthly recap, §11 recaps row). */
export const RECAP_ERROR_STATUS = {
  /** One or more bad lines; `errors` lists them as `{ line, field, reason }`. */
  RECAP_INVALID: 422,
  /** Every bad line names another medicine or period than the URL's or form's. */
  RECAP_PERIOD_MISMATCH: 422,
  /** No header, or a header and no patients. */
  RECAP_EMPTY: 422,
  /** More lines than allowed, or a file above the upload size limit. */
  RECAP_TOO_LARGE: 413,
  /** A multipart upload without its `file` part. */
  RECAP_FILE_MISSING: 400,
  /** A multipart upload with parts other than `file`, `medicine` and `period`. */
  RECAP_FORM_INVALID: 400,
  /** Neither JSON nor multipart/form-data with a CSV file. */
  RECAP_UNSUPPORTED_MEDIA_TYPE: 415,
  /** A recap for a period that has not started yet. */
  RECAP_PERIOD_IN_FUTURE: 422,
  RECAP_NOT_FOUND: 404,
  /** The thread that checks CSV files stopped during the upload: nothing was stored, the upload can be sent again. */
  RECAP_CHECKER_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type RecapErrorCode = keyof typeof RECAP_ERROR_STATUS;

/** A refusal returned by the pure recap rules; a service throws it with `recapRefusalToError`. */
export interface RecapRefusal extends Refusal<RecapErrorCode> {
  /** Every error found; `errors` lists at most `maxErrors` of them. */
  errorCount: number;
}

export const recapError = errorFactory<RecapErrorCode>(RECAP_ERROR_STATUS);

export function recapRefusalToError(refusal: RecapRefusal): DomainError {
  // Line 0 is the form itself (a medicine or period field that contradicts the file): it names no line of the file.
  const errors = refusal.errors.map((e) => ('line' in e && e.line === 0 ? { field: e.field, reason: e.reason } : e));
  return recapError(refusal.code, refusal.params, errors, { errorCount: refusal.errorCount });
}

/**
 * The refusal of a checked recap, or null when it is accepted (SPEC §5: a malformed upload is
 * refused whole with the line numbers and reasons).
 */
export function recapRefusalOf(validation: RecapValidation | RecapJsonValidation): RecapRefusal | null {
  const { errorCount, errors, lines } = validation;
  if (errorCount === 0) return null;
  if (validation.tooLarge) {
    // The limit is the one figure the line's reason names ("has more than 5000 lines of patients").
    const reason = errors.find((e) => e.field === 'file' || e.field === 'patients')?.reason ?? '';
    return { code: 'RECAP_TOO_LARGE', params: { limit: Number(/\d+/.exec(reason)?.[0] ?? 0), unit: 'lines' }, errors, errorCount };
  }
  if (validation.empty) {
    return { code: 'RECAP_EMPTY', params: {}, errors, errorCount };
  }
  if (validation.periodMismatchOnly) {
    return {
      code: 'RECAP_PERIOD_MISMATCH',
      params: { errorCount, listed: errors.length },
      errors,
      errorCount,
    };
  }
  return {
    code: 'RECAP_INVALID',
    params: { errorCount, lines, listed: errors.length },
    errors,
    errorCount,
  };
}
