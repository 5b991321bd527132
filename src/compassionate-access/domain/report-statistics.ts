
export interface NumericSummary {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below 2 values. */
  sd: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
  missing: number;
}

/**
 * Counts of a categorical variable by value. `percent` is over the known values (missing excluded); the
 * `missing` entry, when present, carries its count and `percent: null` (the seed prints it without one).
 */
export type CategoryCounts = Record<string, { n: number; percent: number | null }>;

/** Average length of a month in days (365.25 / 12), to express follow-up times in months. */
export const DAYS_PER_MONTH = 30.4375;

/**
 * The p-quantile of sorted values by the definition of SPEC §9's reports: with n·p an integer j, the mean
 * of the j-th and (j+1)-th ordered values, otherwise the (⌊n·p⌋+1)-th (1-based).
 */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (p <= 0) return sorted[0] as number;
  if (p >= 1) return sorted[n - 1] as number;
  const np = n * p;
  const j = Math.floor(np);
  if (Number.isInteger(np)) return ((sorted[j - 1] as number) + (sorted[j] as number)) / 2;
  return sorted[j] as number;
}

/** N, mean ± SD, median, Q1 ; Q3, min ; max and missing of a numeric variable (SPEC §9 periodic report). */
export function describeNumeric(values: readonly (number | null | undefined)[]): NumericSummary {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const missing = values.length - present.length;
  const n = present.length;
  if (n === 0) return { n, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null, missing };
  return summaryOfSorted([...present].sort((a, b) => a - b), missing);
}

/** The summary of `sorted` (at least one value, ascending): mean and sd summed in that order, exact quartiles. */
function summaryOfSorted(sorted: ArrayLike<number>, missing: number): NumericSummary {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((sorted[i] as number) - mean) ** 2;
  return {
    n,
    mean,
    sd: n < 2 ? null : Math.sqrt(squares / (n - 1)),
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    missing,
  };
}

/**
 * describeNumeric over a column of numbers (NaN, or any non-finite number, for a missing value), without an array of
 * boxed numbers: the present values copied to a Float64Array and sorted there, exact quartiles as describeNumeric's;
 * zeros keep their input order as describeNumeric's stable sort leaves them (a typed sort puts -0 before 0).
 */
export function describeNumericColumn(values: Float64Array): NumericSummary {
  let n = 0;
  let negativeZero = false;
  for (const v of values) {
    if (Number.isFinite(v)) n += 1;
    if (Object.is(v, -0)) negativeZero = true;
  }
  const missing = values.length - n;
  if (n === 0) return { n, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null, missing };
  const sorted = new Float64Array(n);
  let k = 0;
  for (const v of values) if (Number.isFinite(v)) sorted[k++] = v;
  const zeros = negativeZero ? sorted.filter((v) => v === 0) : null;
  sorted.sort();
  if (zeros !== null) {
    const at = sorted.indexOf(0);
    sorted.set(zeros, at);
  }
  return summaryOfSorted(sorted, missing);
}

/** A percentage rounded to one decimal, half away from zero. */
export function percentOf(n: number, total: number): number {
  return total === 0 ? 0 : Math.round((n * 1000) / total) / 10;
}

/**
 * Counts and percentages (1 decimal) of a categorical variable over the KNOWN values, as the agency's reports
 * print them (seeds/000 Rezurock report n°1, Tableau 10: "Sécheresse oculaire - M3 Manquant 2 / Absent 2
 * (66.7%) / Très intense 1 (33.3%)" — 2 / 3 known, not 2 / 5). Missing values are counted apart under
 * `missing`, first and without a percentage, when there are any; `categories` lists values to show even at
 * 0, in order.
 */
export function countCategories(values: readonly (string | null | undefined)[], categories: readonly string[] = []): CategoryCounts {
  return countCategoriesOf(values.length, (k) => values[k], categories);
}

/** countCategories over `count` values read one at a time (`value(k)`, k from 0), without an array of them. */
export function countCategoriesOf(count: number, value: (k: number) => string | null | undefined, categories: readonly string[] = []): CategoryCounts {
  const counts = new Map<string, number>(categories.map((c) => [c, 0]));
  let missing = 0;
  for (let k = 0; k < count; k++) {
    const v = value(k);
    if (v === null || v === undefined || v === '') missing += 1;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const known = count - missing;
  const out: CategoryCounts = {};
  if (missing > 0) out.missing = { n: missing, percent: null };
  for (const [value, n] of counts) out[value] = { n, percent: percentOf(n, known) };
  return out;
}

/** One subject's observed time: an event (death) or censoring at its last news. */
export interface SurvivalObservation {
  time: number;
  event: boolean;
}

export interface KaplanMeierStep {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  /** S(t) just after this time. */
  survival: number;
}

export interface KaplanMeierCurve {
  n: number;
  events: number;
  /** One step per distinct time with an event or a censoring, in time order. */
  steps: KaplanMeierStep[];
}

/**
 * Kaplan–Meier product-limit estimate (SPEC §9: survival of the exposed): S(t) = Π over event times
 * tᵢ ≤ t of (1 − dᵢ / nᵢ), with subjects censored at a time still at risk for the events at that time.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierCurve {
  // one sort, then one walk over the groups of equal times (not a scan of every observation per time)
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  let atRisk = observations.length;
  let survival = 1;
  let total = 0;
  const steps: KaplanMeierStep[] = [];
  for (let i = 0; i < sorted.length; ) {
    const time = (sorted[i] as SurvivalObservation).time;
    let events = 0;
    let here = 0;
    for (; i < sorted.length && (sorted[i] as SurvivalObservation).time === time; i++) {
      here += 1;
      if ((sorted[i] as SurvivalObservation).event) events += 1;
    }
    if (events > 0) survival *= 1 - events / atRisk;
    steps.push({ time, atRisk, events, censored: here - events, survival });
    atRisk -= here;
    total += events;
  }
  return { n: observations.length, events: total, steps };
}

/**
 * S(t) read on the curve (right-continuous: events at t count). Null when t is beyond the last
 * observed time and the curve has not reached 0, as the estimate is not defined there.
 */
export function survivalAt(curve: KaplanMeierCurve, time: number): number | null {
  let s = 1;
  let last = -Infinity;
  for (const step of curve.steps) {
    if (step.time > time) return s;
    s = step.survival;
    last = step.time;
  }
  return time <= last || s === 0 ? s : null;
}

/** The median survival time: the first time where S(t) ≤ 0.5, or null if never reached. */
export function medianSurvival(curve: KaplanMeierCurve): number | null {
  return curve.steps.find((s) => s.events > 0 && s.survival <= 0.5)?.time ?? null;
}

/** Time from one date to another in days or in months of 30.4375 days. */
export function timeBetween(from: string, to: string, unit: 'days' | 'months'): number {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  switch (unit) {
    case 'days':
      return days;
    case 'months':
      return days / DAYS_PER_MONTH;
  }
}

/** Median follow-up: the median of the observed follow-up times, by the report quantile definition. */
export function medianFollowUp(times: readonly number[]): number | null {
  return quantile([...times].sort((a, b) => a - b), 0.5);
}
