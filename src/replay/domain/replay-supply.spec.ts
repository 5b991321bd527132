import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NULOJIX_TIMELINE } from '../../demo/demo-medicines';
import { BELATACEPT_SCHEDULE_6 } from '../../medicines/domain/dosing-schedule';
import { runReplay } from '../replay-runner';
import { parseReplaySupply, stockCaps, withStockCaps } from './replay-supply';

// The three patients of the projection's hand-checked case (projection.spec.ts): A and B continue, C stopped.
const cohort = [
  { startDate: '2022-01-10', weightKg: 70 },
  { startDate: '2023-02-01', weightKg: 90 },
  { startDate: '2022-04-01', weightKg: 60, stopDate: '2023-02-10' },
];

describe('the supply part of a replay file', () => {
  it('reads the cohort and the declarations, sorted by date', () => {
    const { supply, problems } = parseReplaySupply({
      cohort: [...cohort, { startDate: '2023-04-01', weightKg: 80, count: 3 }],
      stopRatePct: 4,
      horizon: 3,
      declarations: [
        { at: '2023-06-01', stockUnits: 50, expected: [] },
        { at: '2023-05-01', stockUnits: 100, expected: [{ period: '2023-06', units: 40 }] },
      ],
    });
    expect(problems).toEqual([]);
    expect(supply.cohort.map((c) => c.count)).toEqual([1, 1, 1, 3]);
    expect(supply.declarations.map((d) => d.at)).toEqual(['2023-05-01', '2023-06-01']);
    expect(supply).toMatchObject({ stopRatePct: 4, horizon: 3 });
  });

  it('names every bad field by its JSON path', () => {
    const { problems } = parseReplaySupply({
      cohort: [{ startDate: '2023-02-30', weightKg: -1, count: 0 }],
      declarations: [{ at: '2023-05-01', stockUnits: 1.5, expected: [{ period: '2023-4', units: 1 }] }, { at: '2023-05-01', stockUnits: 1, expected: [{ period: '2023-04', units: 1 }] }],
      extra: true,
    });
    expect(problems.map((p) => p.path)).toEqual([
      '$.supply.extra',
      '$.supply.cohort[0].startDate',
      '$.supply.cohort[0].weightKg',
      '$.supply.cohort[0].count',
      '$.supply.declarations[0].stockUnits',
      '$.supply.declarations[0].expected[0]',
      '$.supply.declarations[1].expected[0].period',
    ]);
  });

  it('projects each declaration on the cohort as it stands that day: the hand-checked 2 a month', () => {
    const { supply } = parseReplaySupply({ cohort, stopRatePct: 4, horizon: 3, schedule: BELATACEPT_SCHEDULE_6, declarations: [{ at: '2023-05-01', stockUnits: 100, expected: [{ period: '2023-06', units: 40 }] }] });
    expect(stockCaps(supply, [])).toEqual({ caps: [{ at: '2023-05-01', sustainableMonthlyInitiations: 2 }], problems: [] });
  });

  it('reads the stop rate off the cohort’s own stops when the file gives none: 1 stop over 25 patient-months', () => {
    const { supply } = parseReplaySupply({ cohort, horizon: 3, schedule: BELATACEPT_SCHEDULE_6, declarations: [{ at: '2023-05-01', stockUnits: 100, expected: [{ period: '2023-06', units: 40 }] }] });
    expect(supply.stopRatePct).toBeNull();
    expect(stockCaps(supply, []).caps).toEqual([{ at: '2023-05-01', sustainableMonthlyInitiations: 2 }]);
    // Without stops the same stock still sustains 2 (4.8 and 4.608 round up to 5 anyway), but 8 units fewer sustain 1.
    const tighter = parseReplaySupply({ cohort, horizon: 3, schedule: BELATACEPT_SCHEDULE_6, declarations: [{ at: '2023-05-01', stockUnits: 92, expected: [{ period: '2023-06', units: 40 }] }] }).supply;
    expect(stockCaps(tighter, []).caps[0]?.sustainableMonthlyInitiations).toBe(1);
  });

  it('takes the schedule in force from the timeline, and says so when there is none', () => {
    const { supply } = parseReplaySupply({ cohort, stopRatePct: 4, horizon: 3, declarations: [{ at: '2023-05-01', stockUnits: 100, expected: [{ period: '2023-06', units: 40 }] }] });
    // The 2022-08 version carries the 6 mg/kg schedule: the same 2 a month.
    expect(stockCaps(supply, NULOJIX_TIMELINE).caps).toEqual([{ at: '2023-05-01', sustainableMonthlyInitiations: 2 }]);
    expect(stockCaps(supply, []).problems).toEqual([{ path: '$.supply.declarations[0].at', reason: 'no dosing schedule is in force on 2023-05-01: give $.supply.schedule' }]);
  });

  it('puts the stock’s cap on the capped versions from each declaration on, and leaves other modes alone', () => {
    const drafts = withStockCaps(NULOJIX_TIMELINE, [{ at: '2023-01-01', sustainableMonthlyInitiations: 35 }, { at: '2023-06-01', sustainableMonthlyInitiations: 12 }]);
    expect(drafts.map((d) => [d.effectiveFrom, d.mode, d.monthlyCap ?? null, d.quotaPool ?? null])).toEqual([
      ['2017-01-01', 'unrestricted', null, null],
      ['2022-08-01', 'freed-stock', null, null],
      ['2023-02-14', 'freed-stock', null, null],
      ['2023-05-09', 'capped', 35, 20],
      ['2023-06-01', 'capped', 12, 12],
      ['2023-10-02', 'unrestricted', null, null],
      ['2024-01-11', 'unrestricted', null, null],
    ]);
  });
});

describe('replay --input with supply declarations', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contingent-replay-supply-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays the capped months with the cap the stock sustains', async () => {
    const file = join(dir, 'supply.json');
    const plans = ['2023-05', '2023-06', '2023-07'].map((period) => ({ period, urgent: 5, quota: 30, stops: 0, extraSupply: 0 }));
    writeFileSync(file, JSON.stringify({
      medicine: 'NULOJIX',
      periods: plans,
      supply: { cohort, stopRatePct: 4, horizon: 3, declarations: [{ at: '2023-05-01', stockUnits: 100, expected: [{ period: '2023-06', units: 40 }] }] },
    }));
    const result = await runReplay({ input: file, format: 'json' });
    if (!result.ok) throw new Error(result.error);
    const rows = JSON.parse(result.value) as { period: string; capacity: number | null; urgentGranted: number; quotaGranted: number }[];
    // The 2023-05-09 version's published 50 becomes the stock's 2 a month.
    expect(rows.map((r) => [r.period, r.capacity])).toEqual([['2023-05', 2], ['2023-06', 2], ['2023-07', 2]]);
    for (const r of rows) expect(r.urgentGranted + r.quotaGranted).toBeLessThanOrEqual(2);
  });

  it('refuses a bad supply member with its path', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ medicine: 'NULOJIX', periods: [], supply: { cohort: [], declarations: [] } }));
    const result = await runReplay({ input: file, from: '2023-05', to: '2023-06' });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('$.supply.declarations: must be a non-empty array') });
  });
});
