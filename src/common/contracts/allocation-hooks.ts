import { EntityManager } from 'typeorm';
import { Actor } from '../domain/roles';

/**
 * What the treatments module asks of the allocation module, without importing it
 * (provided by the allocation module under ALLOCATION_HOOKS). All run inside the caller's transaction.
 */
export const ALLOCATION_HOOKS = Symbol('ALLOCATION_HOOKS');

export interface GrantToStart {
  requestId: string;
  medicine: string;
  indication: string;
  patient: string;
  establishment: string;
  policyVersion: number;
}

export interface AllocationHooks {
  /** Checks that a granted request may start (caller's establishment, not expired) and marks it `started`; throws a DomainError otherwise. */
  startGrant(manager: EntityManager, actor: Actor, requestId: string, treatmentId: string, startDate: string): Promise<GrantToStart>;
  /** Whether starting this medicine for this indication on this date needs a granted request (false in `unrestricted` mode or for `open` indications). */
  requiresRequest(manager: EntityManager, medicine: string, indication: string, date: string): Promise<boolean>;
  /** A declared stop of an active treatment: in `freed-stock` mode it frees one initiation and serves the waiting queue. */
  treatmentStopped(manager: EntityManager, actor: Actor, event: { treatmentId: string; medicine: string; establishment: string; date: string }): Promise<void>;
}
