import { parseReplayFile } from './replay-input';

const NECKER = '750000002';
const OTHER = '750000010';

describe('replay file', () => {
  it('reads a valid file: counts, explicit asks, centres with dated followed patients, policies', () => {
    const r = parseReplayFile(
      {
        medicine: 'NULOJIX',
        seed: 3,
        centres: [{ finess: NECKER, followedPatients: 3100 }, { finess: OTHER, followedPatients: { '2023-01': 1500, '2023-07': 1600 } }],
        policies: [{ effectiveFrom: '2023-01-01', mode: 'capped', monthlyCap: 10, quotaPool: 4, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }], committee: { votesRequired: 2 } }],
        periods: [
          { period: '2023-05', urgent: [{ finess: NECKER, day: 3 }, { decision: 'reject' }], quota: [{ finess: OTHER, count: 5, day: 15 }], stops: 10 },
          { period: '2023-06', urgent: 45, quota: 4, extraSupply: 2 },
        ],
      },
      [],
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.centres).toEqual([
      { finess: NECKER, followed: [{ from: '0000-01', count: 3100 }] },
      { finess: OTHER, followed: [{ from: '2023-01', count: 1500 }, { from: '2023-07', count: 1600 }] },
    ]);
    expect(r.value.periods).toEqual([
      { period: '2023-05', urgent: [{ finess: NECKER, day: 3 }, { decision: 'reject' }], quota: [{ finess: OTHER, count: 5, day: 15 }], stops: 10, extraSupply: 0 },
      { period: '2023-06', urgent: 45, quota: 4, stops: 0, extraSupply: 2 },
    ]);
    expect(r.value.policies?.[0]).toMatchObject({ mode: 'capped', monthlyCap: 10, quotaPool: 4, committee: { votesRequired: 2 } });
  });

  it('names the JSON path of every problem', () => {
    const r = parseReplayFile(
      {
        extra: 1,
        periods: [
          { period: '2023-05', urgent: 30, quota: [{ finess: '750000000', count: 2 }], stops: -1 },
          { period: '2023-13', urgent: 'many' },
          { period: '2023-02', quota: [{ finess: NECKER, count: 1, day: 29 }] },
          'x',
        ],
      },
      [NECKER],
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      { path: '$.extra', reason: 'is not a known field (expected one of medicine, seed, policies, centres, periods, supply)' },
      { path: '$.periods[0].quota[0].finess', reason: 'is not a FINESS number: Luhn check digit 0 does not match (expected 2)' },
      { path: '$.periods[0].stops', reason: 'must be an integer from 0 to 10000' },
      { path: '$.periods[1].period', reason: 'must be a period YYYY-MM' },
      { path: '$.periods[1].urgent', reason: 'must be an integer from 0 to 10000' },
      { path: '$.periods[2].quota[0].day', reason: 'must be a day of the month from 1 to 28' },
      { path: '$.periods[3]', reason: 'must be an object { period, urgent, quota, stops, extraSupply }' },
    ]);
  });

  it('refuses a centre that is not one of the replay\'s, a centre or a period listed twice', () => {
    const r = parseReplayFile(
      {
        centres: [{ finess: NECKER, followedPatients: 10 }, { finess: NECKER, followedPatients: 20 }],
        periods: [{ period: '2023-05', urgent: [{ finess: OTHER }] }, { period: '2023-05' }],
      },
      [],
    );
    expect(r.ok ? [] : r.error.map((p) => `${p.path}: ${p.reason}`)).toEqual([
      `$.centres[1].finess: ${NECKER} is listed twice`,
      `$.periods[0].urgent[0].finess: ${OTHER} is not one of the replay's centres`,
      '$.periods[1].period: 2023-05 is listed twice',
    ]);
  });

  it('checks the policies\' shape', () => {
    const r = parseReplayFile({ policies: [{ effectiveFrom: '2023-02-30', mode: 'weird', indications: [{ code: 'x', kind: 'sometimes' }], redistribute: 'yes' }], periods: [] }, []);
    expect(r.ok ? [] : r.error.map((p) => p.path)).toEqual([
      '$.policies[0].effectiveFrom',
      '$.policies[0].mode',
      '$.policies[0].redistribute',
      '$.policies[0].indications[0].kind',
    ]);
  });

  it('refuses what is not an object', () => {
    expect(parseReplayFile([1, 2], [])).toEqual({ ok: false, error: [{ path: '$', reason: 'must be a JSON object { medicine?, seed?, policies?, centres?, periods }' }] });
    expect(parseReplayFile({}, [])).toEqual({ ok: false, error: [{ path: '$.periods', reason: 'must be an array of { period, urgent, quota, stops, extraSupply }' }] });
  });
});
