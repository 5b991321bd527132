/** One accepted line, by pseudonym, as it is stored. */
export interface StoredRecapRow {
  line: number;
  patient: string;
  administrations: number;
  administrationDates: string[] | null;
  vials: number;
}

const CHUNK_ROWS = 65_536;
const PSEUDONYM_BYTES = 12;

/**
 * The accepted lines of a recap between reading and storing, kept compactly (12 bytes of
 * pseudonym and three 32-bit integers a line, in fixed chunks), so that a recap of a million
 * lines is checked whole before anything is written, within bounded memory.
 */
export class RecapRowBuffer {
  private readonly pseudonyms: Buffer[] = [];
  private readonly numbers: Int32Array[] = [];
  private readonly dates = new Map<number, string[]>();
  length = 0;
  administrations = 0;
  vials = 0;

  push(row: StoredRecapRow): void {
    if (row.patient.length !== PSEUDONYM_BYTES) throw new RangeError(`a stored recap patient is a pseudonym of ${PSEUDONYM_BYTES} characters`);
    const chunk = Math.floor(this.length / CHUNK_ROWS);
    const at = this.length % CHUNK_ROWS;
    if (at === 0) {
      this.pseudonyms.push(Buffer.allocUnsafe(CHUNK_ROWS * PSEUDONYM_BYTES));
      this.numbers.push(new Int32Array(CHUNK_ROWS * 3));
    }
    (this.pseudonyms[chunk] as Buffer).write(row.patient, at * PSEUDONYM_BYTES, PSEUDONYM_BYTES, 'latin1');
    const numbers = this.numbers[chunk] as Int32Array;
    numbers[at * 3] = row.line;
    numbers[at * 3 + 1] = row.administrations;
    numbers[at * 3 + 2] = row.vials;
    if (row.administrationDates !== null) this.dates.set(this.length, row.administrationDates);
    this.length += 1;
    this.administrations += row.administrations;
    this.vials += row.vials;
  }

  at(index: number): StoredRecapRow {
    if (index < 0 || index >= this.length) throw new RangeError(`row ${index} of ${this.length}`);
    const chunk = Math.floor(index / CHUNK_ROWS);
    const at = index % CHUNK_ROWS;
    const numbers = this.numbers[chunk] as Int32Array;
    return {
      patient: (this.pseudonyms[chunk] as Buffer).toString('latin1', at * PSEUDONYM_BYTES, (at + 1) * PSEUDONYM_BYTES),
      line: numbers[at * 3] as number,
      administrations: numbers[at * 3 + 1] as number,
      vials: numbers[at * 3 + 2] as number,
      administrationDates: this.dates.get(index) ?? null,
    };
  }
}
