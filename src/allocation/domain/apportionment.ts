/**
 * Centre apportionment by carried credit (SPEC §4 rule 4).
 *
 * Arithmetic choice: a centre's entitlement is the rational `pool × followed / totalFollowed`
 * with an exact integer numerator and denominator, divided once into a float, so it carries a
 * single rounding. Credits are floats (they are stored and carried between periods, whose
 * denominators change). Credits are compared on an integer key, the credit rounded to
 * nanoslots (1e-9 slot): two credits equal up to float noise (1/3 + 1/3 + 1/3 vs 1) tie and the
 * smaller FINESS wins. The key is a strict total order, so the result does not depend on the
 * input order, and the same input always gives the same output.
 */

export interface ApportionmentCentre {
  finess: string;
  followedPatients: number;
  /** Credit carried from the previous period (fractional, may be negative). */
  creditBefore: number;
  /**
   * Slots of this pool already given in this period (a mid-period recompute, SPEC §3);
   * 0 at the period's start.
   */
  alreadyGiven?: number;
}

export interface ApportionedCentre {
  finess: string;
  followedPatients: number;
  entitlement: number;
  creditBefore: number;
  /** Slots given from the pool this period, including `alreadyGiven`. */
  slots: number;
  creditAfter: number;
}

export interface Apportionment {
  /** The pool that was apportioned: `max(quotaPool, Σ alreadyGiven)`. */
  poolSlots: number;
  centres: ApportionedCentre[];
}

const NANO = 1e9;

function creditKey(credit: number): number {
  return Math.round(credit * NANO);
}

function checkInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * Apportions `quotaPool` slots between centres in proportion to their followed patients
 * (SPEC §4 rule 4): each centre's exact entitlement is added to its credit, then slots go one
 * at a time to the centre with the largest credit (ties: the smaller FINESS), each slot
 * subtracting one. Exactly `quotaPool` slots are handed out when any centre follows patients;
 * a centre following none gets no entitlement and no slot, its credit unchanged.
 *
 * Mid-period recompute (SPEC §3): pass the slots already given this period as `alreadyGiven`;
 * the entitlement is then computed on the whole period pool `max(quotaPool, Σ alreadyGiven)`
 * and only the remainder is handed out, so credits stay balanced.
 * Output is sorted by FINESS.
 */
export function apportionQuota(quotaPool: number, centres: readonly ApportionmentCentre[]): Apportionment {
  checkInteger('quotaPool', quotaPool);
  const seen = new Set<string>();
  for (const c of centres) {
    if (seen.has(c.finess)) throw new Error(`centre ${c.finess} listed twice`);
    seen.add(c.finess);
    checkInteger(`followedPatients of ${c.finess}`, c.followedPatients);
    checkInteger(`alreadyGiven of ${c.finess}`, c.alreadyGiven ?? 0);
    if (!Number.isFinite(c.creditBefore)) throw new Error(`creditBefore of ${c.finess} must be finite`);
  }
  const sorted = [...centres].sort((a, b) => (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0));
  const totalFollowed = sorted.reduce((s, c) => s + c.followedPatients, 0);
  const givenBefore = sorted.reduce((s, c) => s + (c.alreadyGiven ?? 0), 0);
  const poolSlots = Math.max(quotaPool, givenBefore);
  const work = sorted.map((c) => {
    const entitlement = totalFollowed === 0 ? 0 : (poolSlots * c.followedPatients) / totalFollowed;
    const given = c.alreadyGiven ?? 0;
    return { centre: c, entitlement, given, key: creditKey(c.creditBefore + entitlement - given) };
  });
  const eligible = work.filter((w) => w.centre.followedPatients > 0);
  let remaining = eligible.length === 0 ? 0 : poolSlots - givenBefore;
  while (remaining > 0) {
    // `eligible` is sorted by FINESS, so a strict `>` keeps the smaller FINESS on a tie.
    let best = eligible[0]!;
    for (const w of eligible) if (w.key > best.key) best = w;
    best.given += 1;
    best.key -= NANO;
    remaining -= 1;
  }
  return {
    poolSlots,
    centres: work.map((w) => ({
      finess: w.centre.finess,
      followedPatients: w.centre.followedPatients,
      entitlement: w.entitlement,
      creditBefore: w.centre.creditBefore,
      slots: w.given,
      creditAfter: w.centre.creditBefore + w.entitlement - w.given,
    })),
  };
}
