import { FieldReason } from '../../common/domain/domain-error';
import { isIsoDate, isPeriod } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';

/** A dose is either per kilogram of the patient's weight or a fixed amount, never both (SPEC §6). */
export type Dose =
  | { readonly doseMgPerKg: number; readonly doseMg?: undefined }
  | { readonly doseMg: number; readonly doseMgPerKg?: undefined };

/** One administration of the induction: `day` 1 is the first dose; day N is N − 1 days after day 1. */
export type ScheduledAdministration = { readonly day: number } & Dose;

/** Open-ended maintenance: days `fromDay`, `fromDay + everyDays`, … for as long as the treatment lasts. */
export type Maintenance = { readonly fromDay: number; readonly everyDays: number } & Dose;

/**
 * A dosing schedule as data (SPEC §6), as the agency publishes it in a policy version.
 * `administrations` are strictly increasing days, all before `maintenance.fromDay`;
 * `unitMg` is the strength of one dispensed unit (a single-use vial, or a tablet).
 */
export interface DosingSchedule {
  readonly administrations: readonly ScheduledAdministration[];
  readonly maintenance?: Maintenance;
  readonly unitMg: number;
}

/** A maintenance dose that applies to maintenance administrations dated `from` or later (a policy change). */
export type MaintenanceDoseChange = { readonly from: string } & Dose;

/** An administration that falls in a period, with its dose and the units (vials) it takes. */
export interface PlannedAdministration {
  date: string;
  day: number;
  doseMg: number;
  vials: number;
}

const BELATACEPT_INDUCTION: readonly ScheduledAdministration[] = [1, 5, 14, 28, 56, 84].map((day) => ({ day, doseMgPerKg: 10 }));

/** Belatacept, French label: 10 mg/kg days 1, 5, 14, 28, 56, 84; 5 mg/kg every 28 days from day 112; 250 mg vials. */
export const BELATACEPT_SCHEDULE_5: DosingSchedule = {
  administrations: BELATACEPT_INDUCTION,
  maintenance: { fromDay: 112, everyDays: 28, doseMgPerKg: 5 },
  unitMg: 250,
};

/** Belatacept with the new manufacturing process: maintenance at 6 mg/kg (demo data: policy version 2022-08). */
export const BELATACEPT_SCHEDULE_6: DosingSchedule = {
  administrations: BELATACEPT_INDUCTION,
  maintenance: { fromDay: 112, everyDays: 28, doseMgPerKg: 6 },
  unitMg: 250,
};

/** Belumosudil (SPEC §9): 200 mg once daily, every day from day 1; 200 mg tablets. */
export const BELUMOSUDIL_SCHEDULE: DosingSchedule = {
  administrations: [],
  maintenance: { fromDay: 1, everyDays: 1, doseMg: 200 },
  unitMg: 200,
};

/** Tofersen (SPEC §9): 100 mg on days 1, 15 and 29, then every 28 days (day 57, 85, …); 100 mg vials. */
export const TOFERSEN_SCHEDULE: DosingSchedule = {
  administrations: [1, 15, 29].map((day) => ({ day, doseMg: 100 })),
  maintenance: { fromDay: 57, everyDays: 28, doseMg: 100 },
  unitMg: 100,
};

// Guards float noise such as 0.3 / 0.1 = 2.9999999999999996 (and its upward twin) without
// changing any real dose: the slack is a billionth of a unit.
const VIAL_EPSILON = 1e-9;

/** Units (vials) for one administration: `ceil(doseMg / unitMg)`, a vial being single-use (SPEC §6). */
export function vialsForDose(doseMg: number, unitMg: number): number {
  if (!Number.isFinite(unitMg) || unitMg <= 0) throw new RangeError(`unitMg must be a positive number, got ${unitMg}`);
  if (!Number.isFinite(doseMg) || doseMg < 0) throw new RangeError(`doseMg must be a non-negative number, got ${doseMg}`);
  return Math.max(0, Math.ceil(doseMg / unitMg - VIAL_EPSILON));
}

/** The dose in mg of one administration for a patient's weight (SPEC §6: "the dose uses the patient's weight"), to the microgram. */
export function doseMg(dose: Dose, weightKg: number): number {
  if (dose.doseMg !== undefined) return dose.doseMg;
  if (!Number.isFinite(weightKg) || weightKg <= 0) throw new RangeError(`weightKg must be a positive number, got ${weightKg}`);
  return Math.round(dose.doseMgPerKg * weightKg * 1000) / 1000;
}

/** Every administration day of a schedule up to `lastDay` included, ascending. */
export function scheduleDays(schedule: DosingSchedule, lastDay: number): number[] {
  return administrationDays(schedule, 1, lastDay);
}

