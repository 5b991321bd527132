import { addPeriods, periodBounds } from '../../common/domain/period';
import {
  Dose,
  DosingSchedule,
  MaintenanceDoseChange,
  administrationsInPeriod,
  doseMg,
  vialsForDose,
  vialsNeeded,
} from '../../medicines/domain/dosing-schedule';

/** A continuing treatment as the projection needs it: day 1 of its schedule, the patient's weight, and a stop already declared after the stock date. */
export interface CohortTreatment {
  startDate: string;
  weightKg: number;
  /** Exclusive: no administration on or after it. */
  stopDate?: string | null;
}

/** A declared treatment of the stop history (active or stopped). */
export interface HistoryTreatment {
  startDate: string;
  stopDate: string | null;
  stopReason: string | null;
}

/** Units expected from the lab in a period (SPEC §8b). */
export interface SupplyExpectation {
  period: string;
  units: number;
}

export interface StopRate {
  /** Expected share of continuing patients who stop in a month, 0…1. */
  monthly: number;
  /** Stops (transfers excluded: the patient goes on elsewhere) declared in the window. */
  stops: number;
  /** Treatments active on the first day of each period of the window, summed. */
  patientMonths: number;
  /** First and last period of the window. */
  from: string;
  to: string;
}

export const STOP_HISTORY_MONTHS = 12;

/**
 * The monthly stop rate read off the declared history (issue 18: "a rate from the declared stop
 * history, stated"): stops dated in the `months` periods before `beforePeriod`, divided by the
 * patient-months at risk (each period counts the treatments active on its first day).
 * No exposure gives 0, so the projection never invents stops.
 */
export function observedStopRate(history: readonly HistoryTreatment[], beforePeriod: string, months = STOP_HISTORY_MONTHS): StopRate {
  const from = addPeriods(beforePeriod, -months);
  const to = addPeriods(beforePeriod, -1);
  const windowFirst = `${from}-01`;
  const windowEnd = `${beforePeriod}-01`;
  const firsts: string[] = [];
  for (let i = 0; i < months; i++) firsts.push(`${addPeriods(from, i)}-01`);
  let stops = 0;
  let patientMonths = 0;
  for (const t of history) {
    if (t.stopDate !== null && t.stopDate >= windowFirst && t.stopDate < windowEnd && t.stopReason !== 'transfer') stops++;
    for (const first of firsts) if (t.startDate <= first && (t.stopDate === null || t.stopDate > first)) patientMonths++;
  }
  const monthly = patientMonths > 0 ? Math.min(1, stops / patientMonths) : 0;
  return { monthly, stops, patientMonths, from, to };
}

export interface ProjectionInput {
  /** Date of the declared stock (YYYY-MM-DD): the projection starts that day, in its period. */
  at: string;
  /** Number of periods projected, the first being the period of `at`. */
  horizon: number;
  /** Units on hand on `at` (national stock, plus the pharmacies' when declared). */
  stockUnits: number;
  expected: readonly SupplyExpectation[];
  schedule: DosingSchedule;
  maintenanceDoseChanges?: readonly MaintenanceDoseChange[];
  /** Treatments continuing after `at` (stopped after it: with their stop date). */
  active: readonly CohortTreatment[];
  /** 0…1 (observedStopRate). */
  monthlyStopRate: number;
  /** Weight assumed for a new patient (the mean weight of the active cohort, say). */
  newPatientWeightKg: number;
  /** Initiations per period at the current pace (the published cap, or the observed starts). */
  paceInitiations: number;
}

export interface ProjectedPeriod {
  period: string;
  /** Units the continuing patients need in the period (their administrations, vials rounded per administration, less expected stops), rounded up. */
  continuationUnits: number;
  /** Units the initiations at the current pace need in the period (each new patient's induction, then maintenance). */
  initiationUnits: number;
  supplyUnits: number;
  /** Stock at the end of the period at the current pace (negative: units missing). */
  stockAfter: number;
  /** Continuing patients expected at the start of the period. */
  continuingPatients: number;
  /** Stock at the end of the period with continuations only. */
  stockAfterContinuations: number;
  /** Units the initiations at the sustainable cap need in the period. */
  sustainableInitiationUnits: number;
}

export type ExplanationCode = 'PROJECTION_SUSTAINS' | 'PROJECTION_STOCK_OUT_AT_PACE' | 'PROJECTION_CONTINUATIONS_SHORT' | 'PROJECTION_UNBOUNDED';

export interface Explanation {
  code: ExplanationCode;
  params: Record<string, string | number>;
}

