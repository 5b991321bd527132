import { Refusal, errorFactory, refusalToErrorWith } from '../../common/domain/domain-error';

/** HTTP status of every treatment refusal (SPEC §11: 409 state conflict, 422 rule refusal). */
export const TREATMENT_ERROR_STATUS = {
  TREATMENT_NOT_FOUND: 404,
  TREATMENT_NOT_ACTIVE: 409,
  TREATMENT_ALREADY_ACTIVE: 409,
  TREATMENT_DATE_INVALID: 422,
  TREATMENT_DATE_IN_FUTURE: 422,
  TREATMENT_WEIGHT_INVALID: 422,
  STOP_BEFORE_START: 422,
  STOP_BEFORE_TRANSFER: 422,
  STOP_REASON_INVALID: 422,
  TRANSFER_BEFORE_START: 422,
  TRANSFER_TO_SAME_ESTABLISHMENT: 422,
  TRANSFER_ESTABLISHMENT_UNKNOWN: 422,
  DOSING_SCHEDULE_INVALID: 422,
  REQUEST_REQUIRED: 422,
  REQUEST_NOT_FOUND: 404,
  INDICATION_NOT_ENABLED: 422,
  INDICATION_UNKNOWN: 422,
  POLICY_NOT_IN_FORCE: 422,
} as const satisfies Record<string, number>;

export type TreatmentErrorCode = keyof typeof TREATMENT_ERROR_STATUS;

/** A refusal returned by the pure treatment rules; a service throws it with `treatmentError`. */
export type TreatmentRefusal = Refusal<TreatmentErrorCode>;

export const treatmentError = errorFactory<TreatmentErrorCode>(TREATMENT_ERROR_STATUS);

/** Turns a returned refusal into the DomainError that the global filter renders. */
export const treatmentRefusalToError = refusalToErrorWith(treatmentError);
