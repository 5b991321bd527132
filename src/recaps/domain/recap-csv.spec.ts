import { Readable } from 'node:stream';
import fc from 'fast-check';
import { withNirKey } from '../../patients/domain/nir';
import { RecapCsvOptions, validateRecapCsv } from './recap-csv';
import { RecapRow, isPseudonym } from './recap-rows';
import { recapRefusalOf } from './recaps.errors';

const NIR_A = withNirKey('1850375123456');
const NIR_B = withNirKey('2900175012345');
const NIR_CORSICA = withNirKey('190022A012345');
const P1 = 'P-7KQ2M9XW4T';
const P2 = 'P-ABCDEFGH23';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
  for (const part of parts) yield part;
}

async function run(text: string | Buffer, options: Partial<RecapCsvOptions> = {}) {
  const rows: RecapRow[] = [];
  const result = await validateRecapCsv(chunks(text), { onRow: (row) => void rows.push(row), ...options });
  return { ...result, rows };
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function pseudonymFor(n: number): string {
  let out = '';
  for (let i = 0, v = n; i < 10; i++, v = Math.floor(v / 32)) out += ALPHABET[v % 32];
  return `P-${out}`;
}

const HEADER = 'medicine,period,patient,administrations,vials';

describe('recap CSV (SPEC §11 Recap CSV)', () => {
  it('accepts a comma-separated file of NIRs and pseudonyms and hands each line over', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${NIR_A},2,4\nNULOJIX,2024-03,${P1},1,2\n`);
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ lines: 2, errorCount: 0, medicine: 'NULOJIX', period: '2024-03', separator: ',', empty: false });
    expect(r.rows).toEqual([
      { line: 2, patient: NIR_A, patientKind: 'nir', administrations: 2, administrationDates: null, vials: 4 },
      { line: 3, patient: P1, patientKind: 'pseudonym', administrations: 1, administrationDates: null, vials: 2 },
    ]);
    expect(recapRefusalOf(r)).toBeNull();
  });

  it('detects ; from the header line, drops a BOM, reads CRLF, quotes and columns in any order', async () => {
    const text = `\uFEFFPatient;Vials;Medicine;Period;Administrations\r\n"${NIR_CORSICA}";"3";NULOJIX;2024-03;"2024-03-04|2024-03-18"\r\n`;
    const r = await run(Buffer.from(text, 'utf8'));
    expect(r.errors).toEqual([]);
    expect(r.separator).toBe(';');
    expect(r.rows).toEqual([
      { line: 2, patient: NIR_CORSICA, patientKind: 'nir', administrations: 2, administrationDates: ['2024-03-04', '2024-03-18'], vials: 3 },
    ]);
  });

  it('refuses a wrong header on line 1, field header, and stops there', async () => {
    const r = await run(`medicine,period,patient,administrations\nNULOJIX,2024-03,${P1},1\n`);
    expect(r.errors).toEqual([{ line: 1, field: 'header', reason: expect.stringContaining('lacks vials') }]);
    const unknown = await run(`medicine,period,patient,administrations,vials,comment\n`);
    expect(unknown.errors[0]).toMatchObject({ line: 1, field: 'header', reason: expect.stringContaining('"comment"') });
    const noSeparator = await run(`hello\n`);
    expect(noSeparator.errors[0]).toMatchObject({ line: 1, field: 'header' });
    expect(recapRefusalOf(r)?.code).toBe('RECAP_INVALID');
  });

  it('refuses an empty file and a header without patients', async () => {
    const empty = await run('');
    expect(empty.errors).toEqual([{ line: 1, field: 'file', reason: expect.stringContaining('empty') }]);
    expect(recapRefusalOf(empty)?.code).toBe('RECAP_EMPTY');
    const headerOnly = await run(`${HEADER}\n\n`);
    expect(headerOnly.errors).toEqual([{ line: 1, field: 'file', reason: 'has a header line but no patients' }]);
    expect(recapRefusalOf(headerOnly)?.code).toBe('RECAP_EMPTY');
  });

  it('refuses a NIR with a wrong key without repeating the NIR', async () => {
    const bad = NIR_A.slice(0, 13) + (NIR_A.endsWith('01') ? '02' : '01');
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${bad},1,2\n`);
    expect(r.errors).toEqual([{ line: 2, field: 'patient', reason: expect.stringContaining('key') }]);
    expect(JSON.stringify(r.errors)).not.toContain(bad.slice(0, 13));
  });

  it('refuses a malformed pseudonym, and never echoes a NIR put in another column', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,P-IIIIIIIIII,1,2\n${NIR_A},2024-03,${P1},1,2\n`);
    expect(r.errors).toEqual([
      { line: 2, field: 'patient', reason: expect.stringContaining('pseudonym') },
      { line: 3, field: 'medicine', reason: expect.stringContaining('looks like a NIR') },
    ]);
    expect(JSON.stringify(r.errors)).not.toContain(NIR_A);
  });

  it('refuses negative, non-integer and missing counts, naming the value', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${P1},-1,-3\nNULOJIX,2024-03,${P2},1.5,x\nNULOJIX,2024-03,${NIR_A},,\n`);
    expect(r.errors).toEqual([
      { line: 2, field: 'administrations', reason: 'must be 0 or more (got -1)' },
      { line: 2, field: 'vials', reason: 'must be 0 or more (got -3)' },
      { line: 3, field: 'administrations', reason: expect.stringContaining('"1.5"') },
      { line: 3, field: 'vials', reason: expect.stringContaining('"x"') },
      { line: 4, field: 'administrations', reason: expect.stringContaining('is required') },
      { line: 4, field: 'vials', reason: expect.stringContaining('is required') },
    ]);
    expect(r.lines).toBe(3);
  });

  it('refuses administration dates outside the period, impossible or repeated', async () => {
    const r = await run(
      `${HEADER}\nNULOJIX,2024-03,${P1},2024-04-01,1\nNULOJIX,2024-03,${P2},2024-02-30,1\nNULOJIX,2024-03,${NIR_A},2024-03-05|2024-03-05,2\n`,
    );
    expect(r.errors).toEqual([
      { line: 2, field: 'administrations', reason: 'has 2024-04-01, which is not in the period 2024-03' },
      { line: 3, field: 'administrations', reason: 'has "2024-02-30", which is not a date YYYY-MM-DD' },
      { line: 4, field: 'administrations', reason: 'lists 2024-03-05 twice' },
    ]);
  });

  it('refuses a line for another medicine or period than the expected ones', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-02,${P1},1,2\nOTHER,2024-03,${P2},1,2\n`, { expectedMedicine: 'NULOJIX', expectedPeriod: '2024-03' });
    expect(r.errors).toEqual([
      { line: 2, field: 'period', reason: 'is 2024-02 but the recap is for 2024-03' },
      { line: 3, field: 'medicine', reason: 'is "OTHER" but the recap is for "NULOJIX"' },
    ]);
    expect(r.periodMismatchOnly).toBe(true);
    expect(recapRefusalOf(r)?.code).toBe('RECAP_PERIOD_MISMATCH');
  });

  it('without an expected period, makes every line agree with the first', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${P1},1,2\nNULOJIX,2024-04,${P2},1,2\n`);
    expect(r.errors).toEqual([{ line: 3, field: 'period', reason: 'is 2024-04 but line 2 says 2024-03' }]);
    expect(r.period).toBe('2024-03');
    expect(recapRefusalOf(r)?.code).toBe('RECAP_INVALID');
  });

  it('refuses a patient listed twice, naming the first line, and can key NIRs like pseudonyms', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${NIR_A},1,2\nNULOJIX,2024-03,${P1},1,2\nNULOJIX,2024-03,${NIR_A},1,2\n`);
    expect(r.errors).toEqual([{ line: 4, field: 'patient', reason: 'lists a patient already listed at line 2' }]);
    const keyed = await run(`${HEADER}\nNULOJIX,2024-03,${NIR_B},1,2\nNULOJIX,2024-03,${P1},1,2\n`, {
      patientKey: (patient, kind) => (kind === 'nir' && patient === NIR_B ? P1 : patient),
    });
    expect(keyed.errors).toEqual([{ line: 3, field: 'patient', reason: 'lists a patient already listed at line 2' }]);
  });

  it('leaves duplicates to a caller that stores lines under a unique key, and can hand over the lines after a refused one', async () => {
    const text = `${HEADER}\nNULOJIX,2024-03,${NIR_A},1,2\nNULOJIX,2024-03,${P1},x,2\nNULOJIX,2024-03,${NIR_A},1,2\nNULOJIX,2024-03,${P2},1,3\n`;
    const seen: [number, boolean][] = [];
    const r = await validateRecapCsv(chunks(text), { checkDuplicates: false, rowsAfterRefusal: true, onRow: (row, afterRefusal) => void seen.push([row.line, afterRefusal]) });
    expect(r.errors).toEqual([{ line: 3, field: 'administrations', reason: expect.stringContaining('whole number') }]);
    expect(seen).toEqual([[2, false], [4, true], [5, true]]);
    // By default a refusal stops the hand-over, and the rules find the duplicate themselves.
    const byDefault = await run(text);
    expect(byDefault.rows.map((row) => row.line)).toEqual([2]);
    expect(byDefault.errors.map((e) => [e.line, e.field])).toEqual([[3, 'administrations'], [4, 'patient']]);
  });

  it('reports a bad last line that has no final newline', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${P1},1,2\nNULOJIX,2024-03,${P2},1,-2`);
    expect(r.errors).toEqual([{ line: 3, field: 'vials', reason: 'must be 0 or more (got -2)' }]);
  });

  it('counts blank lines in line numbers and refuses a wrong number of fields', async () => {
    const r = await run(`${HEADER}\n\nNULOJIX,2024-03,${P1},1\n   \nNULOJIX,2024-03,${P2},1,2,9\n`);
    expect(r.errors).toEqual([
      { line: 3, field: 'line', reason: expect.stringContaining('has 4 fields, expected 5') },
      { line: 5, field: 'line', reason: expect.stringContaining('has 6 fields, expected 5') },
    ]);
  });

  it('refuses an unclosed quote on its own line and goes on with the next ones', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,"${P1},1,2\nNULOJIX,2024-03,${P2},1,-1\n`);
    expect(r.errors).toEqual([
      { line: 2, field: 'line', reason: expect.stringContaining('not closed') },
      { line: 3, field: 'vials', reason: 'must be 0 or more (got -1)' },
    ]);
  });

  it('refuses bytes that are not UTF-8, on their line and column', async () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\nNULOJIX,2024-03,${P1},1,2\nNUL`), Buffer.from([0xe9]), Buffer.from(`,2024-03,${P2},1,2\n`)]);
    const r = await run(bytes);
    expect(r.errors).toEqual([{ line: 3, field: 'medicine', reason: 'contains bytes that are not valid UTF-8' }]);
  });

  it('refuses a line longer than the limit without holding it', async () => {
    const r = await run(`${HEADER}\nNULOJIX,2024-03,${P1},1,${'9'.repeat(10_000)}\nNULOJIX,2024-03,${P2},1,-1\n`);
    expect(r.errors).toEqual([
      { line: 2, field: 'line', reason: expect.stringContaining('longer than') },
      { line: 3, field: 'vials', reason: 'must be 0 or more (got -1)' },
    ]);
    expect(r.lines).toBe(2);
  });

  it('lists at most maxErrors errors but counts them all', async () => {
    const body = Array.from({ length: 20 }, (_, i) => `NULOJIX,2024-03,${P1},1,-${i + 1}`).join('\n');
    const r = await run(`${HEADER}\n${body}\n`, { maxErrors: 5 });
    expect(r.errors).toHaveLength(5);
    expect(r.errorCount).toBe(39); // 20 negative vials and 19 repeats of P1
    expect(recapRefusalOf(r)?.params).toMatchObject({ errorCount: 39, listed: 5 });
  });

  it('stops reading past maxLines and says the recap is too large', async () => {
    let produced = 0;
    async function* many(): AsyncGenerator<string> {
      yield `${HEADER}\n`;
      for (let i = 0; i < 1_000; i++) {
        produced += 1;
        yield `NULOJIX,2024-03,${P1},1,1\n`;
      }
    }
    const r = await validateRecapCsv(many(), { maxLines: 10, onRow: () => undefined, patientKey: (_p, _k) => String(Math.random()) });
    expect(r.tooLarge).toBe(true);
    expect(r.errors).toEqual([{ line: 12, field: 'file', reason: 'has more than 10 lines of patients' }]);
    expect(produced).toBeLessThan(20);
    expect(recapRefusalOf(r)?.code).toBe('RECAP_TOO_LARGE');
  });

  it('stops handing lines over after the first refused one, and awaits an async onRow', async () => {
    const seen: number[] = [];
    const r = await validateRecapCsv(chunks(`${HEADER}\nNULOJIX,2024-03,${P1},1,2\nNULOJIX,2024-03,${P2},1,-1\nNULOJIX,2024-03,${NIR_A},1,2\n`), {
      onRow: async (row) => {
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(row.line);
      },
    });
    expect(seen).toEqual([2]);
    expect(r.errorCount).toBe(1);
  });

  it('reads a Node Readable stream', async () => {
    const rows: RecapRow[] = [];
    const r = await validateRecapCsv(Readable.from([Buffer.from(`${HEADER}\nNULOJIX,2024-03,`), Buffer.from(`${P1},1,2\n`)]), {
      onRow: (row) => void rows.push(row),
    });
    expect(r.errors).toEqual([]);
    expect(rows).toHaveLength(1);
  });

  it('gives the same result however the bytes are cut into chunks', async () => {
    const text = `\uFEFF${HEADER}\r\nNULOJIX,2024-03,${NIR_A},2,4\r\nNULOJIX,2024-03,"${P1}",1,-2\r\nNULOJIX,2024-03,${P2},2024-03-01|2024-03-29,2\r\nNULÖJIX,2024-03,${NIR_B},1,2`;
    const bytes = Buffer.from(text, 'utf8');
    const whole = await run(bytes);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
        const parts = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        const rows: RecapRow[] = [];
        const r = await validateRecapCsv(chunks(...parts), { onRow: (row) => void rows.push(row) });
        expect(r.errors).toEqual(whole.errors);
        expect(rows).toEqual(whole.rows);
      }),
      { numRuns: 150 },
    );
  });

  it('streams a 200,000-line file: lines are handed over long before the end is read', async () => {
    const total = 200_000;
    let linesProduced = 0;
    let producedAtFirstRow = -1;
    async function* generate(): AsyncGenerator<string> {
      yield `${HEADER}\n`;
      const batch: string[] = [];
      for (let i = 0; i < total; i++) {
        const patient = i % 2 === 0 ? withNirKey(`1850375${String(i).padStart(6, '0')}`) : pseudonymFor(i);
        batch.push(`NULOJIX,2024-03,${patient},2,4`);
        if (batch.length === 1_000) {
          linesProduced += batch.length;
          yield `${batch.join('\n')}\n`;
          batch.length = 0;
        }
      }
    }
    let count = 0;
    const r = await validateRecapCsv(generate(), {
      maxLines: total,
      expectedPeriod: '2024-03',
      patientKey: (p) => p,
      onRow: () => {
        if (producedAtFirstRow < 0) producedAtFirstRow = linesProduced;
        count += 1;
      },
    });
    expect(producedAtFirstRow).toBeLessThanOrEqual(1_000);
    expect(r.errors.slice(0, 3)).toEqual([]);
    expect(r.lines).toBe(total);
    expect(count).toBe(total);
  }, 10_000);
});

describe('pseudonyms (SPEC §11: patient is a NIR or a pseudonym)', () => {
  it('are P- and 10 characters of the look-alike-free alphabet', () => {
    expect(isPseudonym(P1)).toBe(true);
    expect(isPseudonym('P-7KQ2M9XW4')).toBe(false);
    expect(isPseudonym('P-7KQ2M9XW4O')).toBe(false);
    expect(isPseudonym('p-7KQ2M9XW4T')).toBe(false);
  });
});