export interface Projection {
  /** Largest number of initiations a period that the stock sustains over the horizon with every continuation covered; null when none of the schedule falls in the horizon. */
  sustainableMonthlyInitiations: number | null;
  /** First period whose stock ends below zero at the current pace, or null. */
  stockOutPeriod: string | null;
  /** First period whose stock ends below zero with continuations alone, or null. */
  continuationStockOutPeriod: string | null;
  /** The period that binds the sustainable cap. */
  tightestPeriod: string | null;
  periods: ProjectedPeriod[];
  explanation: Explanation;
}

const EPSILON = 1e-9;
const MS_PER_DAY = 86_400_000;

/**
 * Continuations first, by the stock (SPEC §4 rule 1, §8b, issue 18). For each period of the
 * horizon: the continuing patients' units (each active treatment's administrations in the period,
 * from `at` on, vials rounded per administration as SPEC §6, times the share expected to remain
 * after the monthly stop rate), the expected supply (usable in its own period), and the stock left.
 * The sustainable cap N is the largest number of initiations a period such that, each new patient
 * starting on the first day of its period (on `at` in the first) and counted from its induction
 * through maintenance to the horizon's end without stopping, the stock never ends a period below
 * zero: N = min over periods p of floor(available(p) / units one initiation a period takes up to p),
 * and 0 as soon as continuations alone exhaust the stock.
 */
