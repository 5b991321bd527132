import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayCommand } from '../../src/cli/replay.command';
import { ReplayOptions } from '../../src/replay/replay-runner';
import { DB_KIND } from '../support/test-app';

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs the command class in-process, as `node dist/cli.js replay …` would, capturing its output. */
async function replay(options: ReplayOptions): Promise<Run> {
  const previous = process.exitCode;
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.exitCode = 0;
  (process.stdout as { write: unknown }).write = (chunk: string) => out.push(String(chunk));
  (process.stderr as { write: unknown }).write = (chunk: string) => err.push(String(chunk));
  try {
    await new ReplayCommand().run([], options);
  } finally {
    (process.stdout as { write: unknown }).write = writeOut;
    (process.stderr as { write: unknown }).write = writeErr;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = previous;
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

const STACK = /\n\s+at .+\(.*:\d+:\d+\)|\bat Object\.|\.ts:\d+/;
const timeline = { medicine: 'NULOJIX', from: '2022-08', to: '2024-01' };

describe(`replay command (${DB_KIND}; needs no database)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'contingent-replay-'));

  it('prints the period table of the Nulojix timeline: one row per period, 2022-08 to 2024-01', async () => {
    const run = await replay(timeline);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^period\s+version\s+mode\s+capacity\s+urgent asked\s+urgent granted\s+quota asked\s+quota granted\s+refused\s+waitlisted\s+stops\s+extra\s+max deviation$/);
    expect(lines).toHaveLength(2 + 18);
    expect(lines.find((l) => l.startsWith('2023-05'))).toMatch(/^2023-05\s+3→4\s+capped\s+50\s/);
    expect(lines.find((l) => l.startsWith('2023-10'))).toMatch(/^2023-10\s+4→5\s+unrestricted\s+unlimited\s/);
  });

  it('CSV and JSON give the same figures, and the same seed the same figures', async () => {
    const csv = await replay({ ...timeline, format: 'csv' });
    const json = await replay({ ...timeline, format: 'json' });
    expect(csv.exitCode).toBe(0);
    expect(json.exitCode).toBe(0);
    const [header, ...lines] = csv.stdout.trimEnd().split('\n');
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(18);
    expect(lines).toHaveLength(18);
    const columns = header!.split(',');
    const may = Object.fromEntries(columns.map((c, i) => [c, lines[9]!.split(',')[i]]));
    expect(may).toMatchObject({ period: '2023-05', policyVersions: '3;4', mode: 'capped', capacity: '50' });
    expect(Number(may.urgentGranted)).toBe(rows[9]!.urgentGranted);
    expect(Number(may.quotaGranted)).toBe(rows[9]!.quotaGranted);
    for (const r of rows) expect(r.largestDeviation as number).toBeLessThan(1);
    expect((await replay({ ...timeline, format: 'json' })).stdout).toBe(json.stdout);
    expect((await replay({ ...timeline, format: 'json', seed: '2' })).stdout).not.toBe(json.stdout);
  });

  it('replays a given JSON file', async () => {
    const file = join(dir, 'stream.json');
    writeFileSync(file, JSON.stringify({
      medicine: 'NULOJIX',
      centres: [{ finess: '750000002', followedPatients: 3000 }, { finess: '750000010', followedPatients: 1000 }],
      periods: [{ period: '2023-06', urgent: [{ day: 2, decision: 'approve' }, { day: 3, decision: 'reject' }], quota: [{ finess: '750000010', count: 8 }] }],
    }));
    const run = await replay({ input: file, format: 'json' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({ period: '2023-06', urgentAsked: 2, urgentGranted: 1, refused: 1, quotaAsked: 8, quotaGranted: 5, waitlisted: 3 }),
    ]);
  });

  describe('bad input: a clear message, exit code 2, never a stack trace', () => {
    const bad = async (options: ReplayOptions, message: string | RegExp): Promise<void> => {
      const run = await replay(options);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK);
    };

    it('an unknown medicine', async () => {
      await bad({ ...timeline, medicine: 'ASPIRIN' }, /^replay: unknown medicine ASPIRIN \(known: NULOJIX\)\n$/);
    });

    it('--from after --to', async () => {
      await bad({ ...timeline, from: '2024-02', to: '2024-01' }, /^replay: --from 2024-02 is after --to 2024-01\n$/);
    });

    it('a period that is not YYYY-MM, an unknown format, a period before the first version', async () => {
      await bad({ ...timeline, from: '2022-8' }, 'replay: --from must be a period YYYY-MM, not 2022-8');
      await bad({ ...timeline, format: 'xml' }, 'replay: unknown format xml (expected one of table, csv, json)');
      await bad({ ...timeline, from: '2016-01' }, 'replay: no policy of NULOJIX is in force on 2016-01-01 (the first takes effect on 2017-01-01)');
    });

    it('a malformed file: each problem with its JSON path', async () => {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ periods: [{ period: '2023-05', quota: [{ finess: '750000000', count: 2 }] }, { period: '2023-06', stops: -3 }] }));
      await bad({ ...timeline, input: file }, new RegExp(`^replay: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid replay file:\n`));
      const run = await replay({ ...timeline, input: file });
      expect(run.stderr).toContain('$.periods[0].quota[0].finess: is not a FINESS number');
      expect(run.stderr).toContain('$.periods[1].stops: must be an integer from 0 to 10000');
    });

    it('a file that is not JSON, or not there', async () => {
      const file = join(dir, 'truncated.json');
      writeFileSync(file, '{ "periods": [');
      await bad({ ...timeline, input: file }, /is not valid JSON/);
      await bad({ ...timeline, input: join(dir, 'absent.json') }, /cannot read .*absent\.json: no such file/);
    });

    it('a file whose policies break the rules of a policy version', async () => {
      const file = join(dir, 'policies.json');
      writeFileSync(file, JSON.stringify({ policies: [{ effectiveFrom: '2023-01-01', mode: 'capped', quotaPool: 20, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }] }], periods: [] }));
      await bad({ ...timeline, input: file }, '$.policies[0].monthlyCap: is required in capped mode');
    });
  });
});
