import { checkFiness } from '../../common/domain/finess';
import { isIsoDate, isPeriod, periodBounds } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';
import { MonthPlan, QuotaAsk, UrgentAsk } from './replay-model';
import { ReplaySupply, parseReplaySupply } from './replay-supply';

/** A policy version as a replay file may give it: the fields of `POST …/policies` (SPEC §11). */
export interface ReplayPolicyDraft {
  effectiveFrom: string;
  mode: 'unrestricted' | 'freed-stock' | 'capped';
  monthlyCap?: number | null;
  quotaPool?: number;
  indications: { code: string; kind: 'urgent' | 'quota' | 'open' }[];
  unusedQuota?: 'lapse' | 'carry';
  redistribute?: boolean;
  committee?: { votesRequired?: number; deadlineHours?: number };
}

/**
 * A replay file (`--input file.json`):
 * ```
 * { "medicine": "NULOJIX",                         optional, must match --medicine
 *   "seed": 7,                                     optional, overrides --seed
 *   "policies": [ { effectiveFrom, mode, … } ],    optional, default the medicine's demo timeline
 *   "centres": [ { "finess": "750000001", "followedPatients": 1200 } ],   optional, default the demo centres;
 *                followedPatients may also be { "2023-01": 1200, "2024-01": 1250 }
 *   "periods": [ { "period": "2023-05",
 *                  "urgent": 30 | [ { "finess"?, "indication"?, "day"?, "decision"?: "approve"|"reject" } ],
 *                  "quota": 20 | [ { "finess", "count", "day"? } ],
 *                  "stops": 28, "extraSupply": 0 } ],
 *   "supply": { "cohort": [ … ], "declarations": [ … ] } }   optional, see replay-supply.ts
 * ```
 * Counts and unset fields are drawn from the seeded stream (centres in proportion to their
 * followed patients); periods not listed have no activity.
 */
export interface ReplayFile {
  medicine?: string;
  seed?: number;
  policies?: ReplayPolicyDraft[];
  centres?: { finess: string; followed: { from: string; count: number }[] }[];
  periods: MonthPlan[];
  /** The lab's declarations: the capped versions take the cap the stock sustains (issue 18). */
  supply?: ReplaySupply;
}

export interface InputProblem {
  path: string;
  reason: string;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

class Checker {
  readonly problems: InputProblem[] = [];

  add(path: string, reason: string): void {
    this.problems.push({ path, reason });
  }

  known(obj: Obj, path: string, fields: readonly string[]): void {
    for (const key of Object.keys(obj)) if (!fields.includes(key)) this.add(`${path}.${key}`, `is not a known field (expected one of ${fields.join(', ')})`);
  }

  count(v: unknown, path: string, max = 100_000): number {
    if (!isCount(v) || v > max) {
      this.add(path, `must be an integer from 0 to ${max}`);
      return 0;
    }
    return v;
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string' || v.length === 0) {
      this.add(path, 'must be a non-empty string');
      return '';
    }
    return v;
  }

  finess(v: unknown, path: string): string {
    const s = this.string(v, path);
    if (s === '') return s;
    const r = checkFiness(s);
    if (!r.ok) this.add(path, `is not a FINESS number: ${r.error}`);
    return r.ok ? r.value : s;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) {
      this.add(path, `must be one of ${values.join(', ')}`);
      return values[0]!;
    }
    return v as T;
  }
}

const MAX_PER_MONTH = 10_000;

