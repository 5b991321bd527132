import { createHmac, randomBytes } from 'node:crypto';
import { isIsoDate, isPeriod } from '../../common/domain/period';
import { checkNir } from '../../patients/domain/nir';

/**
 * Pseudonyms as `pseudonymOf` (src/patients/domain/pseudonym.ts) makes them: `P-` and 10
 * characters from the base-32 alphabet without look-alikes (A–Z without I and O, then 2–9).
 */
export const PSEUDONYM_RE = /^P-[A-HJ-NP-Z2-9]{10}$/;

/** Whether a value is a pseudonym (SPEC §11: a recap's `patient` is a NIR or a pseudonym). */
export function isPseudonym(value: string): boolean {
  return PSEUDONYM_RE.test(value);
}

export type PatientKind = 'nir' | 'pseudonym';

/** The columns of the recap CSV (SPEC §11), in the order the contract gives them. */
export const RECAP_COLUMNS = ['medicine', 'period', 'patient', 'administrations', 'vials'] as const;
export type RecapColumn = (typeof RECAP_COLUMNS)[number];

/** At most two administrations a day in a month: guards typos and overflow, not a dosing rule. */
export const MAX_ADMINISTRATIONS_PER_PERIOD = 62;
/** Guards typos and overflow of one patient's vials in one period. */
export const MAX_VIALS_PER_LINE = 10_000;
export const DEFAULT_MAX_RECAP_LINES = 100_000;
export const DEFAULT_MAX_RECAP_ERRORS = 1_000;

/**
 * One valid recap line. `patient` is the normalised NIR (15 characters, upper case) or the
 * pseudonym: the caller hashes a NIR at once and must not keep this row.
 * `administrations` is a count; `administrationDates` is set when the line gave dates instead.
 * `line` is the CSV file line (header = 1), or the 0-based index in `patients` for JSON.
 */
export interface RecapRow {
  line: number;
  patient: string;
  patientKind: PatientKind;
  administrations: number;
  administrationDates: string[] | null;
  vials: number;
}

/** A refused line of a recap: the CSV file line, the column, the reason (SPEC §11). */
export interface RecapLineError {
  line: number;
  field: string;
  reason: string;
}

/** Maps a valid patient to the key under which duplicates are found; see `RecapRuleOptions.patientKey`. */
export type PatientKeyFn = (patient: string, kind: PatientKind) => string;

export interface RecapRuleOptions {
  /** The medicine of the URL or form; every line must name it. */
  expectedMedicine?: string;
  /** The period of the URL or form; every line must name it. */
  expectedPeriod?: string;
  /** Data lines allowed (header and blank lines not counted); more → `tooLarge`. */
  maxLines?: number;
  /** Errors listed (all are counted in `errorCount`). */
  maxErrors?: number;
  /**
   * Duplicate key of a patient. Pass `(p, kind) => kind === 'nir' ? pseudonymOf(hashNir(p, s), s) : p`
   * so that one person listed once by NIR and once by pseudonym is caught. By default a NIR is
   * keyed with an HMAC under a random key made for this one validation, so that no raw NIR is kept.
   */
  patientKey?: PatientKeyFn;
  /**
   * Whether the rules find patients listed twice themselves (the default), keeping one entry a
   * patient in memory. A caller that stores the lines under a unique key (the recap import:
   * the database's primary key) passes false and reports the duplicates the store finds.
   */
  checkDuplicates?: boolean;
}

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const NIR_LIKE = /[0-9]{9,}/;

/** Quotes a bad value for a reason, never echoing what looks like a NIR (SPEC §2: never returned). */
export function quoteValue(value: string): string {
  if (NIR_LIKE.test(value)) return 'a value that looks like a NIR (not repeated here)';
  const short = value.length > 24 ? `${value.slice(0, 24)}…` : value;
  return JSON.stringify(short);
}

export function checkPatientValue(raw: string): Checked<{ patient: string; kind: PatientKind }> {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'is required: a NIR or a pseudonym' };
  if (/^p-/i.test(value)) {
    const upper = value.toUpperCase();
    if (isPseudonym(upper)) return { ok: true, value: { patient: upper, kind: 'pseudonym' } };
    return { ok: false, reason: 'is not a valid pseudonym: expected P- and 10 characters from A–Z (no I or O) and 2–9' };
  }
  const nir = checkNir(value);
  if (!nir.ok) return { ok: false, reason: `is neither a pseudonym nor a valid NIR: ${nir.error}` };
  return { ok: true, value: { patient: nir.value, kind: 'nir' } };
}

export function checkVialsCount(value: number): Checked<number> {
  if (!Number.isInteger(value)) return { ok: false, reason: `must be a whole number of 0 or more (got ${value})` };
  if (value < 0) return { ok: false, reason: `must be 0 or more (got ${value})` };
  if (value > MAX_VIALS_PER_LINE) return { ok: false, reason: `must be at most ${MAX_VIALS_PER_LINE} for one patient in a period (got ${value})` };
  return { ok: true, value };
}