export interface AdministrationsInPeriodInput {
  schedule: DosingSchedule;
  /** Day 1, YYYY-MM-DD. */
  startDate: string;
  weightKg: number;
  /** YYYY-MM. */
  period: string;
  /** Exclusive: nothing on or after this date (stop declared that day; or the transfer date for the establishment left). */
  stopDate?: string | null;
  /** Inclusive: nothing before this date (the transfer date for the establishment that receives the patient). */
  activeFrom?: string | null;
  /** Maintenance doses in force from a date on (e.g. 5 → 6 mg/kg); the latest `from` on or before the date wins. */
  maintenanceDoseChanges?: readonly MaintenanceDoseChange[];
}

/**
 * The administrations of a treatment that fall in a period (SPEC §6: a patient's need for a
 * period is the vials of the administrations that fall in it). Dates are the nominal ones
 * (the label's ± 3 days are ignored). The active window is [activeFrom, stopDate): an
 * administration on the stop date is excluded, so a transfer on date D counts D for the
 * receiving establishment only and no administration is counted twice.
 * Malformed inputs throw: the caller has validated them (DTOs, validateDosingSchedule).
 */
export function administrationsInPeriod(input: AdministrationsInPeriodInput): PlannedAdministration[] {
  const { schedule, startDate, weightKg, period } = input;
  if (!isIsoDate(startDate)) throw new RangeError(`startDate must be YYYY-MM-DD, got ${startDate}`);
  if (!isPeriod(period)) throw new RangeError(`period must be YYYY-MM, got ${period}`);
  const start = epochDay(startDate);
  const periodFirst = epochDay(`${period}-01`);
  const periodLast = epochDayOfMonthEnd(period);
  let lo = Math.max(1, periodFirst - start + 1);
  let hi = periodLast - start + 1;
  if (input.activeFrom) lo = Math.max(lo, epochDay(checkedDate(input.activeFrom, 'activeFrom')) - start + 1);
  if (input.stopDate) hi = Math.min(hi, epochDay(checkedDate(input.stopDate, 'stopDate')) - start);
  const changes = [...(input.maintenanceDoseChanges ?? [])].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const induction = new Map(schedule.administrations.map((a) => [a.day, a] as const));
  return administrationDays(schedule, lo, hi).map((day) => {
    const date = dateOfEpochDay(start + day - 1);
    const dose = induction.get(day) ?? maintenanceDoseOn(schedule, date, changes);
    const mg = doseMg(dose, weightKg);
    return { date, day, doseMg: mg, vials: vialsForDose(mg, schedule.unitMg) };
  });
}

/** Total units (vials) of a list of administrations. */
export function vialsNeeded(administrations: readonly PlannedAdministration[]): number {
  return administrations.reduce((sum, a) => sum + a.vials, 0);
}

/**
 * Maintenance dose changes read off successive policy versions (SPEC §3: a version governs from
 * its date), one per version whose schedule has a maintenance dose, ascending by date.
 */
export function maintenanceDoseChangesFrom(
  versions: readonly { effectiveFrom: string; schedule: DosingSchedule | null | undefined }[],
): MaintenanceDoseChange[] {
  const changes: MaintenanceDoseChange[] = [];
  for (const v of versions) {
    const m = v.schedule?.maintenance;
    if (!m) continue;
    changes.push(m.doseMg !== undefined ? { from: v.effectiveFrom, doseMg: m.doseMg } : { from: v.effectiveFrom, doseMgPerKg: m.doseMgPerKg });
  }
  return changes.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

function maintenanceDoseOn(schedule: DosingSchedule, date: string, sortedChanges: readonly MaintenanceDoseChange[]): Dose {
  let dose: Dose | undefined = schedule.maintenance;
  for (const change of sortedChanges) if (change.from <= date) dose = change;
  if (!dose) throw new Error('a maintenance day was produced for a schedule without maintenance');
  return dose;
}

function administrationDays(schedule: DosingSchedule, lo: number, hi: number): number[] {
  const days: number[] = [];
  for (const a of schedule.administrations) if (a.day >= lo && a.day <= hi) days.push(a.day);
  const m = schedule.maintenance;
  if (m && hi >= m.fromDay) {
    const k = Math.max(0, Math.ceil((lo - m.fromDay) / m.everyDays));
    for (let day = m.fromDay + k * m.everyDays; day <= hi; day += m.everyDays) days.push(day);
  }
  return days.sort((a, b) => a - b);
}

const MS_PER_DAY = 86_400_000;
const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})$/;

function epochDay(date: string): number {
  const m = DATE_PARTS.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
}

function epochDayOfMonthEnd(period: string): number {
  const [y, mo] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
  return Date.UTC(y, mo, 0) / MS_PER_DAY;
}

function dateOfEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function checkedDate(value: string, name: string): string {
  if (!isIsoDate(value)) throw new RangeError(`${name} must be YYYY-MM-DD, got ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Validation of a published schedule (JSON from the agency).

const MAX_DAY = 36_500;

/**
 * Checks a dosing schedule published as JSON (SPEC §6, §10: unknown fields refused) and returns
 * a clean copy, or every field-level reason. `path` prefixes the field names (default `schedule`,
 * as in a policy body; pass '' for a bare schedule).
 */
export function validateDosingSchedule(input: unknown, path = 'schedule'): Result<DosingSchedule, FieldReason[]> {
  const at = (name: string): string => (path ? `${path}.${name}` : name);
  const errors: FieldReason[] = [];
  if (!isRecord(input)) return fail([{ field: path, reason: 'must be an object with administrations, maintenance and unitMg' }]);
  unknownKeys(input, ['administrations', 'maintenance', 'unitMg'], at, errors);

  const unitMg = input.unitMg;
  if (!isPositiveNumber(unitMg)) errors.push({ field: at('unitMg'), reason: 'must be a positive number (mg in one unit)' });

  const administrations: ScheduledAdministration[] = [];
  let previousDay = 0;
  if (!Array.isArray(input.administrations)) {
    errors.push({ field: at('administrations'), reason: 'must be a list (possibly empty) of { day, doseMgPerKg | doseMg }' });
  } else {
    input.administrations.forEach((raw: unknown, i: number) => {
      const f = (name: string): string => at(`administrations[${i}]${name ? `.${name}` : ''}`);
      if (!isRecord(raw)) {
        errors.push({ field: f(''), reason: 'must be an object { day, doseMgPerKg | doseMg }' });
        return;
      }
      unknownKeys(raw, ['day', 'doseMgPerKg', 'doseMg'], f, errors);
      const day = raw.day;
      const dose = checkDose(raw, f, errors);
      if (!isDay(day)) {
        errors.push({ field: f('day'), reason: `must be an integer from 1 to ${MAX_DAY}` });
        return;
      }
      if (day <= previousDay) errors.push({ field: f('day'), reason: `must be after day ${previousDay} of the previous administration` });
      previousDay = Math.max(previousDay, day);
      if (dose) administrations.push({ day, ...dose });
    });
  }

  let maintenance: Maintenance | undefined;
  if (input.maintenance !== undefined && input.maintenance !== null) {
    const raw = input.maintenance;
    const f = (name: string): string => at(`maintenance${name ? `.${name}` : ''}`);
    if (!isRecord(raw)) {
      errors.push({ field: f(''), reason: 'must be an object { fromDay, everyDays, doseMgPerKg | doseMg }' });
    } else {
      unknownKeys(raw, ['fromDay', 'everyDays', 'doseMgPerKg', 'doseMg'], f, errors);
      const dose = checkDose(raw, f, errors);
      const { fromDay, everyDays } = raw;
      if (!isDay(fromDay)) errors.push({ field: f('fromDay'), reason: `must be an integer from 1 to ${MAX_DAY}` });
      if (!isInteger(everyDays) || everyDays < 1 || everyDays > 366) errors.push({ field: f('everyDays'), reason: 'must be an integer from 1 to 366' });
      if (isDay(fromDay) && fromDay <= previousDay) {
        errors.push({ field: f('fromDay'), reason: `must be after the last administration (day ${previousDay})` });
      }
      if (dose && isDay(fromDay) && isInteger(everyDays)) maintenance = { fromDay, everyDays, ...dose };
    }
  }

  if (Array.isArray(input.administrations) && input.administrations.length === 0 && (input.maintenance === undefined || input.maintenance === null)) {
    errors.push({ field: at('administrations'), reason: 'a schedule needs at least one administration or a maintenance' });
  }
  if (errors.length > 0 || !isPositiveNumber(unitMg)) return fail(errors);
  return ok(maintenance ? { administrations, maintenance, unitMg } : { administrations, unitMg });
}

function checkDose(raw: Record<string, unknown>, f: (name: string) => string, errors: FieldReason[]): Dose | undefined {
  const { doseMgPerKg, doseMg: mg } = raw;
  if (doseMgPerKg !== undefined && mg !== undefined) {
    errors.push({ field: f('doseMg'), reason: 'give doseMgPerKg or doseMg, not both' });
    return undefined;
  }
  if (doseMgPerKg !== undefined) {
    if (isPositiveNumber(doseMgPerKg)) return { doseMgPerKg };
    errors.push({ field: f('doseMgPerKg'), reason: 'must be a positive number' });
    return undefined;
  }
  if (mg !== undefined) {
    if (isPositiveNumber(mg)) return { doseMg: mg };
    errors.push({ field: f('doseMg'), reason: 'must be a positive number' });
    return undefined;
  }
  errors.push({ field: f('doseMgPerKg'), reason: 'a dose is required: doseMgPerKg or doseMg' });
  return undefined;
}

function unknownKeys(raw: Record<string, unknown>, allowed: readonly string[], f: (name: string) => string, errors: FieldReason[]): void {
  for (const key of Object.keys(raw)) if (!allowed.includes(key)) errors.push({ field: f(key), reason: 'unknown field' });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isDay(value: unknown): value is number {
  return isInteger(value) && value >= 1 && value <= MAX_DAY;
}
