import { ApportionmentCentre } from './apportionment';

/**
 * The reference: SPEC §4 rule 4 written literally, one slot at a time to the largest credit key (ties: the smaller
 * FINESS), O(slots × centres). apportionQuota must give exactly the same slots.
 */
export function greedySlots(quotaPool: number, centres: readonly ApportionmentCentre[]): Map<string, number> {
  const sorted = [...centres].sort((a, b) => (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0));
  const totalFollowed = sorted.reduce((s, c) => s + c.followedPatients, 0);
  const givenBefore = sorted.reduce((s, c) => s + (c.alreadyGiven ?? 0), 0);
  const poolSlots = Math.max(quotaPool, givenBefore);
  const work = sorted.map((c) => {
    const entitlement = totalFollowed === 0 ? 0 : (poolSlots * c.followedPatients) / totalFollowed;
    const given = c.alreadyGiven ?? 0;
    return { c, given, key: Math.round((c.creditBefore + entitlement - given) * 1e9) };
  });
  const eligible = work.filter((w) => w.c.followedPatients > 0);
  let remaining = eligible.length === 0 ? 0 : poolSlots - givenBefore;
  while (remaining > 0) {
    let best = eligible[0]!;
    for (const w of eligible) if (w.key > best.key) best = w;
    best.given += 1;
    best.key -= 1e9;
    remaining -= 1;
  }
  return new Map(work.map((w) => [w.c.finess, w.given]));
}
