import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeEstablishment } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { AllocationHooks, GrantToStart } from '../common/contracts/allocation-hooks';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { periodOf } from '../common/domain/period';
import { PoliciesService } from '../medicines/policies.service';
import { AllocationCounters } from './allocation-counters.repository';
import { allocationRefusalToError, refusals } from './domain/allocation.errors';
import { grantTerm, isPastGrantTerm } from './domain/grant-expiry';
import { CapacityEventEntity } from './entities/capacity-event.entity';
import { InitiationRequestEntity } from './entities/initiation-request.entity';
import { decisionAudit } from './initiation-request.mapper';
import { requestNotFound } from './initiation-requests.service';
import { PeriodLifecycle } from './period-lifecycle.service';
import { WaitingQueue } from './waiting-queue.service';

/** What the treatments module asks of allocation (ALLOCATION_HOOKS), inside the caller's transaction. */
@Injectable()
export class AllocationHooksService implements AllocationHooks {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly counters: AllocationCounters,
    private readonly lifecycle: PeriodLifecycle,
    private readonly queue: WaitingQueue,
  ) {}

  async startGrant(manager: EntityManager, actor: Actor, requestId: string, treatmentId: string, startDate: string): Promise<GrantToStart> {
    const repo = manager.getRepository(InitiationRequestEntity);
    const found = await repo.findOne({ where: { id: requestId } });
    if (!found || !canSeeEstablishment(actor, found.establishment)) throw requestNotFound(requestId);
    await this.unitOfWork.lock(manager, `request:${requestId}`);
    const request = (await repo.findOne({ where: { id: requestId } }))!;
    if (request.status !== 'granted') throw allocationRefusalToError(refusals.requestNotGranted(requestId, request.status));
    const policy = (await this.policies.versions(request.medicine, manager)).find((p) => p.version === request.policyVersion);
    const term = grantTerm(request.grantedAt, request.submittedAt, policy?.startWithinDays);
    if (isPastGrantTerm(term, startDate)) throw allocationRefusalToError(refusals.grantExpired(requestId, term.grantedOn, term.startWithinDays, startDate));
    const before = decisionAudit(request);
    await repo.update({ id: requestId }, { status: 'started', treatmentId, startDate });
    request.status = 'started';
    await this.audit.record(manager, actor, { action: 'initiation-request.started', entity: 'initiation-request', entityId: requestId, before, after: { ...decisionAudit(request), treatment: treatmentId, startDate }, establishment: request.establishment });
    return { requestId, medicine: request.medicine, indication: request.indication, patient: request.patient, establishment: request.establishment, policyVersion: request.policyVersion };
  }

  async requiresRequest(manager: EntityManager, medicine: string, indication: string, date: string): Promise<boolean> {
    const policy = await this.policies.inForce(medicine, date, manager);
    if (!policy) return false;
    if (policy.registrationRequired) return true;
    if (policy.mode === 'unrestricted') return false;
    const kind = policy.indications.find((i) => i.code === indication)?.kind;
    return kind !== 'open';
  }

  /**
   * A declared stop: the request it started is marked, and in `freed-stock` mode it frees one
   * initiation in the current period (once per treatment) and the waiting queue is served (SPEC §4 rule 2, §7).
   */
  async treatmentStopped(manager: EntityManager, actor: Actor, event: { treatmentId: string; medicine: string; establishment: string; date: string }): Promise<void> {
    await manager.getRepository(InitiationRequestEntity).update({ treatmentId: event.treatmentId }, { treatmentStoppedOn: event.date });
    const today = this.clock.today();
    const policy = await this.policies.inForce(event.medicine, today, manager);
    if (!policy || policy.mode !== 'freed-stock') return;
    const events = manager.getRepository(CapacityEventEntity);
    if (await events.exists({ where: { kind: 'stop', source: event.treatmentId } })) return;
    const period = this.clock.period();
    const stopPeriod = periodOf(new Date(`${event.date}T12:00:00Z`));
    await events.insert(events.create({ id: newId(), medicine: event.medicine, period, kind: 'stop', initiations: 1, source: event.treatmentId, establishment: event.establishment, declaredBy: actor.username, at: this.clock.now().toISOString() }));
    await this.counters.addCapacity(manager, event.medicine, period, 'stop', 1);
    await this.audit.record(manager, actor, { action: 'capacity.freed-by-stop', entity: 'allocation', entityId: `${event.medicine}/${period}`, after: { treatment: event.treatmentId, stopDate: event.date, stopPeriod, period, initiations: 1 }, establishment: event.establishment });
    const row = await this.lifecycle.prepare(manager, actor, event.medicine, period, policy);
    await this.queue.serveQueue(manager, actor, row, policy);
  }
}
