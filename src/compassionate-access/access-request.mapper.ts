import type { Actor } from '../common/domain/roles';
import { isAuthorisationValid, type AccessRequestState } from './domain/access-workflow';
import type { CriterionEvaluation } from './domain/eligibility';
import { firstExposureOn, isExposed, stopOf, type ReceivedForm } from './domain/follow-up';
import type { AccessFormResponseDto, AccessRequestResponseDto, EligibilityLineDto } from './dto/access-request.response';
import type { AccessFormEntity } from './entities/access-form.entity';
import type { AccessRequestEntity } from './entities/access-request.entity';
import type { AccessSchemeEntity } from './entities/access-scheme.entity';

/** The answers' shapes are the response classes (documented in OpenAPI); these names stay for their users. */
export type EligibilityLine = EligibilityLineDto;
export type AccessFormResponse = AccessFormResponseDto;
export type AccessRequestResponse = AccessRequestResponseDto;

/** Who may see a scheme's requests besides their own establishment (SPEC §1, §9): the agency, the meeting, the supplier. */
export function canSeeScheme(actor: Actor, scheme: Pick<AccessSchemeEntity, 'meeting' | 'supplier'>): boolean {
  switch (actor.role) {
    case 'agency':
      return true;
    case 'committee':
      return scheme.meeting !== null && actor.specialty === scheme.meeting;
    case 'lab':
      return scheme.supplier !== null && actor.username === scheme.supplier;
    case 'pharmacist':
    case 'prescriber':
      return true;
  }
}

/** Whether the actor sees this request: own establishment for pharmacists and prescribers (else a 404). */
export function canSeeRequest(actor: Actor, request: Pick<AccessRequestEntity, 'establishment'>, scheme: Pick<AccessSchemeEntity, 'meeting' | 'supplier'>): boolean {
  if (actor.role === 'pharmacist' || actor.role === 'prescriber') return actor.establishment === request.establishment;
  return canSeeScheme(actor, scheme);
}

export function toState(r: AccessRequestEntity): AccessRequestState {
  return {
    status: r.status,
    submittedOn: r.submittedOn,
    verdict: r.verdict,
    eligibility: r.eligibility,
    countersigned: r.countersignedOn === null ? null : { on: r.countersignedOn, comment: r.countersignComment ?? '' },
    meeting: r.meetingOn === null || r.meetingDecision === null ? null : { on: r.meetingOn, decision: r.meetingDecision, rationale: r.meetingRationale ?? '' },
    decision:
      r.decisionOn === null || r.decision === null
        ? null
        : { on: r.decisionOn, decision: r.decision, reason: r.decisionReason ?? '', by: r.meetingDecision === 'reject' ? 'meeting' : 'agency' },
    authorisation: r.authorisedFrom === null || r.authorisedUntil === null ? null : { from: r.authorisedFrom, until: r.authorisedUntil, renewals: r.renewals },
    derogation: r.derogation,
  };
}

/** Copies a new workflow state onto the row; `by` names who took the step that changed it. */
export function applyState(r: AccessRequestEntity, s: AccessRequestState, by: string, at: string): AccessRequestEntity {
  const row: AccessRequestEntity = { ...r, status: s.status, updatedAt: at };
  if (s.countersigned !== null && r.countersignedOn === null) {
    Object.assign(row, { countersignedOn: s.countersigned.on, countersignComment: s.countersigned.comment, countersignedBy: by });
  }
  if (s.meeting !== null && r.meetingOn === null) {
    Object.assign(row, { meetingOn: s.meeting.on, meetingDecision: s.meeting.decision, meetingRationale: s.meeting.rationale, meetingBy: by });
  }
  if (s.decision !== null && r.decisionOn === null) {
    Object.assign(row, { decisionOn: s.decision.on, decision: s.decision.decision, decisionReason: s.decision.reason, decisionBy: by });
  }
  if (s.derogation !== undefined && s.derogation !== null && r.derogation === null) row.derogation = s.derogation;
  if (s.authorisation !== null) {
    Object.assign(row, { authorisedFrom: s.authorisation.from, authorisedUntil: s.authorisation.until, renewals: s.authorisation.renewals });
  }
  return row;
}

export function toReceivedForm(f: Pick<AccessFormEntity, 'kind' | 'due' | 'date' | 'administered' | 'reason'>): ReceivedForm {
  return { kind: f.kind, due: f.due, date: f.date, administered: Boolean(f.administered), reason: f.reason };
}

export function toFormResponse(f: AccessFormEntity): AccessFormResponse {
  return {
    id: f.id,
    request: f.requestId,
    medicine: f.medicineCode,
    kind: f.kind,
    due: f.due,
    date: f.date,
    administered: Boolean(f.administered),
    reason: f.reason,
    data: f.data,
    receivedAt: f.receivedAt,
  };
}

const line = (e: CriterionEvaluation): EligibilityLine => ({ criterion: e.criterion, result: e.result, message: e.message });

export function toResponse(r: AccessRequestEntity, today: string, forms?: readonly AccessFormEntity[]): AccessRequestResponse {
  const state = toState(r);
  const response: AccessRequestResponse = {
    id: r.id,
    medicine: r.medicineCode,
    indication: r.indicationCode,
    patient: r.patient,
    establishment: r.establishment,
    prescriber: r.prescriber,
    status: r.status,
    submittedOn: r.submittedOn,
    criteriaVersion: r.criteriaVersion,
    verdict: r.verdict,
    eligibility: r.eligibility.map(line),
    failingCriteria: r.eligibility.filter((e) => e.result !== 'met').map(line),
    clinical: r.clinical,
    countersignature: r.countersignedOn === null ? null : { on: r.countersignedOn, by: r.countersignedBy, comment: r.countersignComment ?? '' },
    meeting: state.meeting === null ? null : { ...state.meeting, by: r.meetingBy },
    decision: state.decision === null ? null : { on: state.decision.on, decision: state.decision.decision, reason: state.decision.reason, by: r.decisionBy },
    authorisation: state.authorisation === null ? null : { ...state.authorisation, valid: isAuthorisationValid(state, today) },
    derogation: r.derogation,
    carriedFrom: r.carriedFrom,
    switchedTo: r.switchedTo,
  };
  if (forms !== undefined) {
    const received = forms.map(toReceivedForm);
    response.followUp = {
      exposed: isExposed(received),
      exposedSince: firstExposureOn(received),
      stoppedOn: stopOf(received)?.date ?? null,
      forms: [...forms].sort((a, b) => a.date.localeCompare(b.date) || a.receivedAt.localeCompare(b.receivedAt)).map(toFormResponse),
    };
  }
  return response;
}

/** What the audit keeps of a request: its state, never the clinical form's free values beyond the verdict. */
export function auditView(r: AccessRequestEntity): object {
  return {
    medicine: r.medicineCode,
    patient: r.patient,
    status: r.status,
    criteriaVersion: r.criteriaVersion,
    verdict: r.verdict,
    failing: r.eligibility.filter((e) => e.result !== 'met').map((e) => `${e.criterion}:${e.result}`),
    countersignedOn: r.countersignedOn,
    meeting: r.meetingDecision === null ? null : { on: r.meetingOn, decision: r.meetingDecision, by: r.meetingBy },
    decision: r.decision === null ? null : { on: r.decisionOn, decision: r.decision, reason: r.decisionReason, by: r.decisionBy },
    authorisation: r.authorisedFrom === null ? null : { from: r.authorisedFrom, until: r.authorisedUntil, renewals: r.renewals },
    derogation: r.derogation,
    carriedFrom: r.carriedFrom,
    switchedTo: r.switchedTo,
  };
}
