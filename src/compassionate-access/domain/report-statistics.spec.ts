import fc from 'fast-check';
import { countCategories, describeNumeric, kaplanMeier, medianFollowUp, medianSurvival, percentOf, quantile, survivalAt, timeBetween } from './report-statistics';

describe('report statistics (SPEC §9 periodic report)', () => {
  it('describes an even sample by hand: quartiles average two values when n·p is whole', () => {
    // sorted 1 1 2 3 4 5 6 9 (n = 8), one missing; mean = 31 / 8 = 3.875
    // Σx² = 173, n·mean² = 120.125, Σ(x − mean)² = 52.875, sd = √(52.875 / 7) = √7.553571… = 2.748376…
    // median: 8·0.5 = 4 → (x4 + x5) / 2 = (3 + 4) / 2 = 3.5; q1: 8·0.25 = 2 → (1 + 2) / 2 = 1.5; q3: 6 → (5 + 6) / 2 = 5.5
    const s = describeNumeric([3, 1, 4, 1, 5, 9, 2, 6, null]);
    expect(s).toEqual({ n: 8, mean: 3.875, sd: expect.closeTo(2.748376, 6), median: 3.5, q1: 1.5, q3: 5.5, min: 1, max: 9, missing: 1 });
  });

  it('takes the (⌊n·p⌋+1)-th value when n·p is not whole', () => {
    // sorted 2 4 4 5 7 8 10 (n = 7): q1: 1.75 → 2nd = 4; median: 3.5 → 4th = 5; q3: 5.25 → 6th = 8
    const s = describeNumeric([10, 4, 2, 8, 5, 7, 4, undefined]);
    expect([s.q1, s.median, s.q3, s.missing]).toEqual([4, 5, 8, 1]);
    expect(quantile([7], 0.25)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('gives no SD for one value and nulls for none', () => {
    expect(describeNumeric([5])).toMatchObject({ n: 1, mean: 5, sd: null, median: 5, q1: 5, q3: 5 });
    expect(describeNumeric([null, null])).toEqual({ n: 0, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null, missing: 2 });
  });

  it('keeps quartiles ordered and within min and max', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }), (xs) => {
        const s = describeNumeric(xs);
        const seq = [s.min, s.q1, s.median, s.q3, s.max] as number[];
        seq.slice(1).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(seq[i] as number));
      }),
    );
  });

  it('counts categories with percentages to one decimal over the known values, missing apart and first (seeds/000 Tableau 10: "Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%) / Très intense 1 (33.3%)")', () => {
    // the seed's line itself: 5 exposed, 2 missing, 3 known → Absent 2 / 3 = 66.7 %, Très intense 1 / 3 = 33.3 %
    const seed = countCategories([null, 'absent', 'absent', null, 'very_intense'], ['absent', 'very_intense']);
    expect(seed).toEqual({ missing: { n: 2, percent: null }, absent: { n: 2, percent: 66.7 }, very_intense: { n: 1, percent: 33.3 } });
    expect(Object.keys(seed)[0]).toBe('missing');
    // 5 records, 4 known: F 3 → 75.0 %, M 1 → 25.0 %, X 0, missing 1 without a percentage
    expect(countCategories(['F', 'M', 'F', null, 'F'], ['F', 'M', 'X'])).toEqual({
      missing: { n: 1, percent: null },
      F: { n: 3, percent: 75 },
      M: { n: 1, percent: 25 },
      X: { n: 0, percent: 0 },
    });
    // nothing known: every category at 0 %, no division by zero
    expect(countCategories([null, ''], ['F'])).toEqual({ missing: { n: 2, percent: null }, F: { n: 0, percent: 0 } });
    // no missing value: no missing line (seeds/000 Tableau 2 shows none under "Sexe Féminin 12 (37.5%)")
    expect(countCategories(['F', 'M'])).not.toHaveProperty('missing');
    // 1/3 = 33.33… → 33.3; 2/3 = 66.66… → 66.7; 1/8 = 12.5
    expect([percentOf(1, 3), percentOf(2, 3), percentOf(1, 8), percentOf(0, 0)]).toEqual([33.3, 66.7, 12.5, 0]);
  });

  it('estimates Kaplan–Meier survival by hand, censored subjects at risk at their own time', () => {
    // times (months): 2†, 3c, 5†, 5†, 5c, 8c, 10†, 12c (n = 8)
    // t=2: 8 at risk, 1 death → S = 7/8 = 0.875
    // t=5: 6 at risk, 2 deaths → S = 0.875 × 4/6 = 0.583333…
    // t=10: 2 at risk, 1 death → S = 0.583333… × 1/2 = 0.291666…
    const obs = [
      { time: 2, event: true },
      { time: 3, event: false },
      { time: 5, event: true },
      { time: 5, event: true },
      { time: 5, event: false },
      { time: 8, event: false },
      { time: 10, event: true },
      { time: 12, event: false },
    ];
    const curve = kaplanMeier(obs);
    expect(curve.n).toBe(8);
    expect(curve.events).toBe(4);
    expect(curve.steps.map((s) => [s.time, s.atRisk, s.events, s.censored])).toEqual([
      [2, 8, 1, 0],
      [3, 7, 0, 1],
      [5, 6, 2, 1],
      [8, 3, 0, 1],
      [10, 2, 1, 0],
      [12, 1, 0, 1],
    ]);
    expect(survivalAt(curve, 1)).toBe(1);
    expect(survivalAt(curve, 4)).toBe(0.875);
    expect(survivalAt(curve, 5)).toBeCloseTo(0.583333, 6);
    expect(survivalAt(curve, 12)).toBeCloseTo(0.291667, 6);
    expect(survivalAt(curve, 24)).toBeNull(); // beyond the last news: not estimable
    expect(medianSurvival(curve)).toBe(10);
  });

  it('never increases the survival curve and keeps it between 0 and 1', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ time: fc.integer({ min: 0, max: 40 }), event: fc.boolean() }), { maxLength: 40 }), (obs) => {
        const steps = kaplanMeier(obs).steps;
        steps.forEach((s, i) => {
          expect(s.survival).toBeGreaterThanOrEqual(0);
          expect(s.survival).toBeLessThanOrEqual(i === 0 ? 1 : (steps[i - 1]?.survival as number));
        });
      }),
    );
  });

  it('measures time in days or months of 30.4375 days, and the median follow-up', () => {
    expect(timeBetween('2024-01-01', '2025-01-01', 'days')).toBe(366);
    expect(timeBetween('2024-01-01', '2024-03-02', 'months')).toBe(61 / 30.4375);
    // follow-ups 3, 12, 6, 9 months → sorted 3 6 9 12, 4·0.5 = 2 → (6 + 9) / 2 = 7.5
    expect(medianFollowUp([3, 12, 6, 9])).toBe(7.5);
  });
});
