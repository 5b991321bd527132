import { FieldReason, Refusal } from '../../common/domain/domain-error';
import { addPeriods, isIsoDate, isPeriod } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';
import type { SupplyExpectation } from './projection';

export interface SupplyDraft {
  stockUnits: number;
  at: string;
  expected: readonly SupplyExpectation[];
  pharmacyStockUnits?: number | null;
}

export interface SupplyDeclaration {
  stockUnits: number;
  at: string;
  expected: SupplyExpectation[];
  pharmacyStockUnits: number | null;
}

/** Expected supply is declared for at most this many periods from the stock date's. */
export const MAX_SUPPLY_PERIODS = 60;

/**
 * The rules of a supply declaration (SPEC §8b): stock on hand at a date that is not in the future,
 * expected units per period from the stock date's period on, each period once, ascending.
 * The shapes (integers ≥ 0, YYYY-MM) are the DTO's; this checks what needs today or the whole list.
 */
export function checkSupplyDeclaration(draft: SupplyDraft, today: string): Result<SupplyDeclaration, Refusal<'SUPPLY_DECLARATION_INVALID'>> {
  const errors: FieldReason[] = [];
  if (!isIsoDate(draft.at)) errors.push({ field: 'at', reason: 'must be a calendar date YYYY-MM-DD' });
  else if (draft.at > today) errors.push({ field: 'at', reason: `must be today (${today}) or earlier: the stock on hand is declared at a past date` });
  if (isIsoDate(draft.at)) {
    const first = draft.at.slice(0, 7);
    const last = addPeriods(first, MAX_SUPPLY_PERIODS - 1);
    const seen = new Map<string, number>();
    draft.expected.forEach((e, i) => {
      if (!isPeriod(e.period)) return;
      if (e.period < first || e.period > last) errors.push({ field: `expected[${i}].period`, reason: `must be a period from ${first} (the stock date's) to ${last}` });
      const before = seen.get(e.period);
      if (before !== undefined) errors.push({ field: `expected[${i}].period`, reason: `repeats expected[${before}].period` });
      else seen.set(e.period, i);
    });
  }
  if (errors.length > 0) {
    return fail({ code: 'SUPPLY_DECLARATION_INVALID', params: { fields: errors.map((e) => e.field) }, errors });
  }
  const expected = [...draft.expected].map((e) => ({ period: e.period, units: e.units })).sort((a, b) => (a.period < b.period ? -1 : 1));
  return ok({ stockUnits: draft.stockUnits, at: draft.at, expected, pharmacyStockUnits: draft.pharmacyStockUnits ?? null });
}
