import { Inject, Injectable, Optional } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { accessEvent } from '../common/domain/notification-events';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, pageWindow, toPage } from '../common/pagination/page';
import { MedicinesService } from '../medicines/medicines.service';
import { PatientsService } from '../patients/patients.service';
import { accessQueries } from './access-queries';
import { AccessRequestResponse, applyState, auditView, canSeeRequest, toReceivedForm, toResponse, toState } from './access-request.mapper';
import { checkPrescriberSpecialty } from './domain/access-schemes';
import { isAuthorisationValid, newAccessRequest, transitionAccessRequest, type AccessAction } from './domain/access-workflow';
import { carriesOver, replacementInForce } from './domain/carry-over';
import { validateClinicalForm } from './domain/clinical-form';
import { compassionateAccessError, type CompassionateAccessError } from './domain/compassionate-access.errors';
import { judgeRequest } from './domain/eligibility';
import { stopOf } from './domain/follow-up';
import { AgencyDecisionDto, CountersignDto, ListAccessRequestsDto, MeetingDecisionDto, SubmitAccessRequestDto } from './dto/access-request.dto';
import { AccessFormEntity } from './entities/access-form.entity';
import { AccessRequestEntity } from './entities/access-request.entity';
import { AccessSchemeEntity } from './entities/access-scheme.entity';

const OPEN_STATUSES = ['submitted', 'countersigned', 'meeting_review'] as const;

const refused = (e: CompassionateAccessError) => compassionateAccessError(e.code, e.params, e.errors ?? []);

export interface SwitchResult {
  medicine: string;
  successor: string;
  on: string;
  switched: { from: string; to: string; patient: string }[];
}

