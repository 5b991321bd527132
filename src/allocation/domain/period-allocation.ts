import { apportionQuota } from './apportionment';
import { Capacity, PolicyMode, nationalCapacity } from './capacity';
import { CentreSlots, PeriodState } from './decide';

/** The policy figures an allocation needs (SPEC §3). */
export interface AllocationPolicy {
  version: number;
  mode: PolicyMode;
  monthlyCap: number | null;
  quotaPool: number;
}

export interface AllocationCentreInput {
  finess: string;
  followedPatients: number;
  /** Credit at the period's start (on a mid-period recompute, still the period's start credit). */
  creditBefore: number;
  /** Unused slots carried from the previous period under `unusedQuota: carry` (default 0). */
  carriedSlots?: number;
  /** Quota grants already made to the centre this period (a mid-period recompute; default 0). */
  used?: number;
}

export interface PeriodAllocationInput {
  medicine: string;
  period: string;
  policy: AllocationPolicy;
  centres: readonly AllocationCentreInput[];
  /** What the period has already granted (a mid-period recompute); default none. */
  alreadyGranted?: { urgent: number; quota: number };
  /** Mode `freed-stock`: declared stops of the period so far. */
  freedCapacity?: number;
  /** Mode `freed-stock`: extras the lab declared for the period. */
  extraCapacity?: number;
  /** Mode `freed-stock`: freed capacity unused by earlier periods. */
  carriedFreedCapacity?: number;
}

export interface AllocationCentre {
  finess: string;
  followedPatients: number;
  entitlement: number;
  creditBefore: number;
  /** Slots the centre may use this period: apportioned + carried. */
  slots: number;
  used: number;
  /** `creditBefore + entitlement − (slots − carriedSlots)`: carried slots were paid for when apportioned. */
  creditAfter: number;
  carriedSlots: number;
}

/** The allocation object of SPEC §11 (`carriedSlots` per centre added). */
export interface PeriodAllocation {
  medicine: string;
  period: string;
  policyVersion: number;
  mode: PolicyMode;
  nationalCapacity: Capacity;
  urgentGranted: number;
  quotaPool: number;
  quotaGranted: number;
  centres: AllocationCentre[];
}

/**
 * Computes a period's allocation (SPEC §3, §4 rules 2–4): the national capacity of the mode,
 * then the `quotaPool` apportioned between centres by carried credit. Slots carried under
 * `unusedQuota: carry` are honoured first, out of the pool (so quota grants still never exceed
 * `quotaPool`; if they outnumber it, they are honoured in FINESS order up to it), and the rest
 * is apportioned. In `unrestricted` mode nothing is apportioned (no slots, credits unchanged,
 * `quotaPool` 0, capacity `null`).
 *
 * A policy version taking effect mid-period: call it again at that date with the new policy's
 * full monthly figures, each centre's period-start credit and its `used`, and `alreadyGranted`;
 * the capacity left is then the full figure less what was granted, and only the pool's
 * remainder is handed out (grants already made keep their slots).
 */
export function computePeriodAllocation(input: PeriodAllocationInput): PeriodAllocation {
  const { policy } = input;
  const capacity = nationalCapacity({
    mode: policy.mode,
    monthlyCap: policy.monthlyCap,
    freedByStops: input.freedCapacity ?? 0,
    extraDeclared: input.extraCapacity ?? 0,
    carriedFreed: input.carriedFreedCapacity ?? 0,
  });
  const centres = [...input.centres].sort((a, b) => (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0));
  const usedTotal = centres.reduce((s, c) => s + (c.used ?? 0), 0);
  const urgentGranted = input.alreadyGranted?.urgent ?? 0;
  const quotaGranted = input.alreadyGranted?.quota ?? usedTotal;
  const base = { medicine: input.medicine, period: input.period, policyVersion: policy.version, mode: policy.mode, nationalCapacity: capacity, urgentGranted, quotaGranted };

  if (policy.mode === 'unrestricted') {
    return {
      ...base,
      quotaPool: 0,
      centres: centres.map((c) => ({
        finess: c.finess,
        followedPatients: c.followedPatients,
        entitlement: 0,
        creditBefore: c.creditBefore,
        slots: 0,
        used: c.used ?? 0,
        creditAfter: c.creditBefore,
        carriedSlots: 0,
      })),
    };
  }

  let carryLeft = policy.quotaPool;
  const carried = new Map<string, number>();
  for (const c of centres) {
    const honoured = Math.min(c.carriedSlots ?? 0, carryLeft);
    carried.set(c.finess, honoured);
    carryLeft -= honoured;
  }
  const carriedTotal = policy.quotaPool - carryLeft;
  const apportioned = apportionQuota(
    policy.quotaPool - carriedTotal,
    centres.map((c) => ({
      finess: c.finess,
      followedPatients: c.followedPatients,
      creditBefore: c.creditBefore,
      alreadyGiven: Math.max(0, (c.used ?? 0) - (carried.get(c.finess) ?? 0)),
    })),
  );
  const byFiness = new Map(centres.map((c) => [c.finess, c]));
  return {
    ...base,
    quotaPool: policy.quotaPool,
    centres: apportioned.centres.map((a) => {
      const carriedSlots = carried.get(a.finess) ?? 0;
      return {
        finess: a.finess,
        followedPatients: a.followedPatients,
        entitlement: a.entitlement,
        creditBefore: a.creditBefore,
        slots: a.slots + carriedSlots,
        used: byFiness.get(a.finess)?.used ?? 0,
        creditAfter: a.creditAfter,
        carriedSlots,
      };
    }),
  };
}

/** The decision snapshot of an allocation (for `decideQuotaRequest`, `serveWaitingQueue`). */
export function periodStateOf(allocation: PeriodAllocation): PeriodState {
  return {
    period: allocation.period,
    policyVersion: allocation.policyVersion,
    mode: allocation.mode,
    nationalCapacity: allocation.nationalCapacity,
    quotaPool: allocation.quotaPool,
    urgentGranted: allocation.urgentGranted,
    quotaGranted: allocation.quotaGranted,
  };
}

/** A centre's decision row; a centre absent from the allocation has no slot. */
export function centreSlotsOf(allocation: PeriodAllocation, finess: string): CentreSlots {
  const c = allocation.centres.find((x) => x.finess === finess);
  return c
    ? { finess, slots: c.slots, used: c.used, entitlement: c.entitlement, creditAfter: c.creditAfter }
    : { finess, slots: 0, used: 0, entitlement: 0, creditAfter: 0 };
}
