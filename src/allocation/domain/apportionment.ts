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

interface Work {
  centre: ApportionmentCentre;
  given: number;
  /** The credit key before this period's hand-out: creditKey(credit + entitlement − alreadyGiven). */
  key: number;
}

/**
 * Hands `remaining` slots out exactly as the one-at-a-time greedy rule would (each slot to the largest
 * key, a tie to the smaller FINESS, the key then losing one slot = NANO), in O(n log n).
 *
 * Why it is the same: centre i's successive slots are taken at keys kᵢ, kᵢ − N, kᵢ − 2N, … (N = NANO),
 * a decreasing sequence, so the greedy takes the `remaining` largest of all these values in the total
 * order (key desc, FINESS asc). Group the values by level ⌊v / N⌋: centre i has exactly one value at
 * each level ≤ ⌊kᵢ / N⌋, and every value of a level is above every value of a lower one. So the greedy
 * takes whole levels from the top down — C(L) = Σ max(0, ⌊kᵢ/N⌋ − L + 1) values at levels ≥ L — and
 * then, at the first level it cannot take whole, the values with the largest kᵢ mod N first (a value
 * of centre i at any level has the remainder kᵢ mod N), ties to the smaller FINESS: one sort.
 * With carried credits in (−1, 1) the whole levels are levels ≥ 1, i.e. each centre first gets
 * ⌊credit + entitlement⌋ at once, and the remainder goes by the sort on the credit's fractional key.
 * `work` must be sorted by FINESS.
 */
function handOut(work: Work[], remaining: number): void {
  if (remaining <= 0 || work.length === 0) return;
  // level ⌊k / N⌋ and remainder k mod N ∈ [0, N), exact on the integer key.
  const split = work.map((w) => {
    let level = Math.floor(w.key / NANO);
    let rest = w.key - level * NANO;
    if (rest < 0) [level, rest] = [level - 1, rest + NANO];
    else if (rest >= NANO) [level, rest] = [level + 1, rest - NANO];
    return { w, level, rest };
  });
  const above = (level: number): number => {
    let count = 0;
    for (const s of split) if (s.level >= level) count += s.level - level + 1;
    return count;
  };
  // The lowest level `high` whose levels ≥ it hold at most `remaining` values, by bisection between
  // C(maxLevel + 1) = 0 and C(maxLevel − remaining) > remaining (the top centre alone has remaining + 1 there).
  const maxLevel = split.reduce((m, s) => Math.max(m, s.level), -Infinity);
  let low = maxLevel - remaining;
  let high = maxLevel + 1;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (above(mid) <= remaining) high = mid;
    else low = mid;
  }
  let left = remaining;
  for (const s of split) {
    const whole = Math.max(0, s.level - high + 1);
    s.w.given += whole;
    s.w.key -= whole * NANO;
    left -= whole;
  }
  // Level high − 1 is taken in part: the centres reaching it, larger remainder first; the sort is stable and
  // `work` is in FINESS order, so a tie goes to the smaller FINESS.
  const partial = split.filter((s) => s.level >= high - 1).sort((a, b) => b.rest - a.rest);
  for (let i = 0; i < left; i++) {
    const w = partial[i]!.w;
    w.given += 1;
    w.key -= NANO;
  }
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
  handOut(eligible, eligible.length === 0 ? 0 : poolSlots - givenBefore);
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
