import fc from 'fast-check';
import { mulberry32, pickWeighted } from './prng';
import { ReplayCentre, ReplayPolicy } from './replay-model';
import { demoPlans, expandPlans, followedAt, indicationsFor } from './request-stream';

const urgent = (code: string) => ({ code, kind: 'urgent' as const });
const base = { monthlyCap: null, quotaPool: 0, unusedQuota: 'lapse' as const, redistribute: false, votesRequired: 1, deadlineHours: 48 };
/** The shape of the Nulojix timeline (SPEC §3), in domain terms. */
const policies: ReplayPolicy[] = [
  { ...base, version: 1, effectiveFrom: '2017-01-01', mode: 'unrestricted', indications: [{ code: 'kidney-transplant', kind: 'open' }] },
  { ...base, version: 2, effectiveFrom: '2022-08-01', mode: 'freed-stock', indications: [urgent('pnf-cni'), urgent('tma-cni')] },
  { ...base, version: 3, effectiveFrom: '2023-02-14', mode: 'freed-stock', indications: [urgent('early-dysfunction-cni'), urgent('tma-cni'), urgent('rescue')] },
  { ...base, version: 4, effectiveFrom: '2023-05-09', mode: 'capped', monthlyCap: 50, quotaPool: 20, indications: [urgent('early-dysfunction-cni'), urgent('tma-cni'), urgent('rescue'), { code: 'chronic-dysfunction-cni', kind: 'quota' }] },
  { ...base, version: 5, effectiveFrom: '2023-10-02', mode: 'unrestricted', indications: ['early-dysfunction-cni', 'tma-cni', 'rescue', 'chronic-dysfunction-cni'].map((code) => ({ code, kind: 'open' as const })) },
];
const centres: ReplayCentre[] = [
  { finess: '750000002', followed: [{ from: '2022-01', count: 3400 }] },
  { finess: '750000010', followed: [{ from: '2022-01', count: 700 }, { from: '2023-01', count: 800 }] },
  { finess: '2A0000001', followed: [{ from: '2022-01', count: 0 }] },
];
const ctx = { policies, centres, seed: 1 };

describe('the demo request stream', () => {
  it('is deterministic: the same seed gives the same plans and the same events', () => {
    expect(demoPlans('2022-08', '2024-01', 7)).toEqual(demoPlans('2022-08', '2024-01', 7));
    expect(expandPlans(demoPlans('2022-08', '2024-01', 7), { ...ctx, seed: 7 })).toEqual(expandPlans(demoPlans('2022-08', '2024-01', 7), { ...ctx, seed: 7 }));
  });

  it('changes with the seed', () => {
    expect(expandPlans(demoPlans('2023-05', '2023-06', 1), ctx)).not.toEqual(expandPlans(demoPlans('2023-05', '2023-06', 2), { ...ctx, seed: 2 }));
  });

  it('draws a period the same way whatever range it is part of', () => {
    const alone = expandPlans(demoPlans('2023-06', '2023-06', 3), { ...ctx, seed: 3 });
    const inRange = expandPlans(demoPlans('2023-04', '2023-08', 3), { ...ctx, seed: 3 }).filter((e) => e.id.startsWith('2023-06'));
    expect(inRange).toEqual(alone);
  });

  it('has the seeds\' shape: about 30 urgent a month, about 20 quota a month from 2023-05, 25 to 35 stops, 40 extra in 2023-03', () => {
    const plans = demoPlans('2022-08', '2024-01', 1);
    for (const p of plans) {
      expect(p.urgent).toBeGreaterThanOrEqual(25);
      expect(p.urgent).toBeLessThanOrEqual(35);
      if (p.period < '2023-05') expect(p.quota).toBe(0);
      else expect(Math.abs((p.quota as number) - 20)).toBeLessThanOrEqual(5);
      expect(p.stops).toBeGreaterThanOrEqual(25);
      expect(p.stops).toBeLessThanOrEqual(35);
      expect(p.extraSupply).toBe(p.period === '2023-03' ? 40 : 0);
    }
  });

  it('dates every request on a day whose version enables an indication of its class, and names one of them', () => {
    const events = expandPlans(demoPlans('2022-08', '2024-01', 5), { ...ctx, seed: 5 });
    for (const e of events) {
      if (e.type !== 'request') continue;
      const date = new Date(e.at).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
      expect(indicationsFor(e.class, policies, date)).toContain(e.indication);
      expect(e.id.slice(0, 7)).toBe(date.slice(0, 7));
    }
    const mayQuota = events.filter((e) => e.type === 'request' && e.class === 'quota' && e.id.startsWith('2023-05'));
    expect(mayQuota.length).toBeGreaterThan(0);
    expect(mayQuota.every((e) => e.at >= '2023-05-08T22:00:00.000Z')).toBe(true);
  });

  it('sends no request or stop to a centre following no patient, and most to the largest centre', () => {
    const events = expandPlans(demoPlans('2022-08', '2024-01', 9), { ...ctx, seed: 9 });
    const by = (f: string) => events.filter((e) => e.type !== 'extra-supply' && e.finess === f).length;
    expect(by('2A0000001')).toBe(0);
    expect(by('750000002')).toBeGreaterThan(2 * by('750000010'));
  });

  it('keeps what a plan names and draws only the rest', () => {
    const events = expandPlans(
      [{ period: '2023-06', urgent: [{ finess: '750000010', indication: 'rescue', day: 4, decision: 'reject' }], quota: [{ finess: '750000002', count: 2, day: 30 }], stops: 0, extraSupply: 5 }],
      ctx,
    );
    // Sorted by instant: the extra supply at midnight on the 1st, the urgent request on the 4th, both quota requests on the 30th.
    expect(events.map((e) => e.id).slice(0, 2)).toEqual(['2023-06-x', '2023-06-u1']);
    expect(events.map((e) => e.id).slice(2).sort()).toEqual(['2023-06-q1', '2023-06-q2']);
    expect(events.every((e, i) => i === 0 || events[i - 1]!.at <= e.at)).toBe(true);
    const u = events[1]!;
    expect(u).toMatchObject({ finess: '750000010', indication: 'rescue', class: 'urgent', committee: { decision: 'reject' } });
    expect(u.at.slice(0, 10)).toBe('2023-06-04');
    expect(events[2]).toMatchObject({ finess: '750000002', indication: 'chronic-dysfunction-cni', class: 'quota' });
  });

  it('reads a centre\'s followed patients from the latest count on or before the period', () => {
    expect(followedAt(centres[1]!, '2022-12')).toBe(700);
    expect(followedAt(centres[1]!, '2023-01')).toBe(800);
    expect(followedAt(centres[1]!, '2021-12')).toBe(0);
  });
});

describe('the seeded generator', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('never picks an index of weight 0 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5), { minLength: 1, maxLength: 10 }), fc.nat(), (weights, seed) => {
        const rng = mulberry32(seed);
        const i = pickWeighted(rng, weights);
        if (weights.every((w) => w === 0)) return i === -1;
        return i >= 0 && weights[i]! > 0;
      }),
    );
  });
});
