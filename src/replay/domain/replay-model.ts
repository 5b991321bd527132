import type { PolicyMode } from '../../allocation/domain/capacity';
import type { IndicationKind, VoteDecision } from '../../allocation/domain/decide';
import type { UnusedQuotaPolicy } from '../../allocation/domain/period-end';

/** A policy version as the replay reads it (the figures of SPEC §3, defaults already applied). */
export interface ReplayPolicy {
  version: number;
  effectiveFrom: string;
  mode: PolicyMode;
  monthlyCap: number | null;
  quotaPool: number;
  indications: { code: string; kind: IndicationKind }[];
  unusedQuota: UnusedQuotaPolicy;
  redistribute: boolean;
  votesRequired: number;
  deadlineHours: number;
}

/** A centre and its followed patients: each count holds from its period until the next one. */
export interface ReplayCentre {
  finess: string;
  followed: { from: string; count: number }[];
}

/**
 * What a request is, clinically, whatever the policy in force makes of it: `urgent` (the
 * indications the committee reviews) or `quota` (chronic dysfunction). The period table counts
 * requests by class, so that unrestricted months stay comparable with restricted ones.
 */
export type RequestClass = 'urgent' | 'quota';

export type ReplayEvent =
  | {
      type: 'request';
      id: string;
      /** ISO 8601 instant. */
      at: string;
      finess: string;
      indication: string;
      class: RequestClass;
      /** The centre's own rank (SPEC §4 rule 5); `null` serves by submission time. */
      rank: number | null;
      /** What the committee will decide if the request goes to it, and when. */
      committee: { decision: VoteDecision; at: string };
    }
  | { type: 'stop'; id: string; at: string; finess: string }
  | { type: 'extra-supply'; id: string; at: string; count: number };

/** One urgent request of a month plan; unset fields are drawn from the seeded stream. */
export interface UrgentAsk {
  finess?: string;
  indication?: string;
  day?: number;
  decision?: VoteDecision;
}

/** `count` quota requests of one centre in a month plan. */
export interface QuotaAsk {
  finess: string;
  count: number;
  day?: number;
}

/** A month of activity, before it is expanded into dated events. */
export interface MonthPlan {
  period: string;
  urgent: number | UrgentAsk[];
  quota: number | QuotaAsk[];
  stops: number;
  extraSupply: number;
}

/** One row of the period table (SPEC §12). */
export interface ReplayRow {
  period: string;
  /** The version in force at the period's end. */
  policyVersion: number;
  /** Every version in force during the period, in order (two when one takes effect mid-period). */
  policyVersions: number[];
  /** The mode in force at the period's end. */
  mode: PolicyMode;
  /** National capacity of the period at its end; `null` for no limit. */
  capacity: number | null;
  urgentAsked: number;
  urgentGranted: number;
  quotaAsked: number;
  quotaGranted: number;
  /** Committee rejections and requests for an indication the policy in force does not enable. */
  refused: number;
  /** Requests still waiting at the period's end (they head the next period's queue). */
  waitlisted: number;
  /** Of which approved urgent requests. */
  waitlistedUrgent: number;
  stops: number;
  extraSupply: number;
  /** max over centres of |cumulative slots − cumulative entitlement| since the replay's start. */
  largestDeviation: number;
}
