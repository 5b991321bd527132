import { AllocationPoint, capacitySvg, cumulativeFairness, fairnessSvg } from './charts';

const points: AllocationPoint[] = [
  { period: '2023-05', nationalCapacity: 50, urgentGranted: 3, quotaGranted: 2, centres: [{ finess: 'A', entitlement: 1.4, slots: 1 }, { finess: 'B', entitlement: 0.6, slots: 1 }] },
  { period: '2023-06', nationalCapacity: 50, urgentGranted: 1, quotaGranted: 2, centres: [{ finess: 'A', entitlement: 1.4, slots: 2 }, { finess: 'B', entitlement: 0.6, slots: 0 }] },
];

describe('agency charts', () => {
  it('sums entitlement and slots per centre over the periods, with the deviation', () => {
    expect(cumulativeFairness(points)).toEqual([
      { finess: 'A', entitlement: 2.8, slots: 3, deviation: 0.2 },
      { finess: 'B', entitlement: 1.2, slots: 1, deviation: -0.2 },
    ]);
  });

  it('writes every number as text next to its bar and tells the series apart by pattern', () => {
    const svg = fairnessSvg(cumulativeFairness(points), { A: 'Centre <A>' }, { title: 'Fairness', first: 'entitlement', second: 'slots', extra: 'deviation', format: (n) => String(n) });
    expect(svg).toContain('Centre &#60;A&#62;');
    expect(svg).toContain('2.8 / 3');
    expect(svg).toContain('deviation +0.2');
    expect(svg).toContain('deviation −0.2');
    expect(svg).toContain('url(#hatch)');
  });

  it('labels each month with used over capacity, and an unlimited month as such', () => {
    const svg = capacitySvg([...points, { period: '2023-10', nationalCapacity: null, urgentGranted: 0, quotaGranted: 0, centres: [] }], { title: 'Capacity', first: 'urgent', second: 'quota', capacity: 'capacity', unlimited: 'unlimited', format: (n) => String(n) });
    expect(svg).toContain('5/50');
    expect(svg).toContain('3/50');
    expect(svg).toContain('0/unlimited');
  });
});
