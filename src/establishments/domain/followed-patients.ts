/**
 * Followed-patient declarations (SPEC §5, #12.7): the counts are the base of every centre's quota,
 * so an establishment's declaration is a proposal. It applies alone only within ±`tolerancePct` %
 * of the last approved count; otherwise (or with no approved count yet) it waits for the agency.
 */
export const AUTO_APPROVE_TOLERANCE_PCT = 10;

export type DeclarationJudgement =
  | { status: 'approved'; reason: 'WITHIN_TOLERANCE' }
  | { status: 'proposed'; reason: 'NO_APPROVED_COUNT' | 'OUTSIDE_TOLERANCE' };

export function judgeDeclaration(count: number, lastApproved: number | null, tolerancePct = AUTO_APPROVE_TOLERANCE_PCT): DeclarationJudgement {
  if (lastApproved === null) return { status: 'proposed', reason: 'NO_APPROVED_COUNT' };
  // Integers only: |count − last| ≤ tolerance % of last.
  return Math.abs(count - lastApproved) * 100 <= tolerancePct * lastApproved ? { status: 'approved', reason: 'WITHIN_TOLERANCE' } : { status: 'proposed', reason: 'OUTSIDE_TOLERANCE' };
}
