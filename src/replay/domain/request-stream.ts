import { DateTime } from 'luxon';
import { ZONE, periodBounds, periodRange } from '../../common/domain/period';
import { versionInForce } from '../../medicines/domain/policy-rules';
import { mulberry32, pickWeighted, seedFor } from './prng';
import { MonthPlan, ReplayCentre, ReplayEvent, ReplayPolicy, RequestClass, UrgentAsk } from './replay-model';

/** The shape of the demo stream, after the Nulojix figures of SPEC §3. */
export interface DemoStreamShape {
  /** Urgent requests a month: `urgentPerMonth ± spread`. */
  urgentPerMonth: number;
  /** Chronic-dysfunction (quota) requests a month from `quotaFrom`: `quotaPerMonth ± spread`. */
  quotaPerMonth: number;
  quotaFrom: string;
  /** Declared stops a month: `stopsPerMonth ± spread`. */
  stopsPerMonth: number;
  spread: number;
  /** Extra initiations the lab declares, by period ("stock brought in from other countries"). */
  extraSupply: Record<string, number>;
  /** Share of urgent requests the committee approves. */
  approvalRate: number;
}

export const NULOJIX_DEMO_SHAPE: DemoStreamShape = {
  urgentPerMonth: 30,
  quotaPerMonth: 20,
  quotaFrom: '2023-05',
  stopsPerMonth: 30,
  spread: 5,
  extraSupply: { '2023-03': 40 },
  approvalRate: 0.9,
};

/** The demo month plans from `from` to `to`: the same seed always gives the same plans. */
export function demoPlans(from: string, to: string, seed: number, shape: DemoStreamShape = NULOJIX_DEMO_SHAPE): MonthPlan[] {
  return periodRange(from, to).map((period) => {
    const rng = mulberry32(seedFor(seed, `plan:${period}`));
    const around = (n: number): number => Math.max(0, n + rng.int(-shape.spread, shape.spread));
    return {
      period,
      urgent: around(shape.urgentPerMonth),
      quota: period >= shape.quotaFrom ? around(shape.quotaPerMonth) : 0,
      stops: around(shape.stopsPerMonth),
      extraSupply: shape.extraSupply[period] ?? 0,
    };
  });
}

export interface StreamContext {
  policies: readonly ReplayPolicy[];
  centres: readonly ReplayCentre[];
  seed: number;
  approvalRate?: number;
}

/** A centre's followed patients in a period: the latest count whose period is on or before it. */
export function followedAt(centre: ReplayCentre, period: string): number {
  let count = 0;
  let best = '';
  for (const f of centre.followed) if (f.from <= period && f.from >= best) {
    best = f.from;
    count = f.count;
  }
  return count;
}

/**
 * Indications a request of a class may name on a date: those the timeline ever gives that kind
 * and the version in force enables; failing that, the version's `open` indications (an
 * unrestricted version enables everything as `open`).
 */
export function indicationsFor(cls: RequestClass, policies: readonly ReplayPolicy[], date: string): string[] {
  const policy = versionInForce([...policies], date);
  if (!policy) return [];
  const ofClass = new Set(policies.flatMap((p) => p.indications.filter((i) => i.kind === cls).map((i) => i.code)));
  const enabled = policy.indications.filter((i) => ofClass.has(i.code)).map((i) => i.code);
  if (enabled.length > 0) return enabled;
  return policy.indications.filter((i) => i.kind === 'open').map((i) => i.code);
}

function canonicalIndication(cls: RequestClass, policies: readonly ReplayPolicy[]): string {
  for (const p of policies) for (const i of p.indications) if (i.kind === cls) return i.code;
  return policies[0]?.indications[0]?.code ?? cls;
}

function daysOf(period: string): string[] {
  const { first, last } = periodBounds(period);
  const out: string[] = [];
  for (let d = 1; d <= Number(last.slice(8)); d++) out.push(`${first.slice(0, 8)}${String(d).padStart(2, '0')}`);
  return out;
}

/** The instant `minutes` after midnight (Europe/Paris) of a calendar date, as ISO 8601 UTC. */
export function instantOn(date: string, minutes: number): string {
  return DateTime.fromISO(date, { zone: ZONE }).plus({ minutes }).toUTC().toISO()!;
}

