import type { EntityManager } from 'typeorm';

/**
 * What the notifications' reminders read of initiation requests, without importing the allocation
 * module's table (provided by the allocation module under INITIATION_REQUEST_FACTS). Read in the
 * caller's transaction.
 */
export const INITIATION_REQUEST_FACTS = Symbol('INITIATION_REQUEST_FACTS');

export interface InitiationRequestFact {
  id: string;
  medicine: string;
  patient: string;
  establishment: string;
  /** The user who submitted it. */
  requestedBy: string;
  policyVersion: number;
  submittedAt: string;
  /** An urgent request's review deadline. */
  deadline: string | null;
  grantedAt: string | null;
}

export interface InitiationRequestFacts {
  /** Requests awaiting the committee (`pending_review`), oldest first (submittedAt, id). */
  pendingReview(manager: EntityManager): Promise<InitiationRequestFact[]>;
  /** Granted requests not started yet, by grant time (grantedAt, id). */
  granted(manager: EntityManager): Promise<InitiationRequestFact[]>;
}