/** Access requests (SPEC §9, §11): submission with eligibility, countersignature, national meeting, agency decision, renewal, switch. */
@Injectable()
export class AccessRequestsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly medicines: MedicinesService,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  /** A prescriber of an allowed specialty asks; the clinical form is checked and judged by the criteria version in force today. */
  async submit(actor: Actor, dto: SubmitAccessRequestDto): Promise<AccessRequestResponse> {
    await this.medicines.require(dto.medicine);
    return this.unitOfWork.run(async (manager) => {
      const today = this.clock.today();
      const scheme = await accessQueries.scheme(manager, dto.medicine);
      if (scheme === null) {
        throw compassionateAccessError('MEDICINE_NOT_COMPASSIONATE', { medicine: dto.medicine }, [
          { field: 'medicine', reason: 'has no compassionate-access scheme' },
        ]);
      }
      this.checkAvailable(scheme, today);
      const indication = await this.medicines.indication(dto.medicine, dto.indication, manager);
      if (indication === null || dto.indication !== scheme.indicationCode) {
        throw compassionateAccessError('INDICATION_NOT_IN_SCHEME', { medicine: dto.medicine, schemeIndication: scheme.indicationCode, indication: dto.indication }, [
          { field: 'indication', reason: `must be ${scheme.indicationCode}` },
        ]);
      }
      const allowed = checkPrescriberSpecialty({ code: scheme.scheme, prescriberSpecialties: scheme.prescriberSpecialties }, actor.specialty ?? 'unknown');
      if (!allowed.ok) throw refused(allowed.error);
      const clinical = validateClinicalForm({ form: scheme.clinicalForm }, dto.clinical);
      if (!clinical.ok) {
        throw compassionateAccessError('CLINICAL_FORM_INVALID', { count: clinical.error.length, fields: clinical.error.map((e) => e.field) }, clinical.error);
      }
      await this.patients.require(actor, dto.patient, manager);
      const previous = await manager.getRepository(AccessRequestEntity).find({ where: { patient: dto.patient, medicineCode: dto.medicine } });
      const blocking = previous.find(
        (r) => (OPEN_STATUSES as readonly string[]).includes(r.status) || (r.switchedTo === null && isAuthorisationValid(toState(r), today)),
      );
      if (blocking !== undefined) {
        throw compassionateAccessError('ACCESS_REQUEST_ALREADY_OPEN', { status: blocking.status, requestId: blocking.id, medicine: dto.medicine }, [
          { field: 'patient', reason: `already has request ${blocking.id}` },
        ]);
      }
      const judged = judgeRequest(await accessQueries.criteriaVersions(manager, scheme.scheme), today, clinical.value);
      if (!judged.ok) throw refused(judged.error);
      const check = judged.value;
      const state = newAccessRequest(today, check.verdict, check.eligibility);
      const id = newId();
      const at = this.clock.now().toISOString();
      const row: AccessRequestEntity = {
        id,
        medicineCode: dto.medicine,
        scheme: scheme.scheme,
        indicationCode: dto.indication,
        patient: dto.patient,
        establishment: actor.establishment as string,
        prescriber: actor.username,
        submittedOn: today,
        submittedAt: at,
        status: state.status,
        criteriaVersion: check.criteriaVersion,
        verdict: check.verdict,
        eligibility: check.eligibility,
        clinical: clinical.value,
        countersignedOn: null,
        countersignedBy: null,
        countersignComment: null,
        meetingOn: null,
        meetingDecision: null,
        meetingRationale: null,
        meetingBy: null,
        decisionOn: null,
        decision: null,
        decisionReason: null,
        decisionBy: null,
        authorisedFrom: null,
        authorisedUntil: null,
        renewals: 0,
        derogation: null,
        followUpId: id,
        carriedFrom: null,
        switchedTo: null,
        updatedAt: at,
      };
      await manager.getRepository(AccessRequestEntity).insert(row);
      await this.audit.record(manager, actor, { action: 'access-request.submitted', entity: 'access-request', entityId: id, before: null, after: auditView(row), establishment: row.establishment });
      await this.notifier?.notify(manager, accessEvent('ACCESS_COUNTERSIGN_NEEDED', row));
      return toResponse(row, today);
    });
  }

  countersign(actor: Actor, id: string, dto: CountersignDto): Promise<AccessRequestResponse> {
    return this.step(actor, id, 'access-request.countersigned', (today) => ({ type: 'countersign', on: today, comment: dto.comment ?? '' }));
  }

  meeting(actor: Actor, id: string, dto: MeetingDecisionDto): Promise<AccessRequestResponse> {
    return this.step(actor, id, 'access-request.meeting-decided', (today) => ({ type: 'meeting', on: today, decision: dto.decision, rationale: dto.rationale }), (request) => {
      if (actor.establishment !== null && actor.establishment === request.establishment) {
        throw compassionateAccessError('MEETING_MEMBER_OWN_ESTABLISHMENT', { establishment: actor.establishment ?? '' });
      }
    });
  }

  decide(actor: Actor, id: string, dto: AgencyDecisionDto): Promise<AccessRequestResponse> {
    return this.step(actor, id, `access-request.${dto.decision === 'authorise' ? 'authorised' : dto.decision === 'refuse' ? 'refused' : 'excluded'}`, (today) => ({
      type: 'decide',
      on: today,
      decision: dto.decision,
      reason: dto.reason ?? '',
      ...(dto.derogation === undefined ? {} : { derogation: dto.derogation }),
    }));
  }

  renew(actor: Actor, id: string): Promise<AccessRequestResponse> {
    return this.step(actor, id, 'access-request.renewed', (today) => ({ type: 'renew', on: today }), (request) => {
      if (request.switchedTo !== null) {
        throw compassionateAccessError('AUTHORISATION_NOT_RENEWABLE', { status: request.status, switchedTo: request.switchedTo });
      }
    });
  }

  /** One workflow step: load (scoped), check, apply the pure transition, persist and audit, in one transaction. */
  private step(
    actor: Actor,
    id: string,
    action: string,
    build: (today: string) => AccessAction,
    guard?: (request: AccessRequestEntity) => void,
  ): Promise<AccessRequestResponse> {
    return this.unitOfWork.run(async (manager) => {
      const today = this.clock.today();
      await this.unitOfWork.lock(manager, `access-request:${id}`);
      const { request, scheme } = await accessQueries.visibleRequest(manager, actor, id);
      guard?.(request);
      const next = transitionAccessRequest(toState(request), build(today), { requiresMeeting: scheme.meeting !== null, authorisationValidityDays: scheme.validityDays });
      if (!next.ok) throw refused(next.error);
      const row = applyState(request, next.value, actor.username, this.clock.now().toISOString());
      await manager.getRepository(AccessRequestEntity).save(row);
      await this.audit.record(manager, actor, { action, entity: 'access-request', entityId: id, before: auditView(request), after: auditView(row), establishment: row.establishment });
      if (row.status === 'meeting_review') await this.notifier?.notify(manager, accessEvent('ACCESS_MEETING_NEEDED', row));
      return toResponse(row, today);
    });
  }

  async get(actor: Actor, id: string): Promise<AccessRequestResponse> {
    const manager = this.unitOfWork.dataSource.manager;
    const { request } = await accessQueries.visibleRequest(manager, actor, id);
    const forms = await manager.getRepository(AccessFormEntity).find({ where: { followUpId: request.followUpId } });
    return toResponse(request, this.clock.today(), forms);
  }

  /** Requests the actor may see, newest first: own establishment, or the meeting's or the supplier's schemes. */
  async list(actor: Actor, query: ListAccessRequestsDto): Promise<Page<AccessRequestResponse>> {
    const manager = this.unitOfWork.dataSource.manager;
    const window = pageWindow(query, 50);
    const qb = manager.getRepository(AccessRequestEntity).createQueryBuilder('r');
    if (isEstablishmentBound(actor)) {
      qb.andWhere('r.establishment = :establishment', { establishment: actor.establishment ?? '' });
    } else if (actor.role !== 'agency') {
      const schemes = await manager.getRepository(AccessSchemeEntity).find();
      const visible = schemes.filter((s) => canSeeRequest(actor, { establishment: '' }, s)).map((s) => s.medicineCode);
      qb.andWhere(visible.length > 0 ? 'r.medicineCode IN (:...visible)' : '1 = 0', { visible });
    }
    if (query.medicine) qb.andWhere('r.medicineCode = :medicine', { medicine: query.medicine });
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.patient) qb.andWhere('r.patient = :patient', { patient: query.patient });
    const rows = await qb.orderBy('r.submittedAt', 'DESC').addOrderBy('r.id', 'ASC').skip(window.skip).take(window.take).getMany();
    const today = this.clock.today();
    return toPage(rows.map((r) => toResponse(r, today)), window);
  }

  /** The patient's requests the actor may see (for GET /patients/{pseudonym}). */
  async forPatient(pseudonym: string, actor: Actor): Promise<AccessRequestResponse[]> {
    const page = await this.list(actor, { patient: pseudonym, limit: 500 });
    return page.items;
  }

  /**
   * Carries the patients of a replaced medicine over to its successor (SPEC §9: ONC201 replaced by dordaviprone
   * from April 2026, patients switch without losing continuity). Each valid, unstopped authorisation gets an
   * authorised request for the successor keeping its authorisation dates and its follow-up; idempotent.
   */
  async switchReplaced(actor: Actor, code: string): Promise<SwitchResult> {
    return this.unitOfWork.run(async (manager) => {
      const today = this.clock.today();
      const scheme = await accessQueries.visibleScheme(manager, actor, code);
      const replacement = replacementInForce({ medicine: code, replacedBy: scheme.replacedBy, replacedFrom: scheme.replacedFrom }, today);
      if (!replacement.ok) throw refused(replacement.error);
      await this.unitOfWork.lock(manager, `access-switch:${code}`);
      const successor = await accessQueries.scheme(manager, replacement.value.successor);
      if (successor === null) throw compassionateAccessError('ACCESS_SCHEME_NOT_FOUND', { medicine: replacement.value.successor });
      const candidates = await manager.getRepository(AccessRequestEntity).find({ where: { medicineCode: code, status: 'authorised' } });
      const forms = candidates.length === 0 ? [] : await manager.getRepository(AccessFormEntity).find({ where: { followUpId: In(candidates.map((c) => c.followUpId)), kind: 'stop' } });
      const at = this.clock.now().toISOString();
      const switched: SwitchResult['switched'] = [];
      for (const request of candidates) {
        const stoppedOn = stopOf(forms.filter((f) => f.followUpId === request.followUpId).map(toReceivedForm))?.date ?? null;
        const state = toState(request);
        if (!carriesOver({ status: request.status, authorisation: state.authorisation, switchedTo: request.switchedTo, stoppedOn }, today)) continue;
        const row = carriedOverRequest(request, successor, today, `${code} replaced by ${successor.medicineCode} from ${replacement.value.from}`, actor.username, at);
        await manager.getRepository(AccessRequestEntity).insert(row);
        await manager.getRepository(AccessRequestEntity).update({ id: request.id }, { switchedTo: row.id, updatedAt: at });
        await this.audit.record(manager, actor, { action: 'access-request.switched', entity: 'access-request', entityId: request.id, before: auditView(request), after: { ...auditView(request), switchedTo: row.id }, establishment: request.establishment });
        await this.audit.record(manager, actor, { action: 'access-request.carried-over', entity: 'access-request', entityId: row.id, before: null, after: auditView(row), establishment: row.establishment });
        switched.push({ from: request.id, to: row.id, patient: request.patient });
      }
      return { medicine: code, successor: successor.medicineCode, on: today, switched };
    });
  }

  /** Job `access-requests.switch`: switches every medicine (or the one given) whose replacement is in force today; idempotent. */
  async switchDue(actor: Actor, medicine?: string): Promise<SwitchResult[]> {
    const today = this.clock.today();
    const schemes = await this.unitOfWork.dataSource.getRepository(AccessSchemeEntity).find({ order: { medicineCode: 'ASC' } });
    const due = schemes.filter((s) => (medicine === undefined || s.medicineCode === medicine) && s.replacedBy !== null && s.replacedFrom !== null && s.replacedFrom <= today);
    const out: SwitchResult[] = [];
    for (const s of due) out.push(await this.switchReplaced(actor, s.medicineCode));
    return out;
  }

  private checkAvailable(scheme: AccessSchemeEntity, today: string): void {
    if (scheme.availableFrom !== null && today < scheme.availableFrom) {
      throw compassionateAccessError('MEDICINE_NOT_YET_AVAILABLE', { medicine: scheme.medicineCode, from: scheme.availableFrom }, [
        { field: 'medicine', reason: `available from ${scheme.availableFrom}` },
      ]);
    }
    if (scheme.replacedBy !== null && scheme.replacedFrom !== null && today >= scheme.replacedFrom) {
      throw compassionateAccessError('MEDICINE_REPLACED', { medicine: scheme.medicineCode, replacedBy: scheme.replacedBy, from: scheme.replacedFrom }, [
        { field: 'medicine', reason: `replaced by ${scheme.replacedBy}` },
      ]);
    }
  }
}

/** The successor's request of a carried-over patient: authorised on the switch date, same authorisation and follow-up. */
export function carriedOverRequest(request: AccessRequestEntity, successor: AccessSchemeEntity, on: string, reason: string, by: string, at: string): AccessRequestEntity {
  return {
    ...request,
    id: newId(),
    medicineCode: successor.medicineCode,
    scheme: successor.scheme,
    indicationCode: successor.indicationCode,
    submittedOn: on,
    submittedAt: at,
    status: 'authorised',
    decisionOn: on,
    decision: 'authorise',
    decisionReason: `Carried over: ${reason}.`,
    decisionBy: by,
    carriedFrom: request.id,
    switchedTo: null,
    updatedAt: at,
  };
}
