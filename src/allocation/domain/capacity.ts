/** A policy's mode (SPEC §3). */
export type PolicyMode = 'unrestricted' | 'freed-stock' | 'capped';

/**
 * National initiations a period may grant, or `null` for no limit (mode `unrestricted`).
 * `null` rather than `Infinity`: it survives JSON and a nullable integer column unchanged.
 */
export type Capacity = number | null;

export interface CapacityInput {
  mode: PolicyMode;
  /** Mode `capped` only. */
  monthlyCap?: number | null;
  /** Mode `freed-stock`: stops of active treatments declared in the period so far. */
  freedByStops?: number;
  /** Mode `freed-stock`: extra initiations the lab declared for the period. */
  extraDeclared?: number;
  /** Mode `freed-stock`: freed capacity left unused by earlier periods (see `unusedFreedCapacity`). */
  carriedFreed?: number;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * National capacity of a period (SPEC §4 rule 2): `monthlyCap` in `capped` mode; in
 * `freed-stock` mode one initiation per declared stop, plus the lab's declared extras, plus
 * freed capacity unused in earlier periods; no limit (`null`) in `unrestricted` mode.
 */
export function nationalCapacity(input: CapacityInput): Capacity {
  switch (input.mode) {
    case 'unrestricted':
      return null;
    case 'capped': {
      if (input.monthlyCap === undefined || input.monthlyCap === null) throw new Error('capped mode needs a monthlyCap');
      return nonNegativeInteger('monthlyCap', input.monthlyCap);
    }
    case 'freed-stock':
      return (
        nonNegativeInteger('freedByStops', input.freedByStops ?? 0) +
        nonNegativeInteger('extraDeclared', input.extraDeclared ?? 0) +
        nonNegativeInteger('carriedFreed', input.carriedFreed ?? 0)
      );
  }
}

/** Capacity left after `granted` initiations; `null` stays unlimited, never below 0. */
export function capacityLeft(capacity: Capacity, granted: number): Capacity {
  return capacity === null ? null : Math.max(0, capacity - granted);
}

/**
 * Freed capacity a `freed-stock` period leaves to the next one (SPEC §4 rule 2: "freed capacity
 * that is unused stays available"). 0 in the other modes: a cap does not carry over.
 */
export function unusedFreedCapacity(mode: PolicyMode, capacity: Capacity, granted: number): number {
  switch (mode) {
    case 'freed-stock':
      return capacity === null ? 0 : Math.max(0, capacity - granted);
    case 'capped':
    case 'unrestricted':
      return 0;
  }
}

export interface GrantCounts {
  urgentGranted: number;
  quotaGranted: number;
}

export interface Room {
  /** Initiations an urgent request may still take: any national capacity not yet granted. */
  urgent: Capacity;
  /** Initiations a quota request may still take: bounded by the pool and by national capacity. */
  quota: Capacity;
}

/**
 * What urgent and quota requests may still be granted (SPEC §4 rule 3, urgent before quota):
 * urgent grants may use any national capacity not yet granted, quota pool included; quota grants
 * never exceed `quotaPool` nor the national capacity left.
 */
export function roomLeft(capacity: Capacity, quotaPool: number, granted: GrantCounts): Room {
  const national = capacityLeft(capacity, granted.urgentGranted + granted.quotaGranted);
  const pool = Math.max(0, quotaPool - granted.quotaGranted);
  return { urgent: national, quota: national === null ? pool : Math.min(pool, national) };
}
