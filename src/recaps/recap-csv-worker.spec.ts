import { withNirKey } from '../patients/domain/nir';
import { hashNir, pseudonymOf } from '../patients/domain/pseudonym';
import type { AppConfig } from '../config/config';
import { DomainError } from '../common/domain/domain-error';
import { validateRecapCsv } from './domain/recap-csv';
import type { RecapRow } from './domain/recap-rows';
import { BATCH_ROWS, BATCH_STRIDE, FLAG_AFTER_REFUSAL, FLAG_NIR, PSEUDONYM_CHARS, RowBatch } from './recap-csv-batch';
import { RecapCsvWorker } from './recap-csv-worker';

const SECRET = 'worker-spec-secret-0123456789';
const HEADER = 'medicine;period;patient;administrations;vials';
const NIR = (i: number): string => withNirKey(`1850375${String(100_000 + i)}`);
const P = (i: number): string => `P-${'ABCDEFGHJK'.slice(0, 5)}${String(22222 + (i % 70000)).replace(/[01]/g, '9')}`;

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

type Line = { line: number; patient: string; nir: boolean; afterRefusal: boolean; administrations: number; dates: string[] | null; vials: number };

function unpack(batch: RowBatch, into: Line[]): void {
  let next = 0;
  for (let i = 0; i < batch.count; i++) {
    const at = i * BATCH_STRIDE;
    const flags = batch.ints[at + 1] as number;
    const dates = batch.dates?.[next]?.[0] === i ? (batch.dates[next++] as [number, string[]])[1] : null;
    into.push({
      line: batch.ints[at] as number, patient: batch.patients.slice(i * PSEUDONYM_CHARS, (i + 1) * PSEUDONYM_CHARS), nir: (flags & FLAG_NIR) !== 0,
      afterRefusal: (flags & FLAG_AFTER_REFUSAL) !== 0, administrations: batch.ints[at + 2] as number, dates, vials: batch.ints[at + 3] as number,
    });
  }
}

/** What the import did in the request's thread: the pure rules, each NIR hashed into its pseudonym. */
async function direct(text: string, maxLines: number, expectedPeriod?: string) {
  const lines: Line[] = [];
  const validation = await validateRecapCsv(pieces(text, 4096), {
    maxLines, expectedPeriod, checkDuplicates: false, rowsAfterRefusal: true,
    onRow: (row: RecapRow, afterRefusal) => void lines.push({
      line: row.line, patient: row.patientKind === 'nir' ? pseudonymOf(hashNir(row.patient, SECRET), SECRET) : row.patient, nir: row.patientKind === 'nir',
      afterRefusal, administrations: row.administrations, dates: row.administrationDates, vials: row.vials,
    }),
  });
  return { validation, lines };
}

describe('RecapCsvWorker (the CSV checks and NIR hashing in a worker thread)', () => {
  let worker: RecapCsvWorker;
  beforeEach(() => {
    worker = new RecapCsvWorker({ patientIdSecret: SECRET } as AppConfig);
  });
  afterEach(async () => {
    await worker.onModuleDestroy();
  });

  const viaWorker = async (text: string, maxLines: number, chunk: number, expectedPeriod?: string) => {
    const lines: Line[] = [];
    let batches = 0;
    const validation = await worker.validate(pieces(text, chunk), { maxLines, expectedPeriod }, async (batch) => {
      batches += 1;
      unpack(batch, lines);
      await new Promise((resolve) => setImmediate(resolve));
    });
    return { validation, lines, batches };
  };

  it('gives the same lines, pseudonyms, errors and counts as the rules in the request thread', async () => {
    const rows: string[] = [HEADER];
    for (let i = 0; i < 3 * BATCH_ROWS + 17; i++) {
      if (i % 997 === 5) rows.push(`NULOJIX;2024-03;${NIR(i).slice(0, 10)};1;2`);
      else if (i % 1201 === 7) rows.push(`NULOJIX;2024-04;${P(i)};1;2`);
      else if (i % 1500 === 9) rows.push('');
      else if (i % 1700 === 3) rows.push(`NULOJIX;2024-03;${NIR(i)};2024-03-02|2024-03-01;1`);
      else rows.push(`NULOJIX;2024-03;${i % 2 === 0 ? NIR(i) : P(i)};${1 + (i % 2)};${i % 5}`);
    }
    const text = `\uFEFF${rows.join('\r\n')}`;
    const expected = await direct(text, 1_000_000);
    const got = await viaWorker(text, 1_000_000, 1000);
    expect(got.validation).toEqual(expected.validation);
    expect(got.lines).toEqual(expected.lines);
    expect(got.batches).toBeGreaterThanOrEqual(3);
    expect(got.validation.errorCount).toBeGreaterThan(0);
    expect(got.lines.some((l) => l.dates !== null)).toBe(true);
    expect(JSON.stringify(got)).not.toContain(NIR(0));
  });

  it('stops where the rules stop (too many lines, a bad header) and reuses its thread', async () => {
    const many = [HEADER, ...Array.from({ length: 50 }, (_, i) => `NULOJIX;2024-03;${P(i)};1;1`)].join('\n');
    expect(await viaWorker(many, 10, 64)).toEqual({ ...(await direct(many, 10)), batches: 1 });
    const bad = 'medicine;period;patient\nNULOJIX;2024-03;x\n';
    expect((await viaWorker(bad, 10, 7)).validation).toEqual((await direct(bad, 10)).validation);
    const mismatch = `${HEADER}\nNULOJIX;2024-04;${P(1)};1;1\n`;
    expect((await viaWorker(mismatch, 10, 5, '2024-03')).validation).toEqual((await direct(mismatch, 10, '2024-03')).validation);
  });

  it('fails an upload with a 503 when its thread dies, and starts a new one for the next', async () => {
    const text = [HEADER, ...Array.from({ length: 3 * BATCH_ROWS }, (_, i) => `NULOJIX;2024-03;${NIR(i)};1;1`)].join('\n');
    const failing = worker.validate(pieces(text, 512), { maxLines: 1_000_000 }, async () => {
      await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    });
    await expect(failing).rejects.toBeInstanceOf(DomainError);
    await expect(failing).rejects.toMatchObject({ code: 'RECAP_CHECKER_UNAVAILABLE', status: 503 });
    expect((await viaWorker(text, 1_000_000, 4096)).lines).toHaveLength(3 * BATCH_ROWS);
  });

  it('fails when a batch cannot be written, and the worker goes on with other files', async () => {
    const text = [HEADER, ...Array.from({ length: 2 * BATCH_ROWS }, (_, i) => `NULOJIX;2024-03;${P(i)};1;1`)].join('\n');
    await expect(worker.validate(pieces(text, 512), { maxLines: 1_000_000 }, () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect((await viaWorker(text, 1_000_000, 4096)).lines).toHaveLength(2 * BATCH_ROWS);
  });
});
