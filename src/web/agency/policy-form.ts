import type { FieldReason } from '../../common/domain/domain-error';
import type { PolicyResponse, PublishPolicyDto } from '../../medicines/dto/policy.dto';
import { optionalNumber, optionalText } from '../forms';

const KINDS = ['urgent', 'quota', 'open'] as const;

/** The publish form's fields → the API's body; an indication is enabled when its kind is chosen. */
export function policyDraftOf(values: Record<string, string>, indicationCodes: string[]): { draft: Record<string, unknown>; enabled: string[] } {
  const enabled = indicationCodes.filter((code) => (KINDS as readonly string[]).includes(values[`kind_${code}`] ?? ''));
  const committee = dropUndefined({ votesRequired: optionalNumber(values.votesRequired), deadlineHours: optionalNumber(values.deadlineHours) });
  const draft = dropUndefined({
    effectiveFrom: values.effectiveFrom ?? '',
    mode: values.mode ?? '',
    monthlyCap: optionalNumber(values.monthlyCap),
    quotaPool: optionalNumber(values.quotaPool),
    indications: enabled.map((code) => ({ code, kind: values[`kind_${code}`] })),
    unusedQuota: optionalText(values.unusedQuota),
    redistribute: values.redistribute === 'on',
    committee: Object.keys(committee).length > 0 ? committee : undefined,
    startWithinDays: optionalNumber(values.startWithinDays),
    orderTolerancePct: optionalNumber(values.orderTolerancePct),
    registrationRequired: values.registrationRequired === 'on',
    orderJustificationRequired: values.orderJustificationRequired === 'on',
    notes: optionalText(values.notes),
  });
  return { draft, enabled };
}

/** Problems named like the API's fields (`committee.votesRequired`, `indications[1].code`) → the form's fields. */
export function policyFieldOf(field: string, enabled: string[]): string {
  const indication = /^indications\[(\d+)\]/.exec(field);
  if (indication) return `kind_${enabled[Number(indication[1])] ?? ''}`;
  if (field.startsWith('committee.')) return field.slice('committee.'.length);
  return field;
}

export function mapPolicyErrors(errors: FieldReason[], enabled: string[]): FieldReason[] {
  return errors.map((e) => ({ ...e, field: policyFieldOf(e.field, enabled) }));
}

/** The latest version's values, as the starting point of the next one. */
export function policyFormDefaults(latest: PolicyResponse | undefined, indicationCodes: string[]): Record<string, string> {
  if (!latest) return { mode: 'unrestricted', unusedQuota: 'lapse' };
  const values: Record<string, string> = {
    effectiveFrom: '',
    mode: latest.mode,
    monthlyCap: latest.monthlyCap === null ? '' : String(latest.monthlyCap),
    quotaPool: String(latest.quotaPool),
    unusedQuota: latest.unusedQuota,
    votesRequired: String(latest.committee.votesRequired),
    deadlineHours: String(latest.committee.deadlineHours),
    startWithinDays: String(latest.startWithinDays),
    orderTolerancePct: String(latest.orderTolerancePct),
    notes: '',
  };
  if (latest.redistribute) values.redistribute = 'on';
  if (latest.registrationRequired) values.registrationRequired = 'on';
  if (latest.orderJustificationRequired) values.orderJustificationRequired = 'on';
  for (const code of indicationCodes) {
    const kind = latest.indications.find((i) => i.code === code)?.kind;
    values[`kind_${code}`] = kind ?? '';
  }
  return values;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type { PublishPolicyDto };
