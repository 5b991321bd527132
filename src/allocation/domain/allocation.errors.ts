import { Refusal, errorFactory, refusalToErrorWith } from '../../common/domain/domain-error';

/**
 * Refusals of the allocation module with their HTTP status (SPEC §11: 404 for another
 * establishment's object, 409 for a state conflict, 422 for a rule refusal with a reason code).
 * A vote on a request of the member's own establishment is a 404: its existence is not leaked
 * to that member (SPEC §1).
 * The three waitlist reasons are listed too (422), for a service that must refuse rather than
 * waitlist (e.g. a treatment started without a grant); a request itself is waitlisted, not refused.
 */
export const ALLOCATION_ERROR_STATUS = {
  REQUEST_NOT_FOUND: 404,
  ALLOCATION_NOT_FOUND: 404,
  MEDICINE_NOT_FOUND: 404,
  PATIENT_NOT_FOUND: 404,
  OWN_ESTABLISHMENT_VOTE: 404,
  NOT_A_TRANSPLANT_CENTRE: 422,
  ESTABLISHMENT_REQUIRED: 403,
  NO_POLICY_IN_FORCE: 422,
  INDICATION_NOT_ENABLED: 422,
  WEIGHT_INVALID: 422,
  RANK_INVALID: 422,
  RATIONALE_REQUIRED: 422,
  PERIOD_INVALID: 422,
  PATIENT_ALREADY_TREATED: 409,
  PATIENT_ALREADY_REQUESTING: 409,
  REQUEST_ALREADY_DECIDED: 409,
  NOT_PENDING_REVIEW: 409,
  ALREADY_VOTED: 409,
  REQUEST_NOT_WITHDRAWABLE: 409,
  RANK_NOT_CHANGEABLE: 409,
  REQUEST_NOT_GRANTED: 409,
  GRANT_EXPIRED: 409,
  CENTRE_QUOTA_EXHAUSTED: 422,
  QUOTA_POOL_EXHAUSTED: 422,
  NATIONAL_CAPACITY_EXHAUSTED: 422,
} as const satisfies Record<string, number>;

export type AllocationErrorCode = keyof typeof ALLOCATION_ERROR_STATUS;

/** A refusal returned by the pure allocation rules; a service throws it with `allocationRefusalToError`. */
export type AllocationRefusal = Refusal<AllocationErrorCode>;

export const allocationError = errorFactory<AllocationErrorCode>(ALLOCATION_ERROR_STATUS);

/** Turns a returned refusal into the DomainError that the global filter renders. */
export const allocationRefusalToError = refusalToErrorWith(allocationError);

/**
 * Reason codes a decision records (SPEC §4 rule 6): every grant, wait or rejection carries one,
 * with a sentence naming the numbers.
 */
export type DecisionReasonCode =
  | 'GRANTED_UNRESTRICTED'
  | 'GRANTED_OPEN'
  | 'GRANTED_URGENT'
  | 'GRANTED_QUOTA'
  | 'GRANTED_REDISTRIBUTED'
  | 'PENDING_COMMITTEE_REVIEW'
  | 'COMMITTEE_REJECTED'
  | 'CENTRE_QUOTA_EXHAUSTED'
  | 'QUOTA_POOL_EXHAUSTED'
  | 'NATIONAL_CAPACITY_EXHAUSTED'
  | 'WITHDRAWN'
  | 'GRANT_EXPIRED';

export interface Reason {
  code: DecisionReasonCode;
  message: string;
  /** The sentence's parameters: the pages and a French Accept-Language render the sentence from the code and these (common/messages). */
  params: Record<string, unknown>;
}

function capacityText(capacity: number | null): string {
  return capacity === null ? 'no limit' : String(capacity);
}

