import { TreatmentRefusal } from './treatments.errors';

export type PolicyModeForStart = 'unrestricted' | 'freed-stock' | 'capped';
export type IndicationKindForStart = 'urgent' | 'quota' | 'open';

/** The parts of a policy version that decide whether a start needs a granted request (SPEC §3, §5). */
export interface StartPolicy {
  version: number;
  effectiveFrom: string;
  mode: PolicyModeForStart;
  indications: readonly { code: string; kind: IndicationKindForStart }[];
  /** Initiations registered on the platform: even an `open` or `unrestricted` start goes through a request. */
  registrationRequired?: boolean;
}

export interface RequestRequirement {
  required: boolean;
  /** The indication's kind in this version, null when the version does not enable it. */
  kind: IndicationKindForStart | null;
}

/**
 * SPEC §5 Initiation request: `open` indications and mode `unrestricted` are granted at once, so a
 * treatment may be declared directly; `urgent` and `quota` indications, indications the version
 * does not enable, and any start under a version with `registrationRequired` (Nulojix from
 * 2023-02-14 until the lightening of 2024-01-11) need a granted request first.
 */
export function requestRequirement(policy: StartPolicy, indication: string): RequestRequirement {
  const kind = policy.indications.find((i) => i.code === indication)?.kind ?? null;
  return { required: policy.registrationRequired === true || !(policy.mode === 'unrestricted' || kind === 'open'), kind };
}

/** The refusal of a direct start that needs a request, naming the version and the indication's kind. */
export function requestRequiredRefusal(policy: StartPolicy, indication: string, kind: IndicationKindForStart | null): TreatmentRefusal {
  if (kind === null) {
    return {
      code: 'INDICATION_NOT_ENABLED',
      params: { indication, medicine: null, policyVersion: policy.version },
      errors: [{ field: 'indication', reason: `is not enabled by policy version ${policy.version}` }],
    };
  }
  if (policy.registrationRequired === true && (policy.mode === 'unrestricted' || kind === 'open')) {
    return {
      code: 'REQUEST_REQUIRED',
      params: { policyVersion: policy.version, mode: policy.mode, effectiveFrom: policy.effectiveFrom, indication, kind: kind, registration: true },
      errors: [{ field: 'request', reason: `is required: initiations are registered under policy version ${policy.version}` }],
    };
  }
  return {
    code: 'REQUEST_REQUIRED',
    params: { policyVersion: policy.version, mode: policy.mode, effectiveFrom: policy.effectiveFrom, indication, kind, registration: false },
    errors: [{ field: 'request', reason: `is required for ${kind === 'urgent' ? 'an' : 'a'} ${kind} indication under policy version ${policy.version}` }],
  };
}
