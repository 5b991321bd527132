import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, In, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { TREATMENT_FACTS, TreatmentFacts } from '../common/contracts/treatment-facts';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { addDays, dateOf, periodOf } from '../common/domain/period';
import { Page, pageWindow, toPage } from '../common/pagination/page';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { PatientsService } from '../patients/patients.service';
import { AllocationLedger } from './allocation-ledger.service';
import { allocationError, allocationRefusalToError, reasons, refusals } from './domain/allocation.errors';
import { DEFAULT_COMMITTEE, Decision, IndicationKind, decideNewRequest, orderCentreQueue } from './domain/decide';
import { CreateInitiationRequestDto, InitiationRequestResponse, ListInitiationRequestsDto } from './dto/initiation-request.dto';
import { InitiationRequestEntity, OPEN_STATUSES } from './entities/initiation-request.entity';
import { decisionAudit, toRequestResponse, votesOf } from './initiation-request.mapper';

/** Whether the actor may see a request: its own establishment, a committee member any other, the agency all (SPEC §1). */
export function canSeeRequest(actor: Actor, request: InitiationRequestEntity): boolean {
  switch (actor.role) {
    case 'pharmacist':
    case 'prescriber':
      return actor.establishment === request.establishment;
    case 'committee':
      return actor.establishment !== request.establishment;
    case 'agency':
      return true;
    case 'lab':
      return false;
  }
}

export function requestNotFound(id: string) {
  return allocationError('REQUEST_NOT_FOUND', `No initiation request ${id}.`);
}

