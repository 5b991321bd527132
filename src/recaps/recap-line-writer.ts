import type { EntityManager } from 'typeorm';
import { inList, valuesList } from '../common/database/sql-values';
import { DEFAULT_MAX_RECAP_ERRORS, RecapLineError } from './domain/recap-rows';
import type { ResolvedRecapLine } from './recap-patients';

const COLUMNS = 6;
/** SQLite allows 32,766 bound parameters a statement, PostgreSQL 65,535: 500 rows × 6 stay far below both. */
export const RECAP_INSERT_ROWS = 500;
const HEAD = 'INSERT INTO recap_lines (recap_id, patient, line, administrations, administration_dates, vials) VALUES ';

type ChunkLine = ResolvedRecapLine & { checked?: false };

/** Rows of the recap read back a page at a time by the check at the end (keyset on the primary key). */
const LINK_CHECK_PAGE = 5_000;

/** One bit a file line, grown as needed: which lines gave a pseudonym to check (1.25 MB for 10 M lines). */
class LineBits {
  private bits = new Uint32Array(1_024);

  set(line: number): void {
    const word = line >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(this.bits.length * 2, word + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[word] = (this.bits[word] as number) | (1 << (line & 31));
  }

  has(line: number): boolean {
    const word = line >>> 5;
    return word < this.bits.length && ((this.bits[word] as number) & (1 << (line & 31))) !== 0;
  }
}

/**
 * Writes the lines of one recap as they are read, inside the caller's transaction: prepared
 * multi-row INSERTs of a fixed size (one statement text reused), so that memory holds one chunk,
 * never the file. The primary key (recap, patient) finds a patient listed twice: such a row is
 * skipped by `ON CONFLICT DO NOTHING`, and only a chunk that stored fewer rows than it had is
 * read back to name the first line of each repeated patient. Pseudonyms are checked a chunk at a
 * time against the patients the establishment knows (a NIR is always accepted, SPEC §5) — or,
 * with `checkLinksAtEnd` (a CSV file, whose lines have no JSON field), once all lines are
 * stored: one set-based query joins the recap's stored rows with patient_links, both read in
 * primary-key order (a page at a time), instead of a lookup at a random place a chunk; the lines
 * to check are remembered as one bit each. The errors listed are the same: the first ones by line.
 * Anything found is an error of the file, which the caller then refuses whole (rollback).
 */
export class RecapLineWriter {
  readonly errors: RecapLineError[] = [];
  errorCount = 0;
  length = 0;
  administrations = 0;
  vials = 0;
  private chunk: ChunkLine[] = [];
  /** The chunk being written while the next one is read (PostgreSQL works meanwhile); awaited before the next write. */
  private inFlight: Promise<void> = Promise.resolve();
  private readonly postgres: boolean;
  private readonly insertFull: string;
  private readonly linkedFull: string;
  /** With `checkLinksAtEnd`: the lines whose pseudonym is to be checked, and how many. */
  private readonly toCheck = new LineBits();
  private toCheckCount = 0;

  constructor(
    private readonly manager: EntityManager,
    private readonly recapId: string,
    private readonly establishment: string,
    private readonly maxErrors = DEFAULT_MAX_RECAP_ERRORS,
    private readonly checkLinksAtEnd = false,
  ) {
    this.postgres = manager.connection.options.type === 'postgres';
    this.insertFull = `${HEAD}${valuesList(this.postgres, RECAP_INSERT_ROWS, COLUMNS)} ON CONFLICT DO NOTHING`;
    this.linkedFull = this.linkedSql(RECAP_INSERT_ROWS);
  }

  /**
   * Takes one accepted line; writes a chunk once it is full (the caller awaits: that is the
   * back-pressure on the upload). `checkPatient: false` only finds duplicates with the line (a
   * line after a refused one: the file is refused anyway, and its unknown patients are not listed).
   */
  push(line: ResolvedRecapLine, checkPatient = true): Promise<void> | undefined {
    this.chunk.push(checkPatient ? line : { ...line, checked: false });
    if (this.checkLinksAtEnd && checkPatient && line.kind === 'pseudonym') {
      this.toCheck.set(line.line);
      this.toCheckCount += 1;
    }
    this.length += 1;
    this.administrations += line.administrations;
    this.vials += line.vials;
    // Only a full chunk returns a promise: the other lines cost no await.
    return this.chunk.length >= RECAP_INSERT_ROWS ? this.flush() : undefined;
  }

  /** Writes what is left; every error of the lines taken so far is known once this resolves. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    if (this.checkLinksAtEnd && this.toCheckCount > 0) await this.checkStoredPatients();
  }

  /** Waits for the chunk being written, whatever its outcome (a read that failed must not leave a write running into the rollback). */
  async settled(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const rows = this.chunk;
    this.chunk = [];
    await this.inFlight;
    if (rows.length === 0) return;
    const writing = this.write(rows);
    this.inFlight = writing;
    // Awaited by the next flush or by finish(); this only keeps a failure meanwhile from being unhandled.
    writing.catch(() => undefined);
  }