export function checkAdministrationsCount(value: number): Checked<number> {
  if (!Number.isInteger(value)) return { ok: false, reason: `must be a whole number of 0 or more, or a list of dates (got ${value})` };
  if (value < 0) return { ok: false, reason: `must be 0 or more (got ${value})` };
  if (value > MAX_ADMINISTRATIONS_PER_PERIOD) {
    return { ok: false, reason: `must be at most ${MAX_ADMINISTRATIONS_PER_PERIOD} in a period (got ${value})` };
  }
  return { ok: true, value };
}

/** Dates of administrations: valid, in the period when it is known, each once. Returned sorted. */
export function checkAdministrationDates(dates: readonly string[], period: string | null): Checked<string[]> {
  if (dates.length > MAX_ADMINISTRATIONS_PER_PERIOD) {
    return { ok: false, reason: `must list at most ${MAX_ADMINISTRATIONS_PER_PERIOD} dates in a period (got ${dates.length})` };
  }
  const seen = new Set<string>();
  for (const date of dates) {
    if (!isIsoDate(date)) return { ok: false, reason: `has ${quoteValue(date)}, which is not a date YYYY-MM-DD` };
    if (period !== null && date.slice(0, 7) !== period) return { ok: false, reason: `has ${date}, which is not in the period ${period}` };
    if (seen.has(date)) return { ok: false, reason: `lists ${date} twice` };
    seen.add(date);
  }
  return { ok: true, value: [...seen].sort() };
}

/** CSV text of `administrations`: a whole number, or dates separated by `|`. */
export function parseAdministrationsText(raw: string, period: string | null): Checked<{ count: number; dates: string[] | null }> {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'is required: a whole number of 0 or more, or dates YYYY-MM-DD separated by |' };
  if (/^\d{1,9}$/.test(value)) {
    const count = checkAdministrationsCount(Number(value));
    return count.ok ? { ok: true, value: { count: count.value, dates: null } } : count;
  }
  if (/^\d{4}-/.test(value)) {
    const dates = checkAdministrationDates(value.split('|').map((d) => d.trim()), period);
    return dates.ok ? { ok: true, value: { count: dates.value.length, dates: dates.value } } : dates;
  }
  if (/^-\d+$/.test(value)) return { ok: false, reason: `must be 0 or more (got ${value})` };
  return { ok: false, reason: `must be a whole number of 0 or more, or dates YYYY-MM-DD separated by | (got ${quoteValue(value)})` };
}

/** CSV text of `vials`: a whole number of 0 or more. */
export function parseVialsText(raw: string): Checked<number> {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'is required: a whole number of 0 or more' };
  if (/^\d{1,9}$/.test(value)) return checkVialsCount(Number(value));
  if (/^-\d+$/.test(value)) return { ok: false, reason: `must be 0 or more (got ${value})` };
  return { ok: false, reason: `must be a whole number of 0 or more (got ${quoteValue(value)})` };
}

/**
 * The state shared by the lines of one recap: the medicine and period every line must agree on,
 * the patients already seen (by key, never the raw NIR), and the error list with its cap.
 */
export class RecapRules {
  medicine: string | null;
  period: string | null;
  readonly errors: RecapLineError[] = [];
  errorCount = 0;
  /** Errors that only say a line names another medicine or period than the expected one. */
  mismatchCount = 0;
  /** Whether `checkUnique` is to be called: see `RecapRuleOptions.checkDuplicates`. */
  readonly checksDuplicates: boolean;
  private medicineLine = 0;
  private periodLine = 0;
  private readonly seen = new SeenPatients();
  private readonly maxErrors: number;
  private readonly patientKey: PatientKeyFn;
  private readonly expectedMedicine: string | null;
  private readonly expectedPeriod: string | null;

  constructor(options: RecapRuleOptions) {
    this.expectedMedicine = options.expectedMedicine?.trim() || null;
    this.expectedPeriod = options.expectedPeriod?.trim() || null;
    this.medicine = this.expectedMedicine;
    this.period = this.expectedPeriod;
    this.maxErrors = options.maxErrors ?? DEFAULT_MAX_RECAP_ERRORS;
    this.patientKey = options.patientKey ?? ephemeralPatientKey();
    this.checksDuplicates = options.checkDuplicates ?? true;
  }

  addError(line: number, field: string, reason: string): void {
    this.errorCount += 1;
    if (this.errors.length < this.maxErrors) this.errors.push({ line, field, reason });
  }

