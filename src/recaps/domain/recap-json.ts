import { FieldReason } from '../../common/domain/domain-error';
import {
  DEFAULT_MAX_RECAP_LINES,
  RecapRow,
  RecapRuleOptions,
  RecapRules,
  checkAdministrationDates,
  checkAdministrationsCount,
  checkPatientValue,
  checkVialsCount,
} from './recap-rows';

/** What a JSON recap gave: the valid rows (only when there is no error), every refusal, the medicine and period. */
export interface RecapJsonValidation {
  lines: number;
  rows: RecapRow[];
  errors: FieldReason[];
  errorCount: number;
  tooLarge: boolean;
  /** `patients` is an empty array. */
  empty: boolean;
  periodMismatchOnly: boolean;
  medicine: string | null;
  period: string | null;
}

/** Unknown fields are refused, as everywhere in the API (SPEC §10). */
const BODY_FIELDS = new Set(['medicine', 'period', 'patients']);
const LINE_FIELDS = new Set(['patient', 'administrations', 'vials']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the JSON form of a monthly recap (SPEC §5, §11 recaps row):
 * `{ medicine, period, patients: [{ patient, administrations, vials }] }`, with the rules of the
 * CSV lines. `administrations` is a whole number or an array of dates `YYYY-MM-DD` in the period.
 * Fields are named like `patients[3].vials`; `rows` is empty when anything is refused.
 */
export function validateRecapJson(body: unknown, options: RecapRuleOptions = {}): RecapJsonValidation {
  const rules = new RecapRules(options);
  const maxLines = options.maxLines ?? DEFAULT_MAX_RECAP_LINES;
  const rows: RecapRow[] = [];
  const done = (lines: number, tooLarge = false, empty = false): RecapJsonValidation => ({
    lines,
    rows: rules.errorCount > 0 ? [] : rows,
    errors: rules.errors.map(({ field, reason }) => ({ field, reason })),
    errorCount: rules.errorCount,
    tooLarge,
    empty,
    periodMismatchOnly: rules.errorCount > 0 && rules.mismatchCount === rules.errorCount,
    medicine: rules.medicine,
    period: rules.period,
  });

  if (!isRecord(body)) {
    rules.addError(0, 'body', 'must be an object { medicine, period, patients }');
    return done(0);
  }
  for (const name of Object.keys(body)) if (!BODY_FIELDS.has(name)) rules.addError(0, name, 'is not a known field');
  rules.checkMedicine(typeof body.medicine === 'string' ? body.medicine : '', 0, 'medicine');
  const period = rules.checkPeriod(typeof body.period === 'string' ? body.period : '', 0, 'period');
  const patients = body.patients;
  if (!Array.isArray(patients)) {
    rules.addError(0, 'patients', 'must be an array of { patient, administrations, vials }');
    return done(0);
  }
  if (patients.length === 0) {
    rules.addError(0, 'patients', 'must list at least one patient');
    return done(0, false, true);
  }
  if (patients.length > maxLines) {
    rules.addError(0, 'patients', `must list at most ${maxLines} patients (got ${patients.length})`);
    return done(patients.length, true);
  }

  patients.forEach((item: unknown, index) => {
    const at = `patients[${index}]`;
    if (!isRecord(item)) {
      rules.addError(index, at, 'must be an object { patient, administrations, vials }');
      return;
    }
    for (const name of Object.keys(item)) if (!LINE_FIELDS.has(name)) rules.addError(index, `${at}.${name}`, 'is not a known field');
    const patient = typeof item.patient === 'string' ? checkPatientValue(item.patient) : { ok: false as const, reason: 'must be a string: a NIR or a pseudonym' };
    if (!patient.ok) rules.addError(index, `${at}.patient`, patient.reason);
    const administrations = readAdministrations(item.administrations, period ?? rules.period);
    if (!administrations.ok) rules.addError(index, `${at}.administrations`, administrations.reason);
    const vials = typeof item.vials === 'number' ? checkVialsCount(item.vials) : { ok: false as const, reason: 'must be a whole number of 0 or more' };
    if (!vials.ok) rules.addError(index, `${at}.vials`, vials.reason);
    if (patient.ok) rules.checkUnique(patient.value.patient, patient.value.kind, index, `${at}.patient`, (first) => `patients[${first}]`);
    if (!patient.ok || !administrations.ok || !vials.ok || rules.errorCount > 0) return;
    rows.push({
      line: index,
      patient: patient.value.patient,
      patientKind: patient.value.kind,
      administrations: administrations.count,
      administrationDates: administrations.dates,
      vials: vials.value,
    });
  });
  return done(patients.length);
}

type Administrations = { ok: true; count: number; dates: string[] | null } | { ok: false; reason: string };

function readAdministrations(value: unknown, period: string | null): Administrations {
  if (typeof value === 'number') {
    const count = checkAdministrationsCount(value);
    return count.ok ? { ok: true, count: count.value, dates: null } : count;
  }
  if (Array.isArray(value)) {
    if (!value.every((d): d is string => typeof d === 'string')) return { ok: false, reason: 'must list dates as strings YYYY-MM-DD' };
    const dates = checkAdministrationDates(value, period);
    return dates.ok ? { ok: true, count: dates.value.length, dates: dates.value } : dates;
  }
  return { ok: false, reason: 'must be a whole number of 0 or more, or an array of dates YYYY-MM-DD' };
}