export function projectSupply(input: ProjectionInput): Projection {
  const { at, horizon, schedule } = input;
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be an integer ≥ 1, got ${horizon}`);
  if (!(input.monthlyStopRate >= 0 && input.monthlyStopRate <= 1)) throw new RangeError(`monthlyStopRate must be within 0…1, got ${input.monthlyStopRate}`);
  const changes = input.maintenanceDoseChanges ?? [];
  const first = at.slice(0, 7);
  const periods = Array.from({ length: horizon }, (_, i) => addPeriods(first, i));
  const supply = new Map<string, number>();
  for (const e of input.expected) supply.set(e.period, (supply.get(e.period) ?? 0) + e.units);

  const rawContinuation = cohortVials(input.active, schedule, changes, at, periods);
  const survival = periods.map((_, k) => (1 - input.monthlyStopRate) ** k);
  const continuation = rawContinuation.map((units, k) => Math.max(0, Math.ceil(units * (survival[k] ?? 1) - EPSILON)));

  // Units in period q of one new patient starting in each period s ≤ q.
  const perInitiation = periods.map(() => 0);
  periods.forEach((startPeriod, s) => {
    const startDate = s === 0 ? at : `${startPeriod}-01`;
    for (let q = s; q < horizon; q++) {
      const period = periods[q] as string;
      const units = vialsNeeded(administrationsInPeriod({ schedule, startDate, weightKg: input.newPatientWeightKg, period, maintenanceDoseChanges: changes }));
      perInitiation[q] = (perInitiation[q] ?? 0) + units;
    }
  });

  let available = input.stockUnits;
  let cumulativeInitiation = 0;
  let cap: number | null = null;
  let tightestPeriod: string | null = null;
  let continuationStockOutPeriod: string | null = null;
  const availableAt: number[] = [];
  const cumulativeAt: number[] = [];
  periods.forEach((period, k) => {
    available += (supply.get(period) ?? 0) - (continuation[k] ?? 0);
    cumulativeInitiation += perInitiation[k] ?? 0;
    availableAt.push(available);
    cumulativeAt.push(cumulativeInitiation);
    if (available < 0 && continuationStockOutPeriod === null) continuationStockOutPeriod = period;
    if (cumulativeInitiation > 0) {
      const here = Math.max(0, Math.floor(available / cumulativeInitiation));
      if (cap === null || here < cap) {
        cap = here;
        tightestPeriod = period;
      }
    }
  });
  if (continuationStockOutPeriod !== null) {
    cap = 0;
    tightestPeriod = continuationStockOutPeriod;
  }

  const pace = input.paceInitiations;
  let stockOutPeriod: string | null = null;
  const rows: ProjectedPeriod[] = periods.map((period, k) => {
    const stockAfter = (availableAt[k] ?? 0) - pace * (cumulativeAt[k] ?? 0);
    if (stockAfter < 0 && stockOutPeriod === null) stockOutPeriod = period;
    return {
      period,
      continuationUnits: continuation[k] ?? 0,
      initiationUnits: pace * (perInitiation[k] ?? 0),
      supplyUnits: supply.get(period) ?? 0,
      stockAfter,
      continuingPatients: Math.round(input.active.length * (survival[k] ?? 1) * 10) / 10,
      stockAfterContinuations: availableAt[k] ?? 0,
      sustainableInitiationUnits: (cap ?? 0) * (perInitiation[k] ?? 0),
    };
  });

  const last = periods[periods.length - 1] as string;
  const totalSupply = periods.reduce((sum, p) => sum + (supply.get(p) ?? 0), 0);
  const totalContinuation = continuation.reduce((sum, u) => sum + u, 0);
  const params: Record<string, string | number> = {
    stock: input.stockUnits,
    at,
    supply: totalSupply,
    horizon,
    first,
    last,
    patients: input.active.length,
    stopRatePct: Math.round(input.monthlyStopRate * 1000) / 10,
    continuation: totalContinuation,
    pace,
  };
  let explanation: Explanation;
  if (continuationStockOutPeriod !== null) explanation = { code: 'PROJECTION_CONTINUATIONS_SHORT', params: { ...params, stockOut: continuationStockOutPeriod } };
  else if (cap === null) explanation = { code: 'PROJECTION_UNBOUNDED', params };
  else if (stockOutPeriod !== null) explanation = { code: 'PROJECTION_STOCK_OUT_AT_PACE', params: { ...params, cap, tightest: tightestPeriod ?? last, stockOut: stockOutPeriod } };
  else explanation = { code: 'PROJECTION_SUSTAINS', params: { ...params, cap, tightest: tightestPeriod ?? last } };

  return { sustainableMonthlyInitiations: cap, stockOutPeriod, continuationStockOutPeriod, tightestPeriod, periods: rows, explanation };
}

/**
 * Units per period of the active cohort, before stops. Treatments with the same vials for every
 * dose of the schedule and the same administration dates in the horizon need the same units, so
 * they are grouped: a start deep in maintenance is moved forward by whole maintenance intervals
 * to the last one before `at` (the dates from `at` on do not change), which leaves a few hundred
 * groups for tens of thousands of treatments.
 */
function cohortVials(
  active: readonly CohortTreatment[],
  schedule: DosingSchedule,
  changes: readonly MaintenanceDoseChange[],
  at: string,
  periods: readonly string[],
): number[] {
  const doses: Dose[] = [...schedule.administrations, ...(schedule.maintenance ? [schedule.maintenance] : []), ...changes];
  const atDay = epochDay(at);
  const m = schedule.maintenance;
  const groups = new Map<string, { startDate: string; weightKg: number; stopDate: string | null; count: number }>();
  const canonical = new Map<string, string>();
  for (const t of active) {
    let startDate = canonical.get(t.startDate);
    if (startDate === undefined) {
      startDate = t.startDate;
      if (m) {
        const firstMaintenance = epochDay(t.startDate) + m.fromDay - 1;
        if (firstMaintenance < atDay) {
          const k = Math.floor((atDay - firstMaintenance) / m.everyDays);
          startDate = dateOfEpochDay(epochDay(t.startDate) + k * m.everyDays);
        }
      }
      canonical.set(t.startDate, startDate);
    }
    const stopDate = t.stopDate ?? null;
    const key = `${startDate}|${stopDate ?? ''}|${doses.map((d) => vialsForDose(doseMg(d, t.weightKg), schedule.unitMg)).join(',')}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { startDate, weightKg: t.weightKg, stopDate, count: 1 });
  }
  const units = periods.map(() => 0);
  for (const g of groups.values()) {
    periods.forEach((period, k) => {
      const vials = vialsNeeded(administrationsInPeriod({ schedule, startDate: g.startDate, weightKg: g.weightKg, period, activeFrom: at, stopDate: g.stopDate, maintenanceDoseChanges: changes }));
      units[k] = (units[k] ?? 0) + vials * g.count;
    });
  }
  return units;
}

/** Mean weight of a cohort to one decimal, the weight assumed for a new patient; `fallbackKg` for an empty cohort. */
export function meanWeightKg(cohort: readonly { weightKg: number }[], fallbackKg: number): number {
  if (cohort.length === 0) return fallbackKg;
  return Math.round((cohort.reduce((sum, t) => sum + t.weightKg, 0) / cohort.length) * 10) / 10;
}

/** Treatments started per period over the `months` periods before `beforePeriod`, rounded up (the observed pace). */
export function observedInitiationPace(history: readonly { startDate: string }[], beforePeriod: string, months = 3): number {
  const from = `${addPeriods(beforePeriod, -months)}-01`;
  const to = periodBounds(addPeriods(beforePeriod, -1)).last;
  const started = history.filter((t) => t.startDate >= from && t.startDate <= to).length;
  return Math.ceil(started / months - EPSILON);
}

function epochDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

function dateOfEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
