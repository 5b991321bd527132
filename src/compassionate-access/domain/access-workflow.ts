import { addDays } from '../../common/domain/period';
import { fail, ok, type Result } from '../../common/domain/result';
import type { ErrorParams } from '../../common/domain/domain-error';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';
import type { CriterionEvaluation, EligibilityVerdict } from './eligibility';

export type AccessRequestStatus = 'submitted' | 'countersigned' | 'meeting_review' | 'authorised' | 'refused' | 'excluded';

export const FINAL_STATUSES: readonly AccessRequestStatus[] = ['authorised', 'refused', 'excluded'];

export interface Authorisation {
  /** YYYY-MM-DD, first day valid (the authorisation date). */
  from: string;
  /** YYYY-MM-DD, last day valid, inclusive. */
  until: string;
  renewals: number;
}

/** What the workflow needs to know of a request; the service maps its entity to and from it. */
export interface AccessRequestState {
  status: AccessRequestStatus;
  submittedOn: string;
  verdict: EligibilityVerdict;
  eligibility: readonly CriterionEvaluation[];
  countersigned: { on: string; comment: string } | null;
  meeting: { on: string; decision: 'approve' | 'reject'; rationale: string } | null;
  decision: { on: string; decision: 'authorise' | 'refuse' | 'exclude'; reason: string; by: 'agency' | 'meeting' } | null;
  authorisation: Authorisation | null;
  /** An authorisation given although criteria were not met (SPEC §9 Derogation): those criteria and the reason. */
  derogation?: { criteria: string[]; reason: string } | null;
}

/** The workflow's view of a scheme (see AccessScheme). */
export interface WorkflowScheme {
  requiresMeeting: boolean;
  authorisationValidityDays: number;
}

export type AccessAction =
  | { type: 'countersign'; on: string; comment: string }
  | { type: 'meeting'; on: string; decision: 'approve' | 'reject'; rationale: string }
  | { type: 'decide'; on: string; decision: 'authorise' | 'refuse' | 'exclude'; reason: string; derogation?: boolean }
  | { type: 'renew'; on: string };

/** A new request as submitted, with its eligibility already judged (SPEC §9). */
export function newAccessRequest(
  submittedOn: string,
  verdict: EligibilityVerdict,
  eligibility: readonly CriterionEvaluation[],
): AccessRequestState {
  return { status: 'submitted', submittedOn, verdict, eligibility, countersigned: null, meeting: null, decision: null, authorisation: null };
}

const refusal = (code: Parameters<typeof accessError>[0], params: ErrorParams = {}): Result<AccessRequestState, CompassionateAccessError> =>
  fail(accessError(code, params));

/**
 * Moves a request through SPEC §9's workflow: `submitted` → `countersigned` (the pharmacist) →
 * `meeting_review` where the scheme requires the national meeting → `authorised` | `refused` | `excluded`.
 * Countersigning a meeting scheme's request puts it straight in `meeting_review`; a meeting rejection
 * refuses it with the meeting's rationale; the agency authorises only an eligible request, and only after
 * the meeting approved it where one is required — or, with `derogation` and a reason, one that fails
 * criteria (SPEC §9 Derogation, recorded with the failing criteria); `refuse` and `exclude` are possible from any undecided
 * state once countersigned. `renew` extends a valid authorisation by the scheme's validity from its end.
 */
