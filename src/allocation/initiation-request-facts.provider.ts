import { Injectable, type Provider } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { INITIATION_REQUEST_FACTS, type InitiationRequestFact, type InitiationRequestFacts } from '../common/contracts/initiation-request-facts';
import { InitiationRequestEntity, type RequestStatus } from './entities/initiation-request.entity';

function toFact(r: InitiationRequestEntity): InitiationRequestFact {
  return { id: r.id, medicine: r.medicine, patient: r.patient, establishment: r.establishment, requestedBy: r.requestedBy, policyVersion: r.policyVersion, submittedAt: r.submittedAt, deadline: r.deadline, grantedAt: r.grantedAt };
}

/** INITIATION_REQUEST_FACTS: the requests the notifications' reminders recall (urgent deadlines, grants about to lapse). */
@Injectable()
export class InitiationRequestFactsProvider implements InitiationRequestFacts {
  async pendingReview(manager: EntityManager): Promise<InitiationRequestFact[]> {
    return this.withStatus(manager, 'pending_review', { submittedAt: 'ASC', id: 'ASC' });
  }

  async granted(manager: EntityManager): Promise<InitiationRequestFact[]> {
    return this.withStatus(manager, 'granted', { grantedAt: 'ASC', id: 'ASC' });
  }

  private async withStatus(manager: EntityManager, status: RequestStatus, order: { submittedAt?: 'ASC'; grantedAt?: 'ASC'; id: 'ASC' }): Promise<InitiationRequestFact[]> {
    return (await manager.getRepository(InitiationRequestEntity).find({ where: { status }, order })).map(toFact);
  }
}

/** Registered by the allocation module (global, so the notifications module injects the token). */
export const INITIATION_REQUEST_FACTS_PROVIDERS: Provider[] = [InitiationRequestFactsProvider, { provide: INITIATION_REQUEST_FACTS, useExisting: InitiationRequestFactsProvider }];
