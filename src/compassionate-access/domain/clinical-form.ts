import type { FieldReason } from '../../common/domain/domain-error';
import { fail, ok, type Result } from '../../common/domain/result';

/** How one field of a scheme's clinical form is checked (SPEC §9: the clinical form as named fields). */
export type FieldSpec =
  | { kind: 'integer'; min: number; max: number }
  /** A number above `min` (exclusive) and at most `max`. */
  | { kind: 'positive'; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  /** Free text, e.g. a MedDRA term or a case number. */
  | { kind: 'text'; maxLength: number }
  /** Distinct snake_case identifiers, an open list (e.g. prior treatments). */
  | { kind: 'tags' }
  /** A list of objects whose fields are required unless named in `optional`; `uniqueBy` names a field that may not repeat. */
  | { kind: 'list'; item: Readonly<Record<string, FieldSpec>>; uniqueBy?: string; optional?: readonly string[] };

export type ClinicalFormSpec = Readonly<Record<string, FieldSpec>>;

export type ClinicalValue = number | boolean | string | string[] | Record<string, number | boolean | string>[];

/** A checked clinical form. Absent or null fields are left out: the criteria then judge them `unknown`. */
export type ClinicalForm = Readonly<Record<string, ClinicalValue>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reasonFor(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'integer':
      return `must be an integer from ${spec.min} to ${spec.max}`;
    case 'positive':
      return `must be a positive number up to ${spec.max}`;
    case 'boolean':
      return 'must be true or false';
    case 'enum':
      return `must be one of ${spec.values.join(', ')}`;
    case 'text':
      return `must be a text of 1 to ${spec.maxLength} characters`;
    case 'tags':
      return 'must be a list of distinct snake_case names';
    case 'list':
      return 'must be a list of objects';
  }
}

function checkValue(spec: FieldSpec, value: unknown, field: string, reasons: FieldReason[]): ClinicalValue | undefined {
  const bad = (): undefined => {
    reasons.push({ field, reason: reasonFor(spec) });
    return undefined;
  };
  switch (spec.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max ? value : bad();
    case 'positive':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= spec.max ? value : bad();
    case 'boolean':
      return typeof value === 'boolean' ? value : bad();
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? value : bad();
    case 'text':
      return typeof value === 'string' && value.trim() !== '' && value.length <= spec.maxLength ? value : bad();
    case 'tags': {
      if (!Array.isArray(value)) return bad();
      const ok = value.every((v) => typeof v === 'string' && /^[a-z][a-z0-9_]*$/.test(v)) && new Set(value).size === value.length;
      return ok ? (value as string[]) : bad();
    }
    case 'list': {
      if (!Array.isArray(value)) return bad();
      const items: Record<string, number | boolean | string>[] = [];
      const seen = new Set<unknown>();
      value.forEach((item: unknown, i) => {
        const at = `${field}[${i}]`;
        if (!isPlainObject(item)) {
          reasons.push({ field: at, reason: 'must be an object' });
          return;
        }
        const out: Record<string, number | boolean | string> = {};
        for (const key of Object.keys(item)) {
          if (!(key in spec.item)) reasons.push({ field: `${at}.${key}`, reason: 'is not a known field' });
        }
        for (const [name, itemSpec] of Object.entries(spec.item)) {
          const v = item[name];
          if (v === undefined || v === null) {
            if (!(spec.optional ?? []).includes(name)) reasons.push({ field: `${at}.${name}`, reason: 'is required' });
            continue;
          }
          const checked = checkValue(itemSpec, v, `${at}.${name}`, reasons);
          if (checked !== undefined) out[name] = checked as number | boolean | string;
        }
        if (spec.uniqueBy !== undefined && item[spec.uniqueBy] !== undefined) {
          const key = item[spec.uniqueBy];
          if (seen.has(key)) reasons.push({ field: `${at}.${spec.uniqueBy}`, reason: `repeats ${String(key)}` });
          seen.add(key);
        }
        items.push(out);
      });
      return items;
    }
  }
}

/**
 * Checks a clinical form against its scheme's field list (SPEC §9, §10: unknown fields refused):
 * every wrong type, out-of-range value or unknown field is reported with its path, e.g.
 * `clinical.organScores[0].score` "must be an integer from 0 to 3". Missing and null fields are allowed.
 */
export function validateClinicalForm(
  scheme: { form: ClinicalFormSpec },
  input: unknown,
  field = 'clinical',
): Result<ClinicalForm, FieldReason[]> {
  if (!isPlainObject(input)) return fail([{ field, reason: 'must be an object' }]);
  const reasons: FieldReason[] = [];
  const out: Record<string, ClinicalValue> = {};
  for (const key of Object.keys(input)) {
    if (!(key in scheme.form)) reasons.push({ field: `${field}.${key}`, reason: 'is not a known field' });
  }
  for (const [name, spec] of Object.entries(scheme.form)) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    const checked = checkValue(spec, value, `${field}.${name}`, reasons);
    if (checked !== undefined) out[name] = checked;
  }
  return reasons.length > 0 ? fail(reasons) : ok(out);
}