export function transitionAccessRequest(
  state: AccessRequestState,
  action: AccessAction,
  scheme: WorkflowScheme,
): Result<AccessRequestState, CompassionateAccessError> {
  if (action.on < state.submittedOn) {
    return refusal('ACCESS_ACTION_BEFORE_SUBMISSION', { action: action.type, date: action.on, submittedOn: state.submittedOn });
  }
  switch (action.type) {
    case 'countersign': {
      if (state.status !== 'submitted') {
        return refusal('ACCESS_REQUEST_NOT_COUNTERSIGNABLE', { status: state.status });
      }
      return ok({
        ...state,
        status: scheme.requiresMeeting ? 'meeting_review' : 'countersigned',
        countersigned: { on: action.on, comment: action.comment },
      });
    }
    case 'meeting': {
      if (!scheme.requiresMeeting || state.status !== 'meeting_review') {
        return refusal('ACCESS_REQUEST_NOT_IN_MEETING_REVIEW', { status: scheme.requiresMeeting ? state.status : null });
      }
      if (state.meeting !== null) {
        return refusal('ACCESS_REQUEST_MEETING_ALREADY_DECIDED', { decision: state.meeting.decision, date: state.meeting.on });
      }
      if (action.decision === 'reject' && action.rationale.trim() === '') {
        return refusal('ACCESS_DECISION_REASON_REQUIRED', { decision: 'reject' });
      }
      const meeting = { on: action.on, decision: action.decision, rationale: action.rationale };
      if (action.decision === 'approve') return ok({ ...state, meeting });
      return ok({
        ...state,
        meeting,
        status: 'refused',
        decision: { on: action.on, decision: 'refuse', reason: action.rationale, by: 'meeting' },
      });
    }
    case 'decide': {
      if (FINAL_STATUSES.includes(state.status)) {
        return refusal('ACCESS_REQUEST_ALREADY_DECIDED', { status: state.status });
      }
      if (state.status === 'submitted') {
        return refusal('ACCESS_REQUEST_NOT_COUNTERSIGNED');
      }
      if (action.decision !== 'authorise' && action.reason.trim() === '') {
        return refusal('ACCESS_DECISION_REASON_REQUIRED', { decision: action.decision });
      }
      if (action.decision === 'authorise') {
        if (state.status === 'meeting_review' && state.meeting?.decision !== 'approve') {
          return refusal('ACCESS_REQUEST_AWAITING_MEETING');
        }
        const failing = state.eligibility.filter((e) => e.result !== 'met');
        let derogation: AccessRequestState['derogation'] = null;
        if (state.verdict !== 'eligible' && state.verdict !== 'non_protocol') {
          if (action.derogation !== true) {
            return refusal('ACCESS_REQUEST_NOT_ELIGIBLE', { verdict: state.verdict, criteria: failing.map((e) => e.criterion), results: failing.map((e) => e.result) });
          }
          if (action.reason.trim() === '') return refusal('ACCESS_DECISION_REASON_REQUIRED', { decision: 'derogation' });
          derogation = { criteria: failing.map((e) => e.criterion), reason: action.reason };
        } else if (action.derogation === true) {
          return refusal('ACCESS_DEROGATION_NOT_NEEDED');
        }
        const until = addDays(action.on, scheme.authorisationValidityDays - 1);
        return ok({
          ...state,
          status: 'authorised',
          decision: { on: action.on, decision: 'authorise', reason: action.reason, by: 'agency' },
          authorisation: { from: action.on, until, renewals: 0 },
          derogation,
        });
      }
      const status: AccessRequestStatus = action.decision === 'refuse' ? 'refused' : 'excluded';
      return ok({ ...state, status, decision: { on: action.on, decision: action.decision, reason: action.reason, by: 'agency' } });
    }
    case 'renew': {
      const auth = state.authorisation;
      if (state.status !== 'authorised' || auth === null) {
        return refusal('AUTHORISATION_NOT_RENEWABLE', { status: state.status, switchedTo: null });
      }
      if (action.on > auth.until) {
        return refusal('AUTHORISATION_EXPIRED', { until: auth.until, date: action.on });
      }
      return ok({
        ...state,
        authorisation: { from: auth.from, until: addDays(auth.until, scheme.authorisationValidityDays), renewals: auth.renewals + 1 },
      });
    }
  }
}

/** Whether the authorisation covers a date (SPEC §9: an authorisation has a validity). */
export function isAuthorisationValid(state: Pick<AccessRequestState, 'status' | 'authorisation'>, on: string): boolean {
  const auth = state.authorisation;
  return state.status === 'authorised' && auth !== null && auth.from <= on && on <= auth.until;
}

/**
 * The status a report sees at its cut-off (SPEC §9: `pending` at a report's cut-off): a decision taken
 * after the cut-off does not count yet.
 */
export function statusAtCutoff(
  state: { decision: { on: string; decision: 'authorise' | 'refuse' | 'exclude' } | null },
  cutoff: string,
): 'accepted' | 'refused' | 'excluded' | 'pending' {
  if (state.decision === null || state.decision.on > cutoff) return 'pending';
  switch (state.decision.decision) {
    case 'authorise':
      return 'accepted';
    case 'refuse':
      return 'refused';
    case 'exclude':
      return 'excluded';
  }
}
