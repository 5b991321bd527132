import { Refusal, errorFactory, refusalToErrorWith } from '../../common/domain/domain-error';

/** HTTP status of every order refusal (SPEC §11: 404 other establishment, 409 state conflict, 422 rule refusal). */
export const ORDER_ERROR_STATUS = {
  ORDER_NOT_FOUND: 404,
  ORDER_DUPLICATE: 409,
  ORDER_ALREADY_DECIDED: 409,
  ORDER_QUANTITY_INVALID: 422,
  ORDER_PERIOD_OUT_OF_WINDOW: 422,
  ORDER_JUSTIFICATION_REQUIRED: 422,
  ORDER_DUPLICATE_LINE: 422,
  ORDER_LINE_PATIENT_UNKNOWN: 422,
  REDUCE_ABOVE_ORDERED: 422,
  REDUCE_TO_ZERO: 422,
  DECISION_REASON_REQUIRED: 422,
  POLICY_NOT_IN_FORCE: 422,
  DOSING_SCHEDULE_INVALID: 422,
} as const satisfies Record<string, number>;

export type OrderErrorCode = keyof typeof ORDER_ERROR_STATUS;

/** A refusal returned by the pure order rules; a service throws it with `orderRefusalToError`. */
export type OrderRefusal = Refusal<OrderErrorCode>;

export const orderError = errorFactory<OrderErrorCode>(ORDER_ERROR_STATUS);

/** Turns a returned refusal into the DomainError that the global filter renders. */
export const orderRefusalToError = refusalToErrorWith(orderError);
