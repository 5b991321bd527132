import { ErrorParams, errorFactory } from '../../common/domain/domain-error';

/**
 * Codes of the compassionate-access scheme (SPEC §9, §11 access-requests and reports rows),
 * with their HTTP status: 409 for a state conflict, 422 for a rule refusal, 400 for a malformed body.
 */
export const compassionateAccessStatusOf = {
  CLINICAL_FORM_INVALID: 400,
  CRITERIA_INVALID: 400,
  NO_CRITERIA_IN_FORCE: 422,
  PRESCRIBER_SPECIALTY_NOT_ALLOWED: 422,
  ACCESS_REQUEST_NOT_COUNTERSIGNABLE: 409,
  ACCESS_REQUEST_NOT_IN_MEETING_REVIEW: 409,
  ACCESS_REQUEST_MEETING_ALREADY_DECIDED: 409,
  ACCESS_REQUEST_AWAITING_MEETING: 409,
  ACCESS_REQUEST_NOT_COUNTERSIGNED: 409,
  ACCESS_REQUEST_ALREADY_DECIDED: 409,
  ACCESS_REQUEST_NOT_ELIGIBLE: 422,
  ACCESS_DECISION_REASON_REQUIRED: 422,
  ACCESS_DEROGATION_NOT_NEEDED: 422,
  ACCESS_ACTION_BEFORE_SUBMISSION: 422,
  AUTHORISATION_NOT_RENEWABLE: 409,
  AUTHORISATION_EXPIRED: 422,
  FORM_DUE_INVALID: 422,
  FORM_ALREADY_RECEIVED: 409,
  FORM_AFTER_STOP: 409,
  FORM_DATE_BEFORE_AUTHORISATION: 422,
  STOP_REASON_REQUIRED: 422,
  REPORT_CUTOFF_BEFORE_START: 422,
  REPORT_PERIOD_INVALID: 422,
  ACCESS_REQUEST_NOT_FOUND: 404,
  MEDICINE_NOT_COMPASSIONATE: 422,
  MEDICINE_NOT_YET_AVAILABLE: 422,
  MEDICINE_REPLACED: 422,
  INDICATION_NOT_IN_SCHEME: 422,
  ACCESS_REQUEST_ALREADY_OPEN: 409,
  MEETING_MEMBER_OWN_ESTABLISHMENT: 422,
  CRITERIA_VERSION_EXISTS: 409,
  CRITERIA_EFFECTIVE_IN_PAST: 422,
  FORM_DATA_INVALID: 400,
  FORM_REQUEST_NOT_AUTHORISED: 409,
  FORM_REQUEST_SWITCHED: 409,
  FORM_DATE_IN_FUTURE: 422,
  FORM_INCOMPLETE: 400,
  ACCESS_SCHEME_NOT_FOUND: 404,
  REPLACEMENT_NOT_IN_FORCE: 422,
} as const satisfies Record<string, number>;

export type CompassionateAccessErrorCode = keyof typeof compassionateAccessStatusOf;

/** A refusal returned by the pure rules; the service turns it into a DomainError. */
export interface CompassionateAccessError {
  code: CompassionateAccessErrorCode;
  params: ErrorParams;
  errors?: { field: string; reason: string }[];
}

export function accessError(
  code: CompassionateAccessErrorCode,
  params: ErrorParams = {},
  errors?: { field: string; reason: string }[],
): CompassionateAccessError {
  return errors === undefined ? { code, params } : { code, params, errors };
}

/** Builds the DomainError a service throws for a returned refusal. */
export const compassionateAccessError = errorFactory(compassionateAccessStatusOf);