@Injectable()
export class InitiationRequestsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly patients: PatientsService,
    private readonly ledger: AllocationLedger,
    @Optional() @Inject(TREATMENT_FACTS) private readonly treatments?: TreatmentFacts,
  ) {}

  /** Submits a request and decides it at once where no committee is needed (SPEC §5). */
  async submit(actor: Actor, dto: CreateInitiationRequestDto): Promise<InitiationRequestResponse> {
    await this.medicines.require(dto.medicine);
    const now = this.clock.now();
    const activeElsewhere = await this.hasActiveTreatment(dto.medicine, dto.patient, periodOf(now));
    return this.unitOfWork.run(async (manager) => toRequestResponse(await this.submitIn(manager, actor, dto, now, activeElsewhere)));
  }

  /** An active treatment the treatments module knows of (e.g. started without a request, before restrictions). */
  private async hasActiveTreatment(medicine: string, patient: string, period: string): Promise<boolean> {
    if (!this.treatments) return false;
    const facts = await this.treatments.treatmentsInPeriod(medicine, period);
    return facts.some((t) => t.patient === patient && t.status === 'active');
  }

  async submitIn(manager: EntityManager, actor: Actor, dto: CreateInitiationRequestDto, now: Date, activeElsewhere = false): Promise<InitiationRequestEntity> {
    const finess = actor.establishment;
    if (!finess) throw allocationError('ESTABLISHMENT_REQUIRED', 'Only a user of an establishment can submit an initiation request.');
    await this.patients.require(actor, dto.patient, manager);
    const today = dateOf(now);
    const period = periodOf(now);
    const policy = await this.policies.inForce(dto.medicine, today, manager);
    if (!policy) throw allocationRefusalToError(refusals.noPolicyInForce(dto.medicine, today));
    const indication = policy.indications.find((i) => i.code === dto.indication);
    if (!indication) throw allocationRefusalToError(refusals.indicationNotEnabled(dto.indication, dto.medicine, policy.version));
    await this.unitOfWork.lock(manager, `request:${dto.medicine}:${dto.patient}`);
    const repo = manager.getRepository(InitiationRequestEntity);
    const open = await repo.findOne({ where: { patient: dto.patient, medicine: dto.medicine, status: In(OPEN_STATUSES) } });
    if (open) throw allocationRefusalToError(refusals.patientAlreadyRequesting(dto.patient, dto.medicine, open.id));
    const started = await repo.exists({ where: { patient: dto.patient, medicine: dto.medicine, status: 'started', treatmentStoppedOn: IsNull() } });
    if (started || activeElsewhere) throw allocationRefusalToError(refusals.patientAlreadyTreated(dto.patient, dto.medicine));

    const kind: IndicationKind = indication.kind;
    const committee = { votesRequired: policy.votesRequired ?? DEFAULT_COMMITTEE.votesRequired, deadlineHours: policy.deadlineHours ?? DEFAULT_COMMITTEE.deadlineHours };
    let decision: Decision;
    if (kind === 'quota' && policy.mode !== 'unrestricted') {
      const row = await this.ledger.prepare(manager, actor, dto.medicine, period, policy);
      decision = await this.ledger.decideQuota(manager, row, finess);
    } else {
      // Urgent goes to the committee; open and unrestricted are granted at once, counting against nothing.
      const state = { period, policyVersion: policy.version, mode: policy.mode, nationalCapacity: null, quotaPool: policy.quotaPool, urgentGranted: 0, quotaGranted: 0 };
      decision = decideNewRequest({ state, kind, indication: dto.indication, centre: { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 }, committee, submittedAt: now });
    }
    const at = now.toISOString();
    const request = repo.create({
      id: newId(),
      medicine: dto.medicine,
      indication: dto.indication,
      kind,
      patient: dto.patient,
      establishment: finess,
      requestedBy: actor.userId,
      requestedByName: actor.username,
      justification: dto.justification,
      weightKg: dto.weightKg,
      period,
      status: decision.status,
      policyVersion: policy.version,
      reasonCode: decision.reason.code,
      reasonMessage: decision.reason.message,
      reasonParams: decision.reason.params,
      rank: null,
      submittedAt: at,
      deadline: decision.status === 'pending_review' ? decision.deadline.toISOString() : null,
      approvedAt: null,
      decidedAt: decision.status === 'pending_review' ? null : at,
      grantedAt: decision.status === 'granted' ? at : null,
      slotKind: decision.status === 'granted' && decision.consumes.kind !== 'none' ? decision.consumes.kind : null,
      slotPeriod: decision.status === 'granted' && decision.consumes.kind !== 'none' ? period : null,
      closedAt: null,
      treatmentId: null,
      startDate: null,
      treatmentStoppedOn: null,
    });
    if (decision.status === 'waitlisted' && kind === 'quota') {
      await this.unitOfWork.lock(manager, `rank:${finess}:${dto.medicine}`);
      request.rank = (await this.lastRank(manager, finess, dto.medicine)) + 1;
    }
    await repo.insert(request);
    await this.audit.record(manager, actor, { action: 'initiation-request.submitted', entity: 'initiation-request', entityId: request.id, before: null, after: decisionAudit(request), establishment: finess });
    return request;
  }

  private async lastRank(manager: EntityManager, finess: string, medicine: string): Promise<number> {
    const last = await manager.getRepository(InitiationRequestEntity).find({ where: { establishment: finess, medicine, kind: 'quota', status: 'waitlisted', rank: Not(IsNull()) }, order: { rank: 'DESC' }, take: 1 });
    return last[0]?.rank ?? 0;
  }

  async list(actor: Actor, query: ListInitiationRequestsDto): Promise<Page<InitiationRequestResponse>> {
    const window = pageWindow(query, 50);
    const where: FindOptionsWhere<InitiationRequestEntity> = {};
    if (query.medicine) where.medicine = query.medicine;
    if (query.period) where.period = query.period;
    if (query.status) where.status = query.status;
    if (isEstablishmentBound(actor)) where.establishment = actor.establishment ?? '';
    else if (actor.role === 'committee' && actor.establishment) where.establishment = Not(actor.establishment);
    const manager = this.unitOfWork.dataSource.manager;
    const rows = await manager.getRepository(InitiationRequestEntity).find({ where, order: { submittedAt: 'DESC', id: 'ASC' }, skip: window.skip, take: window.take });
    const votes = await votesOf(manager, rows.map((r) => r.id));
    return toPage(rows.map((r) => toRequestResponse(r, votes.get(r.id))), window);
  }

  async get(actor: Actor, id: string): Promise<InitiationRequestResponse> {
    const manager = this.unitOfWork.dataSource.manager;
    const request = await manager.getRepository(InitiationRequestEntity).findOne({ where: { id } });
    if (!request || !canSeeRequest(actor, request)) throw requestNotFound(id);
    return toRequestResponse(request, (await votesOf(manager, [id])).get(id));
  }

  /** The patient's requests the actor may see (for `GET /patients/{pseudonym}`). */
  async ofPatient(pseudonym: string, actor: Actor): Promise<InitiationRequestResponse[]> {
    const rows = await this.unitOfWork.dataSource.manager.getRepository(InitiationRequestEntity).find({ where: { patient: pseudonym }, order: { submittedAt: 'ASC', id: 'ASC' } });
    return rows.filter((r) => canSeeRequest(actor, r)).map((r) => toRequestResponse(r));
  }

  /** The centre orders its own waiting quota requests (SPEC §4 rule 5): the request moves to `rank`, the others close up. */
  async rank(actor: Actor, id: string, rank: number): Promise<InitiationRequestResponse> {
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(InitiationRequestEntity);
      const request = await repo.findOne({ where: { id } });
      if (!request || !canSeeRequest(actor, request)) throw requestNotFound(id);
      await this.unitOfWork.lock(manager, `rank:${request.establishment}:${request.medicine}`);
      const fresh = (await repo.findOne({ where: { id } }))!;
      if (fresh.kind !== 'quota' || fresh.status !== 'waitlisted') throw allocationRefusalToError(refusals.rankNotChangeable(id, fresh.kind === 'quota' ? fresh.status : `${fresh.status} (${fresh.kind})`));
      const queue = orderCentreQueue(
        (await repo.find({ where: { establishment: fresh.establishment, medicine: fresh.medicine, kind: 'quota', status: 'waitlisted' } })).map((r) => ({ ...r, submittedAt: new Date(r.submittedAt), row: r })),
      ).map((q) => q.row);
      const others = queue.filter((r) => r.id !== id);
      const position = Math.min(rank, others.length + 1);
      others.splice(position - 1, 0, fresh);
      const before = fresh.rank;
      for (const [index, row] of others.entries()) {
        if (row.rank !== index + 1) await repo.update({ id: row.id }, { rank: index + 1 });
        row.rank = index + 1;
      }
      await this.audit.record(manager, actor, { action: 'initiation-request.ranked', entity: 'initiation-request', entityId: id, before: { rank: before }, after: { rank: fresh.rank, asked: rank }, establishment: fresh.establishment });
      return toRequestResponse(fresh, (await votesOf(manager, [id])).get(id));
    });
  }

  /** Withdraws a pending, waitlisted or granted (not started) request; a granted slot goes back and the queue is served. */
  async withdraw(actor: Actor, id: string): Promise<InitiationRequestResponse> {
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(InitiationRequestEntity);
      const found = await repo.findOne({ where: { id } });
      if (!found || !canSeeRequest(actor, found)) throw requestNotFound(id);
      await this.unitOfWork.lock(manager, `request:${id}`);
      const request = (await repo.findOne({ where: { id } }))!;
      if (!OPEN_STATUSES.includes(request.status)) throw allocationRefusalToError(refusals.requestNotWithdrawable(id, request.status));
      const before = decisionAudit(request);
      const wasGranted = request.status === 'granted';
      if (wasGranted) await this.ledger.release(manager, request);
      const reason = reasons.withdrawn(this.clock.today());
      await repo.update({ id }, { status: 'withdrawn', reasonCode: reason.code, reasonMessage: reason.message, reasonParams: reason.params, closedAt: this.clock.now().toISOString(), rank: null });
      Object.assign(request, { status: 'withdrawn', reasonCode: reason.code, reasonMessage: reason.message, reasonParams: reason.params, rank: null });
      await this.audit.record(manager, actor, { action: 'initiation-request.withdrawn', entity: 'initiation-request', entityId: id, before, after: decisionAudit(request), establishment: request.establishment });
      if (wasGranted && request.slotPeriod === this.clock.period()) await this.serveCurrent(manager, actor, request.medicine);
      return toRequestResponse(request, (await votesOf(manager, [id])).get(id));
    });
  }

  /** Serves the medicine's waiting queue in the current period, under the policy in force today. */
  async serveCurrent(manager: EntityManager, actor: Actor, medicine: string): Promise<InitiationRequestEntity[]> {
    const policy = await this.policies.inForce(medicine, this.clock.today(), manager);
    if (!policy) return [];
    const row = await this.ledger.prepare(manager, actor, medicine, this.clock.period(), policy);
    return this.ledger.serveQueue(manager, actor, row, policy);
  }

  /** Grants not started within the policy's `startWithinDays` expire, audited, their slot released (SPEC §5, daily job). */
  async expireGrants(actor: Actor): Promise<{ expired: string[] }> {
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(InitiationRequestEntity);
      const today = this.clock.today();
      const granted = await repo.find({ where: { status: 'granted' }, order: { grantedAt: 'ASC', id: 'ASC' } });
      const versions = new Map<string, Map<number, number>>();
      const expired: string[] = [];
      const medicines = new Set<string>();
      for (const request of granted) {
        if (!versions.has(request.medicine)) versions.set(request.medicine, new Map((await this.policies.versions(request.medicine, manager)).map((p) => [p.version, p.startWithinDays])));
        const days = versions.get(request.medicine)!.get(request.policyVersion) ?? 30;
        const grantedOn = dateOf(new Date(request.grantedAt ?? request.submittedAt));
        if (today <= addDays(grantedOn, days)) continue;
        const before = decisionAudit(request);
        await this.ledger.release(manager, request);
        const reason = reasons.grantExpired(grantedOn, days);
        await repo.update({ id: request.id }, { status: 'expired', reasonCode: reason.code, reasonMessage: reason.message, reasonParams: reason.params, closedAt: this.clock.now().toISOString() });
        Object.assign(request, { status: 'expired', reasonCode: reason.code, reasonMessage: reason.message, reasonParams: reason.params });
        await this.audit.record(manager, actor, { action: 'initiation-request.expired', entity: 'initiation-request', entityId: request.id, before, after: decisionAudit(request), establishment: request.establishment });
        expired.push(request.id);
        if (request.slotPeriod === this.clock.period()) medicines.add(request.medicine);
      }
      for (const medicine of medicines) await this.serveCurrent(manager, actor, medicine);
      return { expired };
    });
  }
}