function parsePolicy(c: Checker, raw: unknown, path: string): ReplayPolicyDraft {
  if (!isObject(raw)) {
    c.add(path, 'must be an object');
    return { effectiveFrom: '', mode: 'unrestricted', indications: [] };
  }
  c.known(raw, path, ['effectiveFrom', 'mode', 'monthlyCap', 'quotaPool', 'indications', 'unusedQuota', 'redistribute', 'committee', 'notes']);
  const effectiveFrom = c.string(raw.effectiveFrom, `${path}.effectiveFrom`);
  if (effectiveFrom && !isIsoDate(effectiveFrom)) c.add(`${path}.effectiveFrom`, 'must be a real calendar date YYYY-MM-DD');
  const draft: ReplayPolicyDraft = { effectiveFrom, mode: c.oneOf(raw.mode, `${path}.mode`, ['unrestricted', 'freed-stock', 'capped'] as const), indications: [] };
  if (raw.monthlyCap !== undefined && raw.monthlyCap !== null) draft.monthlyCap = c.count(raw.monthlyCap, `${path}.monthlyCap`);
  if (raw.quotaPool !== undefined) draft.quotaPool = c.count(raw.quotaPool, `${path}.quotaPool`);
  if (raw.unusedQuota !== undefined) draft.unusedQuota = c.oneOf(raw.unusedQuota, `${path}.unusedQuota`, ['lapse', 'carry'] as const);
  if (raw.redistribute !== undefined) {
    if (typeof raw.redistribute !== 'boolean') c.add(`${path}.redistribute`, 'must be true or false');
    else draft.redistribute = raw.redistribute;
  }
  if (raw.committee !== undefined) {
    if (!isObject(raw.committee)) c.add(`${path}.committee`, 'must be an object');
    else {
      c.known(raw.committee, `${path}.committee`, ['votesRequired', 'deadlineHours']);
      draft.committee = {};
      if (raw.committee.votesRequired !== undefined) draft.committee.votesRequired = Math.max(1, c.count(raw.committee.votesRequired, `${path}.committee.votesRequired`, 20));
      if (raw.committee.deadlineHours !== undefined) draft.committee.deadlineHours = Math.max(1, c.count(raw.committee.deadlineHours, `${path}.committee.deadlineHours`, 24 * 60));
    }
  }
  if (!Array.isArray(raw.indications)) c.add(`${path}.indications`, 'must be an array of { code, kind }');
  else {
    raw.indications.forEach((ind, i) => {
      const p = `${path}.indications[${i}]`;
      if (!isObject(ind)) return c.add(p, 'must be an object { code, kind }');
      c.known(ind, p, ['code', 'kind']);
      draft.indications.push({ code: c.string(ind.code, `${p}.code`), kind: c.oneOf(ind.kind, `${p}.kind`, ['urgent', 'quota', 'open'] as const) });
    });
  }
  return draft;
}

function parseFollowed(c: Checker, raw: unknown, path: string): { from: string; count: number }[] {
  if (isCount(raw)) return [{ from: '0000-01', count: raw }];
  if (isObject(raw) && Object.keys(raw).length > 0) {
    return Object.entries(raw).map(([period, count]) => {
      if (!isPeriod(period)) c.add(`${path}.${period}`, 'must be keyed by a period YYYY-MM');
      return { from: period, count: c.count(count, `${path}.${period}`, 1_000_000) };
    });
  }
  c.add(path, 'must be a non-negative integer or an object { "YYYY-MM": count }');
  return [];
}

function parsePeriod(c: Checker, raw: unknown, path: string, finesses: Set<string> | null): MonthPlan | null {
  if (!isObject(raw)) {
    c.add(path, 'must be an object { period, urgent, quota, stops, extraSupply }');
    return null;
  }
  c.known(raw, path, ['period', 'urgent', 'quota', 'stops', 'extraSupply']);
  const period = c.string(raw.period, `${path}.period`);
  if (period && !isPeriod(period)) c.add(`${path}.period`, 'must be a period YYYY-MM');
  const lastDay = isPeriod(period) ? Number(periodBounds(period).last.slice(8)) : 31;
  const centre = (v: unknown, p: string): string => {
    const f = c.finess(v, p);
    if (f && finesses && !finesses.has(f) && !c.problems.some((x) => x.path === p)) c.add(p, `${f} is not one of the replay's centres`);
    return f;
  };
  const day = (v: unknown, p: string): number | undefined => {
    if (v === undefined) return undefined;
    if (!isCount(v) || v < 1 || v > lastDay) {
      c.add(p, `must be a day of the month from 1 to ${lastDay}`);
      return undefined;
    }
    return v;
  };
  let urgent: number | UrgentAsk[] = 0;
  if (Array.isArray(raw.urgent)) {
    urgent = raw.urgent.map((u, i) => {
      const p = `${path}.urgent[${i}]`;
      if (!isObject(u)) {
        c.add(p, 'must be an object { finess?, indication?, day?, decision? }');
        return {};
      }
      c.known(u, p, ['finess', 'indication', 'day', 'decision']);
      const ask: UrgentAsk = {};
      if (u.finess !== undefined) ask.finess = centre(u.finess, `${p}.finess`);
      if (u.indication !== undefined) ask.indication = c.string(u.indication, `${p}.indication`);
      const d = day(u.day, `${p}.day`);
      if (d !== undefined) ask.day = d;
      if (u.decision !== undefined) ask.decision = c.oneOf(u.decision, `${p}.decision`, ['approve', 'reject'] as const);
      return ask;
    });
  } else if (raw.urgent !== undefined) urgent = c.count(raw.urgent, `${path}.urgent`, MAX_PER_MONTH);
  let quota: number | QuotaAsk[] = 0;
  if (Array.isArray(raw.quota)) {
    quota = raw.quota.map((q, i) => {
      const p = `${path}.quota[${i}]`;
      if (!isObject(q)) {
        c.add(p, 'must be an object { finess, count, day? }');
        return { finess: '', count: 0 };
      }
      c.known(q, p, ['finess', 'count', 'day']);
      const ask: QuotaAsk = { finess: centre(q.finess, `${p}.finess`), count: c.count(q.count, `${p}.count`, MAX_PER_MONTH) };
      const d = day(q.day, `${p}.day`);
      if (d !== undefined) ask.day = d;
      return ask;
    });
  } else if (raw.quota !== undefined) quota = c.count(raw.quota, `${path}.quota`, MAX_PER_MONTH);
  return {
    period,
    urgent,
    quota,
    stops: raw.stops === undefined ? 0 : c.count(raw.stops, `${path}.stops`, MAX_PER_MONTH),
    extraSupply: raw.extraSupply === undefined ? 0 : c.count(raw.extraSupply, `${path}.extraSupply`, MAX_PER_MONTH),
  };
}

