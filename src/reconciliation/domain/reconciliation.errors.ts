import { Refusal, errorFactory, refusalToErrorWith } from '../../common/domain/domain-error';

/** HTTP status of every reconciliation refusal (SPEC §5 Reconciliation, §11 reconciliations row). */
export const RECONCILIATION_ERROR_STATUS = {
  /** No run yet for this medicine and period. */
  RECONCILIATION_NOT_FOUND: 404,
  /** A run of the same medicine and period is under way. */
  RECONCILIATION_RUNNING: 409,
  /** The period has not ended yet: there is nothing to reconcile. */
  RECONCILIATION_PERIOD_NOT_ENDED: 422,
  RECONCILIATION_PERIOD_INVALID: 400,
  /** The treatments and orders module (TREATMENT_FACTS) is not installed in this app: nothing to compare the recaps with. */
  RECONCILIATION_FACTS_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ReconciliationErrorCode = keyof typeof RECONCILIATION_ERROR_STATUS;

export type ReconciliationRefusal = Refusal<ReconciliationErrorCode>;

export const reconciliationError = errorFactory<ReconciliationErrorCode>(RECONCILIATION_ERROR_STATUS);

export const reconciliationRefusalToError = refusalToErrorWith(reconciliationError);