  /** The medicine of one line: the expected one, or else the first valid line's. Returns whether it is valid. */
  checkMedicine(raw: string, line: number, field: string): boolean {
    const value = raw.trim();
    if (value === '') return this.refuse(line, field, 'is required');
    if (value.length > 64) return this.refuse(line, field, `must be a medicine code of at most 64 characters (got ${value.length})`);
    if (this.expectedMedicine !== null) {
      if (value === this.expectedMedicine) return true;
      this.mismatchCount += 1;
      return this.refuse(line, field, `is ${quoteValue(value)} but the recap is for ${quoteValue(this.expectedMedicine)}`);
    }
    if (this.medicine === null) {
      this.medicine = value;
      this.medicineLine = line;
      return true;
    }
    if (value === this.medicine) return true;
    return this.refuse(line, field, `is ${quoteValue(value)} but ${this.where(this.medicineLine)} says ${quoteValue(this.medicine)}`);
  }

  /** The period of one line, as `checkMedicine`. Returns the period to check dates against, or null. */
  checkPeriod(raw: string, line: number, field: string): string | null {
    const value = raw.trim();
    if (!isPeriod(value)) {
      this.refuse(line, field, value === '' ? 'is required: a period YYYY-MM' : `must be a period YYYY-MM (got ${quoteValue(value)})`);
      return null;
    }
    if (this.expectedPeriod !== null) {
      if (value === this.expectedPeriod) return value;
      this.mismatchCount += 1;
      this.refuse(line, field, `is ${value} but the recap is for ${this.expectedPeriod}`);
      return null;
    }
    if (this.period === null) {
      this.period = value;
      this.periodLine = line;
      return value;
    }
    if (value === this.period) return value;
    this.refuse(line, field, `is ${value} but ${this.where(this.periodLine)} says ${this.period}`);
    return null;
  }

  /** A patient listed twice in one recap is refused, naming where it was first listed. */
  checkUnique(patient: string, kind: PatientKind, line: number, field: string, firstAt: (line: number) => string): boolean {
    const key = this.patientKey(patient, kind);
    const first = this.seen.get(key);
    if (first !== undefined) return this.refuse(line, field, `lists a patient already listed at ${firstAt(first)}`);
    this.seen.set(key, line);
    return true;
  }

  private where(line: number): string {
    return `line ${line}`;
  }

  private refuse(line: number, field: string, reason: string): false {
    this.addError(line, field, reason);
    return false;
  }
}

const PSEUDONYM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PSEUDONYM_DIGIT = new Map([...PSEUDONYM_ALPHABET].map((c, i) => [c, i]));

/** A pseudonym's 10 base-32 characters as one 50-bit integer (exact in a double), plus one so that 0 means "empty". */
function pseudonymCode(key: string): number {
  let code = 0;
  for (let i = 11; i >= 2; i--) code = code * 32 + (PSEUDONYM_DIGIT.get(key[i] as string) as number);
  return code + 1;
}

/**
 * The patients seen so far in one recap and the line each was first seen on. Pseudonym keys go
 * into an open-addressing table of doubles (12 bytes a patient instead of a Map entry and a
 * string), so that a file of a million lines is checked for duplicates in bounded memory.
 */
export class SeenPatients {
  private codes = new Float64Array(1_024);
  private lines = new Int32Array(1_024);
  private count = 0;
  private readonly others = new Map<string, number>();

  get size(): number {
    return this.count + this.others.size;
  }

  get(key: string): number | undefined {
    if (!isPseudonym(key)) return this.others.get(key);
    const code = pseudonymCode(key);
    const slot = this.find(this.codes, code);
    return this.codes[slot] === code ? this.lines[slot] : undefined;
  }

  set(key: string, line: number): void {
    if (!isPseudonym(key)) {
      this.others.set(key, line);
      return;
    }
    if ((this.count + 1) * 2 > this.codes.length) this.grow();
    const code = pseudonymCode(key);
    const slot = this.find(this.codes, code);
    if (this.codes[slot] !== code) this.count += 1;
    this.codes[slot] = code;
    this.lines[slot] = line;
  }

  private find(codes: Float64Array, code: number): number {
    const mask = codes.length - 1;
    let slot = (Math.imul(code % 0x2000000 ^ Math.floor(code / 0x2000000), 0x9e3779b1) >>> 0) & mask;
    while (codes[slot] !== 0 && codes[slot] !== code) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const codes = new Float64Array(this.codes.length * 2);
    const lines = new Int32Array(this.codes.length * 2);
    for (let i = 0; i < this.codes.length; i++) {
      const code = this.codes[i] as number;
      if (code === 0) continue;
      const slot = this.find(codes, code);
      codes[slot] = code;
      lines[slot] = this.lines[i] as number;
    }
    this.codes = codes;
    this.lines = lines;
  }
}

function ephemeralPatientKey(): PatientKeyFn {
  const secret = randomBytes(32);
  return (patient, kind) =>
    kind === 'pseudonym' ? patient : `#${createHmac('sha256', secret).update(patient).digest('base64').slice(0, 22)}`;
}