  private async write(rows: ChunkLine[]): Promise<void> {
    const params: unknown[] = [];
    for (const row of rows) {
      params.push(this.recapId, row.patient, row.line, row.administrations, row.administrationDates === null ? null : JSON.stringify(row.administrationDates), row.vials);
    }
    const sql = rows.length === RECAP_INSERT_ROWS ? this.insertFull : `${HEAD}${valuesList(this.postgres, rows.length, COLUMNS)} ON CONFLICT DO NOTHING`;
    const result = (await this.runner().query(sql, params, true)) as { affected?: number | null };
    // A repeated line is refused as such (the rules alone did the same), not also as an unknown patient.
    const repeated = (result.affected ?? rows.length) < rows.length ? await this.findRepeated(rows) : null;
    if (!this.checkLinksAtEnd) await this.checkPatients(repeated === null ? rows : rows.filter((r) => !repeated.has(r.line)));
  }

  /** A chunk stored fewer rows than it had: each row whose patient is stored under another line repeats that line's patient. */
  private async findRepeated(rows: ChunkLine[]): Promise<Set<number>> {
    const patients = [...new Set(rows.map((r) => r.patient))];
    const stored: { patient: string; line: number }[] = await this.manager.query(
      `SELECT patient, line FROM recap_lines WHERE recap_id = ${this.postgres ? '$1' : '?'} AND patient IN (${inList(this.postgres, patients.length, 1)})`,
      [this.recapId, ...patients],
    );
    const firstLine = new Map(stored.map((s) => [s.patient, Number(s.line)]));
    const repeated = new Set<number>();
    for (const row of rows) {
      const first = firstLine.get(row.patient);
      if (first === undefined || first === row.line) continue;
      repeated.add(row.line);
      this.addError(row, `lists a patient already listed at ${row.field === null ? `line ${first}` : `patients[${first}]`}`);
    }
    return repeated;
  }

  /** Pseudonyms must be patients this establishment registered or treats (another's is answered like an unknown one, SPEC §1). */
  private async checkPatients(rows: ChunkLine[]): Promise<void> {
    const pseudonyms = [...new Set(rows.filter((r) => r.kind === 'pseudonym' && r.checked !== false).map((r) => r.patient))];
    if (pseudonyms.length === 0) return;
    // Padded to the full size with the first value, so that one statement text serves every chunk.
    const full = pseudonyms.length <= RECAP_INSERT_ROWS;
    const values = full ? [...pseudonyms, ...new Array<string>(RECAP_INSERT_ROWS - pseudonyms.length).fill(pseudonyms[0] as string)] : pseudonyms;
    const found: { pseudonym: string }[] = await this.manager.query(full ? this.linkedFull : this.linkedSql(values.length), [this.establishment, ...values]);
    const linked = new Set(found.map((r) => r.pseudonym));
    for (const row of rows) {
      if (row.kind === 'pseudonym' && row.checked !== false && !linked.has(row.patient)) this.addError(row, `is not a patient known to this establishment (${row.patient})`);
    }
  }

  /**
   * The check of `checkLinksAtEnd`: the stored rows (the first line of each patient: a repeated
   * line is not stored, and is refused as repeated only) whose patient the establishment does not
   * know, read in primary-key order a page at a time; those whose line gave a pseudonym are
   * errors. The errors listed stay the first `maxErrors` by line, those found while writing
   * (repeated lines) and these together, as when each chunk was checked in turn.
   */
  private async checkStoredPatients(): Promise<void> {
    const p = this.postgres;
    const sql =
      `SELECT l.patient AS patient, l.line AS line FROM recap_lines l WHERE l.recap_id = ${p ? '$1' : '?'} AND l.patient > ${p ? '$2' : '?'} ` +
      `AND NOT EXISTS (SELECT 1 FROM patient_links k WHERE k.pseudonym = l.patient AND k.finess = ${p ? '$3' : '?'}) ORDER BY l.patient LIMIT ${LINK_CHECK_PAGE}`;
    let unknown: { line: number; patient: string }[] = [];
    let count = 0;
    let after = '';
    for (;;) {
      const page: { patient: string; line: number | string }[] = await this.manager.query(sql, [this.recapId, after, this.establishment]);
      for (const row of page) {
        const line = Number(row.line);
        if (!this.toCheck.has(line)) continue;
        count += 1;
        unknown.push({ line, patient: row.patient });
      }
      if (unknown.length > 2 * this.maxErrors) unknown = firstByLine(unknown, this.maxErrors);
      if (page.length < LINK_CHECK_PAGE) break;
      after = (page[page.length - 1] as { patient: string }).patient;
    }
    if (count === 0) return;
    const found = unknown.map(({ line, patient }) => ({ line, field: 'patient', reason: `is not a patient known to this establishment (${patient})` }));
    const listed = firstByLine([...this.errors, ...found], this.maxErrors);
    this.errors.length = 0;
    this.errors.push(...listed);
    this.errorCount += count;
  }

  private linkedSql(count: number): string {
    return `SELECT pseudonym FROM patient_links WHERE finess = ${this.postgres ? '$1' : '?'} AND pseudonym IN (${inList(this.postgres, count, 1)})`;
  }

  private addError(row: ResolvedRecapLine, reason: string): void {
    this.errorCount += 1;
    if (this.errors.length < this.maxErrors) this.errors.push({ line: row.line, field: row.field === null ? 'patient' : `${row.field}.patient`, reason });
  }

  private runner(): NonNullable<EntityManager['queryRunner']> {
    if (!this.manager.queryRunner) throw new Error('recap lines are written inside a transaction');
    return this.manager.queryRunner;
  }
}

/** The `max` entries of smallest line, in line order. */
function firstByLine<T extends { line: number }>(entries: T[], max: number): T[] {
  return entries.sort((a, b) => a.line - b.line).slice(0, max);
}
