import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, Not } from 'typeorm';
import { AuditChange, AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { requestEvent } from '../common/domain/notification-events';
import { isUniqueViolation } from '../common/database/database-errors';
import { newId } from '../common/database/ids';
import { queryPrepared } from '../common/database/prepared-query';
import { insertEntity, insertEntitySql } from '../common/database/raw-entity';
import { SqlParams, placeholders } from '../common/database/sql-values';
import { UnitOfWork } from '../common/database/unit-of-work';
import { DomainError } from '../common/domain/domain-error';
import { dateOf, periodOf } from '../common/domain/period';
import { Page, pageWindow, toPage } from '../common/pagination/page';
import { MedicinesService } from '../medicines/medicines.service';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
import { PoliciesService } from '../medicines/policies.service';
import { PatientsService } from '../patients/patients.service';
import { AllocationCounters } from './allocation-counters.repository';
import { allocationError, allocationRefusalToError, reasons, refusals } from './domain/allocation.errors';
import { DEFAULT_COMMITTEE, Decision, IndicationKind, decideNewRequest, decideQuotaRequest, orderCentreQueue } from './domain/decide';
import { grantTerm, isPastGrantTerm } from './domain/grant-expiry';
import { CreateInitiationRequestDto, InitiationRequestResponse, ListInitiationRequestsDto } from './dto/initiation-request.dto';
import { DecisionFacts, DecisionFactsReader } from './decision-facts';
import { CURRENT_REQUEST_INDEX, InitiationRequestEntity, OPEN_STATUSES } from './entities/initiation-request.entity';
import { decisionAudit, toRequestResponse, votesOf } from './initiation-request.mapper';
import { PeriodLifecycle, isPreparedFor } from './period-lifecycle.service';
import { SlotDecisions } from './slot-decisions.service';
import { WaitingQueue } from './waiting-queue.service';

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

/** The audit event of a request submitted and decided. */
function submittedEvent(request: InitiationRequestEntity): AuditChange & { after: object } {
  return { action: 'initiation-request.submitted', entity: 'initiation-request', entityId: request.id, before: null, after: decisionAudit(request), establishment: request.establishment };
}

/** The upsert that takes a centre's next queue rank from its counter row (the first of a queue is 1), answering it. */
const NEXT_RANK_SQL = (establishment: string, medicine: string): string =>
  `INSERT INTO waitlist_ranks (establishment, medicine, last_rank) VALUES (${establishment}, ${medicine}, 1) ON CONFLICT (establishment, medicine) DO UPDATE SET last_rank = waitlist_ranks.last_rank + 1 RETURNING last_rank`;

/** A request decided against the period's counters (SPEC §4): a quota indication, under a policy that restricts. */
function decidedByQuota(kind: IndicationKind, policy: PolicyEntity): boolean {
  return kind === 'quota' && policy.mode !== 'unrestricted';
}

/** The insert refused by the unique index of a patient's current request (CURRENT_REQUEST_INDEX). */
function isCurrentRequestConflict(error: unknown): boolean {
  if (!isUniqueViolation(error)) return false;
  const e = error as { constraint?: string; driverError?: { constraint?: string }; message?: string };
  const constraint = e.driverError?.constraint ?? e.constraint;
  return constraint === CURRENT_REQUEST_INDEX || (constraint === undefined && /initiation_requests\.patient, initiation_requests\.medicine/.test(e.message ?? ''));
}

export function requestNotFound(id: string): DomainError {
  return allocationError('REQUEST_NOT_FOUND', { requestId: id });
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
    private readonly counters: AllocationCounters,
    private readonly lifecycle: PeriodLifecycle,
    private readonly decisions: SlotDecisions,
    private readonly queue: WaitingQueue,
    private readonly facts: DecisionFactsReader,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  /**
   * Submits a request and decides it at once where no committee is needed (SPEC §5). On PostgreSQL a request that only
   * waits (the counters read say no slot) is decided outside a transaction block: one read, then one statement writing
   * its rank, the request and its audit event, which commits as it runs (UnitOfWork.runAlone) — the centre's rank row
   * is locked for that statement only. Every other decision, and every decision under an Idempotency-Key, runs in a
   * transaction, from the facts already read (a read-committed transaction would read them afresh, as here).
   */
  async submit(actor: Actor, dto: CreateInitiationRequestDto): Promise<InitiationRequestResponse> {
    const now = this.clock.now();
    const inTransaction = (facts?: DecisionFacts): Promise<InitiationRequestResponse> =>
      this.unitOfWork.run(async (manager) => toRequestResponse(await this.submitIn(manager, actor, dto, now, facts)));
    // SQLite has no use for it (runAlone would answer null): its writes are grouped by run.
    const attempt = !this.unitOfWork.isPostgres
      ? () => inTransaction()
      : async (): Promise<InitiationRequestResponse> => {
          const alone = await this.unitOfWork.runAlone((manager) => this.submitIfWaiting(manager, actor, dto, now));
          return alone && 'request' in alone ? toRequestResponse(alone.request) : inTransaction(alone?.facts);
        };
    try {
      return await attempt();
    } catch (error: unknown) {
      // Another request of the patient committed between this one's read and its insert (PostgreSQL): decided again,
      // this one now reads it and is refused as the patient's second request, naming the first.
      if (isCurrentRequestConflict(error)) return attempt();
      throw error;
    }
  }

  /**
   * Outside a transaction (UnitOfWork.runAlone): reads the decision's facts and, when the request only waits for a slot,
   * writes it in one statement and answers it; otherwise writes nothing and answers the facts for the transaction. The
   * checks refuse as `submitIn` does.
   */
  private async submitIfWaiting(manager: EntityManager, actor: Actor, dto: CreateInitiationRequestDto, now: Date): Promise<{ request: InitiationRequestEntity } | { facts?: DecisionFacts }> {
    const finess = actor.establishment;
    if (!finess) return {};
    const today = dateOf(now);
    const period = periodOf(now);
    const facts = await this.facts.read(manager, actor, { medicine: dto.medicine, patient: dto.patient, today, period, finess });
    const { policy, indication } = await this.checkRequest(manager, dto, today, facts);
    const { counters } = facts;
    // A period not opened yet, or opened under another policy version, is prepared first (writes: in the transaction).
    if (!decidedByQuota(indication.kind, policy) || !isPreparedFor(counters, policy)) return { facts };
    const decision = decideQuotaRequest(counters.state, counters.centre);
    if (decision.status !== 'waitlisted') return { facts };
    const request = this.newRequest(actor, dto, finess, now, policy, 'quota', decision);
    await this.insertRanked(manager, actor, request);
    return { request };
  }

  /**
   * The refusals of SPEC §5 before any decision, in their order: the medicine, the patient, the policy in force, the
   * indication, the patient's open request, an active treatment.
   */
  private async checkRequest(manager: EntityManager, dto: CreateInitiationRequestDto, today: string, facts: DecisionFacts): Promise<{ policy: PolicyEntity; indication: PolicyEntity['indications'][number] }> {
    const { patient, medicine } = dto;
    const { policy } = facts;
    // A policy in force says the medicine exists; only without one is the medicine itself looked for (its 404 first).
    if (!policy) await this.medicines.require(medicine, manager);
    this.patients.checkVisible(facts.visible);
    if (!policy) throw allocationRefusalToError(refusals.noPolicyInForce(medicine, today));
    const indication = policy.indications.find((i) => i.code === dto.indication);
    if (!indication) throw allocationRefusalToError(refusals.indicationNotEnabled(dto.indication, medicine, policy.version));
    // Two requests of one patient racing past this check: the unique index of current requests refuses the second (see `submit`).
    if (facts.openRequestId) throw allocationRefusalToError(refusals.patientAlreadyRequesting(patient, medicine, facts.openRequestId));
    if (facts.treated) throw allocationRefusalToError(refusals.patientAlreadyTreated(patient, medicine));
    return { policy, indication };
  }

  /**
   * Submits and decides a request in the caller's transaction. Past the checks of the actor, the
   * patient and the policy, a quota decision reads by key (the patient's open or started requests,
   * an active treatment the treatments module knows of, the counters once), takes the slot by
   * conditional update, then writes the request and its audit event; a waitlisted request takes
   * the next rank of its centre's queue from the queue's counter row. `known`: the facts, when
   * already read (by `submitIfWaiting`, just before this transaction).
   */
  async submitIn(manager: EntityManager, actor: Actor, dto: CreateInitiationRequestDto, now: Date, known?: DecisionFacts): Promise<InitiationRequestEntity> {
    const today = dateOf(now);
    const period = periodOf(now);
    const { medicine } = dto;
    const finess = actor.establishment;
    if (!finess) {
      // The medicine's 404 comes first, as below.
      if (!(await this.policies.inForce(medicine, today, manager))) await this.medicines.require(medicine, manager);
      throw allocationError('ESTABLISHMENT_REQUIRED');
    }
    const facts = known ?? (await this.facts.read(manager, actor, { medicine, patient: dto.patient, today, period, finess }));
    const { policy, indication } = await this.checkRequest(manager, dto, today, facts);

    const kind: IndicationKind = indication.kind;
    const committee = { votesRequired: policy.votesRequired ?? DEFAULT_COMMITTEE.votesRequired, deadlineHours: policy.deadlineHours ?? DEFAULT_COMMITTEE.deadlineHours };
    let decision: Decision;
    if (decidedByQuota(kind, policy)) {
      const counters = await this.lifecycle.prepareForDecision(manager, actor, medicine, period, policy, finess, facts.counters);
      decision = await this.decisions.decideQuota(manager, dto.medicine, finess, counters);
    } else {
      // Urgent goes to the committee; open and unrestricted are granted at once, counting against nothing.
      const state = { period, policyVersion: policy.version, mode: policy.mode, nationalCapacity: null, quotaPool: policy.quotaPool, urgentGranted: 0, quotaGranted: 0 };
      decision = decideNewRequest({ state, kind, indication: dto.indication, centre: { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 }, committee, submittedAt: now });
    }
    const request = this.newRequest(actor, dto, finess, now, policy, kind, decision);
    if (decision.status === 'waitlisted' && kind === 'quota') await this.insertRanked(manager, actor, request);
    else {
      await insertEntity(manager, InitiationRequestEntity, request);
      await this.audit.record(manager, actor, submittedEvent(request));
    }
    if (request.status === 'pending_review') await this.notifier?.notify(manager, requestEvent('URGENT_REQUEST_SUBMITTED', request));
    return request;
  }

  /** The request as decided, not stored yet (its rank, when it waits for a quota slot, comes with its insert). */
  private newRequest(actor: Actor, dto: CreateInitiationRequestDto, finess: string, now: Date, policy: PolicyEntity, kind: IndicationKind, decision: Decision): InitiationRequestEntity {
    const at = now.toISOString();
    const period = periodOf(now);
    return this.unitOfWork.dataSource.getRepository(InitiationRequestEntity).create({
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
  }

  /**
   * Inserts a waitlisted quota request with the next rank of its centre's queue, and its audit event. On PostgreSQL in
   * one statement (the counter's upsert, the request's insert reading it, the event's insert reading the request's
   * rank): the centre's counter row is locked by the transaction's last statement before its COMMIT — or, outside a
   * transaction (`submitIfWaiting`), by the statement alone — so the centre's decisions wait for each other no longer.
   */
  private async insertRanked(manager: EntityManager, actor: Actor, request: InitiationRequestEntity): Promise<void> {
    if (!this.unitOfWork.isPostgres) {
      request.rank = await this.nextRank(manager, request.establishment, request.medicine);
      await insertEntity(manager, InitiationRequestEntity, request);
      await this.audit.record(manager, actor, submittedEvent(request));
      return;
    }
    const params = new SqlParams(manager);
    const rank = NEXT_RANK_SQL(params.bind(request.establishment), params.bind(request.medicine));
    const insert = insertEntitySql(manager, InitiationRequestEntity, request, params, { column: 'rank', expression: '(SELECT last_rank FROM next_rank)' });
    const event = this.audit.pendingEventSql(manager, params, actor, submittedEvent(request), { key: 'rank', sql: '(SELECT rank FROM request)' });
    const rows = await queryPrepared<{ rank: number | string }[]>(
      manager,
      `WITH next_rank AS (${rank}), request AS (${insert} RETURNING rank), event AS (${event}) SELECT rank FROM request`,
      params.values,
    );
    request.rank = Number(rows[0]!.rank);
  }

  /**
   * The next rank of the centre's waiting quota requests, from its counter row (one upsert; the first of a queue is 1):
   * ranks follow the order requests came in and are not given twice. On PostgreSQL the row stays locked until the
   * COMMIT, so the centre's waitlisted decisions take their rank in turn, the rest of each decision in parallel.
   */
  private async nextRank(manager: EntityManager, finess: string, medicine: string): Promise<number> {
    const [a, b] = placeholders(manager, 2);
    // An INSERT's RETURNING rows, on both drivers (only UPDATE and DELETE answer `[rows, count]` on PostgreSQL).
    const rows: { last_rank: number | string }[] = await queryPrepared(manager, NEXT_RANK_SQL(a!, b!), [finess, medicine]);
    return Number(rows[0]!.last_rank);
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
      // Rank changes of a queue take turns; a request joining meanwhile takes a rank past the counter, after them all.
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
      if (wasGranted) await this.counters.release(manager, request);
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
    const row = await this.lifecycle.prepare(manager, actor, medicine, this.clock.period(), policy);
    return this.queue.serveQueue(manager, actor, row, policy);
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
        const term = grantTerm(request.grantedAt, request.submittedAt, versions.get(request.medicine)!.get(request.policyVersion));
        if (!isPastGrantTerm(term, today)) continue;
        const before = decisionAudit(request);
        await this.counters.release(manager, request);
        const reason = reasons.grantExpired(term.grantedOn, term.startWithinDays);
        await repo.update({ id: request.id }, { status: 'expired', reasonCode: reason.code, reasonMessage: reason.message, reasonParams: reason.params, closedAt: this.clock.now().toISOString() });
        Object.assign(request, { status: 'expired', reasonCode: reason.code, reasonMessage: reason.message, reasonParams: reason.params });
        await this.audit.record(manager, actor, { action: 'initiation-request.expired', entity: 'initiation-request', entityId: request.id, before, after: decisionAudit(request), establishment: request.establishment });
        await this.notifier?.notify(manager, requestEvent('REQUEST_DECIDED', request));
        expired.push(request.id);
        if (request.slotPeriod === this.clock.period()) medicines.add(request.medicine);
      }
      for (const medicine of medicines) await this.serveCurrent(manager, actor, medicine);
      return { expired };
    });
  }
}