/**
 * Checks a parsed replay file and returns it typed, or every problem with the JSON path it is at
 * (`periods[3].quota[0].finess`). `knownCentres` (the default centres) is used to check the
 * FINESS numbers a period names when the file gives no centres of its own.
 */
export function parseReplayFile(raw: unknown, knownCentres: readonly string[]): Result<ReplayFile, InputProblem[]> {
  const c = new Checker();
  if (!isObject(raw)) return fail([{ path: '$', reason: 'must be a JSON object { medicine?, seed?, policies?, centres?, periods }' }]);
  c.known(raw, '$', ['medicine', 'seed', 'policies', 'centres', 'periods', 'supply']);
  const file: ReplayFile = { periods: [] };
  if (raw.medicine !== undefined) file.medicine = c.string(raw.medicine, '$.medicine');
  if (raw.seed !== undefined) file.seed = c.count(raw.seed, '$.seed', 2 ** 32 - 1);
  if (raw.policies !== undefined) {
    if (!Array.isArray(raw.policies) || raw.policies.length === 0) c.add('$.policies', 'must be a non-empty array of policy versions');
    else file.policies = raw.policies.map((p, i) => parsePolicy(c, p, `$.policies[${i}]`));
  }
  let finesses: Set<string> | null = new Set(knownCentres);
  if (raw.centres !== undefined) {
    if (!Array.isArray(raw.centres) || raw.centres.length === 0) {
      c.add('$.centres', 'must be a non-empty array of { finess, followedPatients }');
      finesses = null;
    } else {
      const seen = new Set<string>();
      file.centres = raw.centres.map((x, i) => {
        const p = `$.centres[${i}]`;
        if (!isObject(x)) {
          c.add(p, 'must be an object { finess, followedPatients }');
          return { finess: '', followed: [] };
        }
        c.known(x, p, ['finess', 'followedPatients']);
        const finess = c.finess(x.finess, `${p}.finess`);
        if (seen.has(finess)) c.add(`${p}.finess`, `${finess} is listed twice`);
        seen.add(finess);
        return { finess, followed: parseFollowed(c, x.followedPatients, `${p}.followedPatients`) };
      });
      finesses = seen;
    }
  }
  if (!Array.isArray(raw.periods)) c.add('$.periods', 'must be an array of { period, urgent, quota, stops, extraSupply }');
  else {
    const seen = new Set<string>();
    raw.periods.forEach((p, i) => {
      const plan = parsePeriod(c, p, `$.periods[${i}]`, finesses);
      if (!plan) return;
      if (seen.has(plan.period)) c.add(`$.periods[${i}].period`, `${plan.period} is listed twice`);
      seen.add(plan.period);
      file.periods.push(plan);
    });
  }
  if (raw.supply !== undefined) {
    const parsed = parseReplaySupply(raw.supply);
    for (const p of parsed.problems) c.add(p.path, p.reason);
    file.supply = parsed.supply;
  }
  return c.problems.length > 0 ? fail(c.problems) : ok(file);
}
