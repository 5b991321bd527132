import type { SqlParams } from '../database/sql-values';

/**
 * Whether a patient is on a medicine, asked by allocation inside its own transaction (provided by
 * the treatments module under ACTIVE_TREATMENTS, so allocation imports none of its entities).
 */
export const ACTIVE_TREATMENTS = Symbol('ACTIVE_TREATMENTS');

export interface ActiveTreatments {
  /**
   * Does the patient have an active treatment of the medicine (started without a request, before restrictions…)?
   * As a boolean SQL expression, for a statement that asks it with others (its parameters bound in `params`).
   */
  activeTreatmentCondition(params: SqlParams, medicine: string, patient: string): string;
}