/** Sentences of the decision reasons, each naming its numbers (SPEC §4 rule 6). */
export const reasons = {
  grantedUnrestricted: (policyVersion: number): Reason => ({
    code: 'GRANTED_UNRESTRICTED',
    message: `granted: policy version ${policyVersion} puts no limit on initiations`,
    params: { policyVersion },
  }),
  grantedOpen: (indication: string): Reason => ({
    code: 'GRANTED_OPEN',
    message: `granted: indication ${indication} is open, no restriction beyond declaration`,
    params: { indication },
  }),
  grantedUrgent: (period: string, grantedAfter: number, capacity: number | null): Reason => ({
    code: 'GRANTED_URGENT',
    message: `granted after committee approval: national initiation ${grantedAfter} of ${capacityText(capacity)} for ${period}`,
    params: { period, grantedAfter, capacity },
  }),
  grantedQuota: (period: string, usedAfter: number, slots: number): Reason => ({
    code: 'GRANTED_QUOTA',
    message: `granted: centre quota slot ${usedAfter} of ${slots} for ${period}`,
    params: { period, used: usedAfter, slots },
  }),
  grantedRedistributed: (period: string, fromFiness: string): Reason => ({
    code: 'GRANTED_REDISTRIBUTED',
    message: `granted: an unused ${period} slot of centre ${fromFiness} redistributed in the period's last days`,
    params: { period, from: fromFiness },
  }),
  pendingReview: (votesRequired: number, deadline: string): Reason => ({
    code: 'PENDING_COMMITTEE_REVIEW',
    message: `awaiting the expert committee: ${votesRequired} vote(s) needed by ${deadline}`,
    params: { votesRequired, deadline },
  }),
  committeeRejected: (rejects: number, votesRequired: number): Reason => ({
    code: 'COMMITTEE_REJECTED',
    message: `rejected by the expert committee: ${rejects} reject vote(s) of ${votesRequired} needed`,
    params: { rejects, votesRequired },
  }),
  centreQuotaExhausted: (period: string, used: number, slots: number, nextSlotPeriod: string | null): Reason => ({
    code: 'CENTRE_QUOTA_EXHAUSTED',
    message:
      `centre quota for ${period} used: ${used} of ${slots}; ` +
      (nextSlotPeriod === null ? 'no slot expected while the centre follows no patients' : `next slot expected ${nextSlotPeriod}`),
    params: { period, used, slots, nextSlotPeriod },
  }),
  quotaPoolExhausted: (period: string, granted: number, quotaPool: number): Reason => ({
    code: 'QUOTA_POOL_EXHAUSTED',
    message: `national quota pool for ${period} used: ${granted} of ${quotaPool}; the request waits for the next period`,
    params: { period, granted, quotaPool },
  }),
  nationalCapacityExhausted: (period: string, granted: number, capacity: number, nextPeriod: string): Reason => ({
    code: 'NATIONAL_CAPACITY_EXHAUSTED',
    message: `national capacity for ${period} used: ${granted} of ${capacity}; the request heads the ${nextPeriod} queue`,
    params: { period, granted, capacity, nextPeriod },
  }),
  withdrawn: (date: string): Reason => ({ code: 'WITHDRAWN', message: `withdrawn on ${date}`, params: { date } }),
  grantExpired: (grantedOn: string, startWithinDays: number): Reason => ({
    code: 'GRANT_EXPIRED',
    message: `grant of ${grantedOn} expired: not started within ${startWithinDays} days`,
    params: { grantedOn, startWithinDays },
  }),
} as const;

/** The refusals, each with the parameters its sentence names (common/messages/problem-messages.ts). */
export const refusals = {
  indicationNotEnabled: (indication: string, medicine: string, policyVersion: number): AllocationRefusal => ({
    code: 'INDICATION_NOT_ENABLED',
    params: { indication, medicine, policyVersion },
    errors: [{ field: 'indication', reason: `not enabled by policy version ${policyVersion}` }],
  }),
  patientAlreadyTreated: (_patient: string, medicine: string): AllocationRefusal => ({
    code: 'PATIENT_ALREADY_TREATED',
    params: { medicine },
    errors: [{ field: 'patient', reason: 'already treated' }],
  }),
  patientAlreadyRequesting: (_patient: string, medicine: string, requestId: string): AllocationRefusal => ({
    code: 'PATIENT_ALREADY_REQUESTING',
    params: { medicine, requestId },
    errors: [{ field: 'patient', reason: `open request ${requestId}` }],
  }),
  requestAlreadyDecided: (requestId: string, status: string): AllocationRefusal => ({ code: 'REQUEST_ALREADY_DECIDED', params: { requestId, status }, errors: [] }),
  notPendingReview: (requestId: string, status: string): AllocationRefusal => ({ code: 'NOT_PENDING_REVIEW', params: { requestId, status }, errors: [] }),
  alreadyVoted: (requestId: string): AllocationRefusal => ({ code: 'ALREADY_VOTED', params: { requestId }, errors: [] }),
  ownEstablishmentVote: (requestId: string): AllocationRefusal => ({ code: 'OWN_ESTABLISHMENT_VOTE', params: { requestId }, errors: [] }),
  requestNotWithdrawable: (requestId: string, status: string): AllocationRefusal => ({ code: 'REQUEST_NOT_WITHDRAWABLE', params: { requestId, status }, errors: [] }),
  rankNotChangeable: (requestId: string, status: string): AllocationRefusal => ({ code: 'RANK_NOT_CHANGEABLE', params: { requestId, status }, errors: [] }),
  requestNotGranted: (requestId: string, status: string): AllocationRefusal => ({
    code: 'REQUEST_NOT_GRANTED',
    params: { requestId, status },
    errors: [{ field: 'request', reason: `is ${status}, not granted` }],
  }),
  grantExpired: (requestId: string, grantedOn: string, startWithinDays: number, startDate: string): AllocationRefusal => ({
    code: 'GRANT_EXPIRED',
    params: { requestId, grantedOn, startWithinDays, startDate },
    errors: [{ field: 'startDate', reason: `after the ${startWithinDays}-day start window` }],
  }),
  rankInvalid: (rank: number): AllocationRefusal => ({ code: 'RANK_INVALID', params: { rank }, errors: [{ field: 'rank', reason: 'must be a positive integer' }] }),
  weightInvalid: (weightKg: number): AllocationRefusal => ({ code: 'WEIGHT_INVALID', params: { weightKg }, errors: [{ field: 'weightKg', reason: 'must be a positive number' }] }),
  rationaleRequired: (): AllocationRefusal => ({ code: 'RATIONALE_REQUIRED', params: {}, errors: [{ field: 'rationale', reason: 'must not be empty' }] }),
  noPolicyInForce: (medicine: string, date: string): AllocationRefusal => ({ code: 'NO_POLICY_IN_FORCE', params: { medicine, date }, errors: [] }),
} as const;
