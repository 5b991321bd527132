import { isIsoDate, isPeriod } from '../../common/domain/period';
import { DosingSchedule, maintenanceDoseChangesFrom, validateDosingSchedule } from '../../medicines/domain/dosing-schedule';
import { CohortTreatment, SupplyExpectation, meanWeightKg, observedStopRate, projectSupply } from '../../supply/domain/projection';
import { checkSupplyDeclaration } from '../../supply/domain/supply-declaration';

/**
 * The supply part of a replay file (issue 18): the lab's declarations and the continuing cohort
 * they are projected on; each declaration gives the sustainable monthly initiations, which replace
 * the published cap of the `capped` versions from the declaration's date on.
 * ```
 * "supply": {
 *   "cohort": [ { "startDate": "2021-03-01", "weightKg": 72, "count"?: 40, "stopDate"?: "2023-01-10" } ],
 *   "stopRatePct"?: 0.5,      monthly; default: read off the cohort's stops (the 12 months before each declaration)
 *   "horizon"?: 12,           periods projected, 1…36
 *   "schedule"?: { … },       default the schedule of the policy in force on the declaration's date
 *   "declarations": [ { "at": "2023-05-01", "stockUnits": 9000, "pharmacyStockUnits"?: 500,
 *                       "expected": [ { "period": "2023-06", "units": 1200 } ] } ] }
 * ```
 */
export interface ReplaySupply {
  cohort: (CohortTreatment & { count: number })[];
  /** Null: the rate observed in the cohort's own stops. */
  stopRatePct: number | null;
  horizon: number;
  schedule?: DosingSchedule;
  declarations: { at: string; stockUnits: number; pharmacyStockUnits: number | null; expected: SupplyExpectation[] }[];
}