/**
 * Expands month plans into dated events (SPEC §12 replay stream). Everything a plan leaves open
 * is drawn from a generator seeded by `seed` and the period, so a plan always expands the same
 * way: the day (among the days on which the class has an enabled indication), the indication,
 * the centre (in proportion to its followed patients), the committee's decision (approved at
 * `approvalRate`) and its delay (2 to 40 hours). Events come out sorted by instant, then id.
 */
export function expandPlans(plans: readonly MonthPlan[], ctx: StreamContext): ReplayEvent[] {
  const events: ReplayEvent[] = [];
  const approvalRate = ctx.approvalRate ?? NULOJIX_DEMO_SHAPE.approvalRate;
  for (const plan of plans) {
    const rng = mulberry32(seedFor(ctx.seed, `events:${plan.period}`));
    const days = daysOf(plan.period);
    const weights = ctx.centres.map((c) => followedAt(c, plan.period));
    const pickCentre = (): string | null => {
      const i = pickWeighted(rng, weights);
      return i < 0 ? null : ctx.centres[i]!.finess;
    };
    const minutesOfDay = (): number => rng.int(8 * 60, 18 * 60 - 1);
    const candidatesOn = new Map<string, string[]>();
    const candidates = (cls: RequestClass, date: string): string[] => {
      const key = `${cls}:${date}`;
      if (!candidatesOn.has(key)) candidatesOn.set(key, indicationsFor(cls, ctx.policies, date));
      return candidatesOn.get(key)!;
    };
    const eligibleDays = { urgent: days.filter((d) => candidates('urgent', d).length > 0), quota: days.filter((d) => candidates('quota', d).length > 0) };
    const requestDay = (cls: RequestClass, day: number | undefined): string => {
      if (day !== undefined) return days[day - 1] ?? days[days.length - 1]!;
      const eligible = eligibleDays[cls];
      const pool = eligible.length > 0 ? eligible : days;
      return pool[rng.int(0, pool.length - 1)]!;
    };
    const request = (cls: RequestClass, id: string, ask: UrgentAsk): void => {
      const date = requestDay(cls, ask.day);
      const named = candidates(cls, date);
      const indication = ask.indication ?? (named.length > 0 ? named[rng.int(0, named.length - 1)]! : canonicalIndication(cls, ctx.policies));
      const finess = ask.finess ?? pickCentre();
      const minutes = minutesOfDay();
      const decision = ask.decision ?? (rng.next() < approvalRate ? 'approve' : 'reject');
      const delayHours = rng.int(2, 40);
      if (finess === null) return;
      const at = instantOn(date, minutes);
      const decidedAt = DateTime.fromISO(at).plus({ hours: delayHours }).toUTC().toISO()!;
      events.push({ type: 'request', id, at, finess, indication, class: cls, rank: null, committee: { decision, at: decidedAt } });
    };

    const urgent: UrgentAsk[] = typeof plan.urgent === 'number' ? Array.from({ length: plan.urgent }, () => ({})) : plan.urgent;
    urgent.forEach((ask, i) => request('urgent', `${plan.period}-u${i + 1}`, ask));
    const quota: UrgentAsk[] =
      typeof plan.quota === 'number'
        ? Array.from({ length: plan.quota }, () => ({}))
        : plan.quota.flatMap((q) => Array.from({ length: q.count }, () => ({ finess: q.finess, day: q.day })));
    quota.forEach((ask, i) => request('quota', `${plan.period}-q${i + 1}`, ask));
    for (let i = 0; i < plan.stops; i++) {
      const finess = pickCentre();
      const date = days[rng.int(0, days.length - 1)]!;
      const minutes = minutesOfDay();
      if (finess !== null) events.push({ type: 'stop', id: `${plan.period}-s${i + 1}`, at: instantOn(date, minutes), finess });
    }
    if (plan.extraSupply > 0) events.push({ type: 'extra-supply', id: `${plan.period}-x`, at: instantOn(days[0]!, 0), count: plan.extraSupply });
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
