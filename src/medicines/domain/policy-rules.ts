import { ErrorParams, FieldReason } from '../../common/domain/domain-error';
import { isIsoDate } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';

export interface PolicyDraft {
  effectiveFrom: string;
  mode: 'unrestricted' | 'freed-stock' | 'capped';
  monthlyCap?: number | null;
  quotaPool?: number;
  indications: { code: string; kind: 'urgent' | 'quota' | 'open' }[];
}

export interface PolicyVersionDates {
  version: number;
  effectiveFrom: string;
}

/**
 * Checks a new policy version against the medicine and the versions already published (SPEC §3):
 * a version takes effect strictly after the latest one and not before today; `capped` needs a
 * monthly cap that holds the quota pool; a quota pool needs a `quota` indication; indications
 * are the medicine's own, each once.
 */
export function checkPolicyDraft(draft: PolicyDraft, medicineIndications: string[], published: PolicyVersionDates[], today: string): Result<PolicyDraft, { code: 'POLICY_INVALID' | 'POLICY_EFFECTIVE_DATE_CONFLICT' | 'POLICY_EFFECTIVE_IN_PAST' | 'UNKNOWN_INDICATION'; params: ErrorParams; errors: FieldReason[] }> {
  const errors: FieldReason[] = [];
  if (!isIsoDate(draft.effectiveFrom)) errors.push({ field: 'effectiveFrom', reason: 'must be a real calendar date YYYY-MM-DD' });
  if (draft.mode === 'capped' && (draft.monthlyCap === undefined || draft.monthlyCap === null)) errors.push({ field: 'monthlyCap', reason: 'is required in capped mode' });
  if (draft.mode !== 'capped' && draft.monthlyCap !== undefined && draft.monthlyCap !== null) errors.push({ field: 'monthlyCap', reason: `applies only to capped mode, not ${draft.mode}` });
  const pool = draft.quotaPool ?? 0;
  if (draft.mode === 'capped' && typeof draft.monthlyCap === 'number' && pool > draft.monthlyCap) errors.push({ field: 'quotaPool', reason: `must not exceed monthlyCap (${pool} > ${draft.monthlyCap})` });
  const hasQuota = draft.indications.some((i) => i.kind === 'quota');
  if (pool > 0 && !hasQuota) errors.push({ field: 'quotaPool', reason: 'needs at least one quota indication' });
  if (hasQuota && pool === 0 && draft.mode !== 'unrestricted') errors.push({ field: 'quotaPool', reason: 'must be above 0 when a quota indication is enabled' });
  const seen = new Set<string>();
  draft.indications.forEach((ind, i) => {
    if (seen.has(ind.code)) errors.push({ field: `indications[${i}].code`, reason: `${ind.code} is listed twice` });
    seen.add(ind.code);
  });
  if (errors.length > 0) return fail({ code: 'POLICY_INVALID', params: { fields: errors.map((e) => e.field) }, errors });
  const unknown = draft.indications.map((ind, i) => ({ ind, i })).filter(({ ind }) => !medicineIndications.includes(ind.code));
  if (unknown.length > 0) {
    return fail({
      code: 'UNKNOWN_INDICATION',
      params: { indications: unknown.map((u) => u.ind.code) },
      errors: unknown.map(({ ind, i }) => ({ field: `indications[${i}].code`, reason: `${ind.code} is not an indication of this medicine` })),
    });
  }
  const latest = [...published].sort((a, b) => b.version - a.version)[0];
  if (latest && draft.effectiveFrom <= latest.effectiveFrom) {
    return fail({
      code: 'POLICY_EFFECTIVE_DATE_CONFLICT',
      params: { latestVersion: latest.version, latestFrom: latest.effectiveFrom, effectiveFrom: draft.effectiveFrom },
      errors: [{ field: 'effectiveFrom', reason: `must be after ${latest.effectiveFrom}, the latest version's date` }],
    });
  }
  if (draft.effectiveFrom < today) {
    return fail({
      code: 'POLICY_EFFECTIVE_IN_PAST',
      params: { effectiveFrom: draft.effectiveFrom, today },
      errors: [{ field: 'effectiveFrom', reason: `must be today (${today}) or later` }],
    });
  }
  return ok(draft);
}

/** The version in force on a date: the latest whose effective date is on or before it. */
export function versionInForce<T extends PolicyVersionDates>(versions: T[], date: string): T | null {
  let best: T | null = null;
  for (const v of versions) if (v.effectiveFrom <= date && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}