export interface SupplyProblem {
  path: string;
  reason: string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const MAX_UNITS = 1_000_000_000;
const MAX_COHORT = 1_000_000;

function known(obj: Obj, path: string, fields: readonly string[], problems: SupplyProblem[]): void {
  for (const key of Object.keys(obj)) if (!fields.includes(key)) problems.push({ path: `${path}.${key}`, reason: `is not a known field (expected one of ${fields.join(', ')})` });
}

/** Checks the `supply` member of a replay file; every problem with its JSON path. */
export function parseReplaySupply(raw: unknown, path = '$.supply'): { supply: ReplaySupply; problems: SupplyProblem[] } {
  const problems: SupplyProblem[] = [];
  const supply: ReplaySupply = { cohort: [], stopRatePct: null, horizon: 12, declarations: [] };
  if (!isObject(raw)) return { supply, problems: [{ path, reason: 'must be an object { cohort, declarations, stopRatePct?, horizon?, schedule? }' }] };
  known(raw, path, ['cohort', 'declarations', 'stopRatePct', 'horizon', 'schedule'], problems);
  if (raw.stopRatePct !== undefined) {
    if (typeof raw.stopRatePct !== 'number' || !(raw.stopRatePct >= 0 && raw.stopRatePct <= 100)) problems.push({ path: `${path}.stopRatePct`, reason: 'must be a number from 0 to 100 (% a month)' });
    else supply.stopRatePct = raw.stopRatePct;
  }
  if (raw.horizon !== undefined) {
    if (!isCount(raw.horizon, 36) || raw.horizon < 1) problems.push({ path: `${path}.horizon`, reason: 'must be an integer from 1 to 36' });
    else supply.horizon = raw.horizon;
  }
  if (raw.schedule !== undefined) {
    const checked = validateDosingSchedule(raw.schedule, '');
    if (!checked.ok) for (const e of checked.error) problems.push({ path: `${path}.schedule${e.field ? `.${e.field}` : ''}`, reason: e.reason });
    else supply.schedule = checked.value;
  }
  if (!Array.isArray(raw.cohort)) problems.push({ path: `${path}.cohort`, reason: 'must be an array of { startDate, weightKg, count?, stopDate? }' });
  else {
    let total = 0;
    raw.cohort.forEach((x: unknown, i: number) => {
      const p = `${path}.cohort[${i}]`;
      if (!isObject(x)) return problems.push({ path: p, reason: 'must be an object { startDate, weightKg, count?, stopDate? }' });
      known(x, p, ['startDate', 'weightKg', 'count', 'stopDate'], problems);
      const ok = { start: typeof x.startDate === 'string' && isIsoDate(x.startDate), weight: typeof x.weightKg === 'number' && x.weightKg > 0 && x.weightKg < 400 };
      if (!ok.start) problems.push({ path: `${p}.startDate`, reason: 'must be a real calendar date YYYY-MM-DD' });
      if (!ok.weight) problems.push({ path: `${p}.weightKg`, reason: 'must be a number of kilograms above 0 and below 400' });
      const count = x.count === undefined ? 1 : x.count;
      if (!isCount(count, MAX_COHORT) || count < 1) problems.push({ path: `${p}.count`, reason: `must be an integer from 1 to ${MAX_COHORT}` });
      const stopDate = x.stopDate === undefined || x.stopDate === null ? null : x.stopDate;
      if (stopDate !== null && !(typeof stopDate === 'string' && isIsoDate(stopDate) && ok.start && stopDate > (x.startDate as string))) {
        problems.push({ path: `${p}.stopDate`, reason: 'must be a real calendar date YYYY-MM-DD after startDate' });
      }
      if (ok.start && ok.weight && isCount(count, MAX_COHORT)) {
        total += count;
        supply.cohort.push({ startDate: x.startDate as string, weightKg: x.weightKg as number, count, stopDate: stopDate as string | null });
      }
      return undefined;
    });
    if (total > MAX_COHORT) problems.push({ path: `${path}.cohort`, reason: `counts at most ${MAX_COHORT} patients in all` });
  }
  if (!Array.isArray(raw.declarations) || raw.declarations.length === 0) problems.push({ path: `${path}.declarations`, reason: 'must be a non-empty array of { at, stockUnits, expected, pharmacyStockUnits? }' });
  else {
    raw.declarations.forEach((x: unknown, i: number) => {
      const p = `${path}.declarations[${i}]`;
      if (!isObject(x)) return problems.push({ path: p, reason: 'must be an object { at, stockUnits, expected, pharmacyStockUnits? }' });
      known(x, p, ['at', 'stockUnits', 'pharmacyStockUnits', 'expected'], problems);
      const before = problems.length;
      if (!isCount(x.stockUnits, MAX_UNITS)) problems.push({ path: `${p}.stockUnits`, reason: `must be an integer from 0 to ${MAX_UNITS}` });
      if (x.pharmacyStockUnits !== undefined && x.pharmacyStockUnits !== null && !isCount(x.pharmacyStockUnits, MAX_UNITS)) problems.push({ path: `${p}.pharmacyStockUnits`, reason: `must be an integer from 0 to ${MAX_UNITS}` });
      const expected: SupplyExpectation[] = [];
      if (!Array.isArray(x.expected)) problems.push({ path: `${p}.expected`, reason: 'must be an array of { period, units }' });
      else {
        x.expected.forEach((e: unknown, j: number) => {
          if (!isObject(e) || typeof e.period !== 'string' || !isPeriod(e.period) || !isCount(e.units, MAX_UNITS)) {
            problems.push({ path: `${p}.expected[${j}]`, reason: `must be { period: YYYY-MM, units: an integer from 0 to ${MAX_UNITS} }` });
          } else expected.push({ period: e.period, units: e.units });
        });
      }
      if (typeof x.at !== 'string') problems.push({ path: `${p}.at`, reason: 'must be a real calendar date YYYY-MM-DD' });
      if (problems.length > before || typeof x.at !== 'string') return undefined;
      // The API's rules, with no "today": a replay may declare at any date.
      const checked = checkSupplyDeclaration({ at: x.at, stockUnits: x.stockUnits as number, expected, pharmacyStockUnits: (x.pharmacyStockUnits as number | null | undefined) ?? null }, '9999-12-31');
      if (!checked.ok) for (const e of checked.error.errors) problems.push({ path: `${p}.${e.field}`, reason: e.reason });
      else supply.declarations.push(checked.value);
      return undefined;
    });
    const dates = supply.declarations.map((d) => d.at);
    if (new Set(dates).size !== dates.length) problems.push({ path: `${path}.declarations`, reason: 'has two declarations on the same date' });
  }
  supply.declarations.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { supply, problems };
}

/** The policy fields the stock cap touches; the rest is carried over as it is. */
export interface CappableDraft {
  effectiveFrom: string;
  mode: string;
  monthlyCap?: number | null;
  quotaPool?: number;
  schedule?: unknown;
}

export interface StockCap {
  at: string;
  sustainableMonthlyInitiations: number;
}

/**
 * The sustainable cap of each declaration (SPEC §8b), projected on the file's cohort as it stands
 * on the declaration's date, with the schedule in force then. Null problem list when it worked.
 */
export function stockCaps<D extends CappableDraft>(supply: ReplaySupply, drafts: readonly D[]): { caps: StockCap[]; problems: SupplyProblem[] } {
  const caps: StockCap[] = [];
  const problems: SupplyProblem[] = [];
  const versions = drafts.map((d) => ({ effectiveFrom: d.effectiveFrom, schedule: scheduleOf(d.schedule) }));
  const maintenanceDoseChanges = maintenanceDoseChangesFrom(versions);
  const history = supply.cohort.flatMap((c) => Array.from({ length: c.count }, () => ({ startDate: c.startDate, stopDate: c.stopDate ?? null, stopReason: c.stopDate ? 'other' : null })));
  supply.declarations.forEach((d, i) => {
    let schedule = supply.schedule;
    if (!schedule) for (const v of versions) if (v.effectiveFrom <= d.at && v.schedule) schedule = v.schedule;
    if (!schedule) {
      problems.push({ path: `$.supply.declarations[${i}].at`, reason: `no dosing schedule is in force on ${d.at}: give $.supply.schedule` });
      return;
    }
    const active: CohortTreatment[] = [];
    for (const c of supply.cohort) {
      if (c.startDate > d.at || (c.stopDate && c.stopDate <= d.at)) continue;
      for (let k = 0; k < c.count; k++) active.push({ startDate: c.startDate, weightKg: c.weightKg, stopDate: c.stopDate ?? null });
    }
    const projected = projectSupply({
      at: d.at,
      horizon: supply.horizon,
      stockUnits: d.stockUnits + (d.pharmacyStockUnits ?? 0),
      expected: d.expected,
      schedule,
      maintenanceDoseChanges: supply.schedule ? [] : maintenanceDoseChanges,
      active,
      monthlyStopRate: supply.stopRatePct !== null ? supply.stopRatePct / 100 : observedStopRate(history, d.at.slice(0, 7)).monthly,
      newPatientWeightKg: meanWeightKg(active, 70),
      paceInitiations: 0,
    });
    // A schedule always has an administration within a month of day 1 in practice; with none in the horizon the stock sets no cap.
    if (projected.sustainableMonthlyInitiations !== null) caps.push({ at: d.at, sustainableMonthlyInitiations: projected.sustainableMonthlyInitiations });
  });
  return { caps, problems };
}

/**
 * The policy timeline with the stock's caps (issue 18: replay a cap derived from the stock): from
 * each declaration's date, every `capped` version takes the latest sustainable cap as its
 * `monthlyCap` (and a quota pool no larger); a declaration that falls inside a capped version
 * starts a version of its own on that date. Other modes are left as published.
 */
export function withStockCaps<D extends CappableDraft>(drafts: readonly D[], caps: readonly StockCap[]): D[] {
  const sorted = [...drafts].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  const dates = [...new Set([...sorted.map((d) => d.effectiveFrom), ...caps.map((c) => c.at)])].sort();
  const out: D[] = [];
  for (const date of dates) {
    const base = [...sorted].reverse().find((d) => d.effectiveFrom <= date);
    if (!base) continue;
    const cap = [...caps].reverse().find((c) => c.at <= date);
    const own = base.effectiveFrom === date;
    if (base.mode !== 'capped' || !cap) {
      if (own) out.push(base);
      continue;
    }
    const monthlyCap = cap.sustainableMonthlyInitiations;
    const quotaPool = base.quotaPool === undefined ? undefined : Math.min(base.quotaPool, monthlyCap);
    // The schedule stays with the version that published it (it is inherited by the next ones).
    const { schedule: _schedule, ...rest } = base;
    out.push({ ...(own ? base : (rest as D)), effectiveFrom: date, monthlyCap, ...(quotaPool === undefined ? {} : { quotaPool }) });
  }
  return out;
}

function scheduleOf(raw: unknown): DosingSchedule | null {
  if (raw === undefined || raw === null) return null;
  const checked = validateDosingSchedule(raw, '');
  return checked.ok ? checked.value : null;
}
