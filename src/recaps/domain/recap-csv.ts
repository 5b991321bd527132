import type { Readable } from 'node:stream';
import {
  DEFAULT_MAX_RECAP_LINES,
  RECAP_COLUMNS,
  RecapColumn,
  RecapLineError,
  RecapRow,
  RecapRuleOptions,
  RecapRules,
  checkPatientValue,
  parseAdministrationsText,
  parseVialsText,
  quoteValue,
} from './recap-rows';

/** A line longer than this is refused without being held in memory. */
export const MAX_RECAP_LINE_CHARS = 4_096;

export type RecapCsvSource = AsyncIterable<Buffer | Uint8Array | string> | Readable;

export interface RecapCsvOptions extends RecapRuleOptions {
  /**
   * Called with each valid line, in file order, and awaited when it returns a promise (so a
   * caller can write lines in chunks to a staging table). Not called any more once a line has
   * been refused (unless `rowsAfterRefusal`): the file is refused whole (SPEC §5), so the caller
   * drops what it staged.
   */
  onRow: (row: RecapRow, afterRefusal: boolean) => void | Promise<void>;
  /**
   * Keep handing over the valid lines after a line was refused (with `afterRefusal` true), so
   * that a caller that checks something the file alone cannot tell (duplicates found by the
   * database) reports it for every line of the file, not only those before the first refusal.
   */
  rowsAfterRefusal?: boolean;
}

/** What a recap file gave: every refused line (capped list, full count) and the agreed medicine and period. */
export interface RecapValidation {
  /** Data lines read (header and blank lines not counted). */
  lines: number;
  errors: RecapLineError[];
  errorCount: number;
  /** More than `maxLines` data lines: reading stopped there. */
  tooLarge: boolean;
  /** No header line, or a header line and no patients. */
  empty: boolean;
  /** Only the lines naming another medicine or period than the expected ones were refused. */
  periodMismatchOnly: boolean;
  medicine: string | null;
  period: string | null;
  separator: ',' | ';' | null;
}

type Split = { ok: true; fields: string[] } | { ok: false; reason: string };

/**
 * Streams and checks a recap CSV (SPEC §5 Monthly recap, §11 Recap CSV): UTF-8 (a BOM is
 * dropped), a header line, `,` or `;` as separator (the one the header line uses), columns
 * `medicine,period,patient,administrations,vials` (matched by name, case-insensitively, in any
 * order; none missing, none extra). Fields may be quoted with `"`; a field never spans lines, so
 * a line number is always a file line and one bad line never hides the next ones. Blank lines
 * are skipped (but counted in line numbers). `administrations` is a whole number, or the dates
 * `YYYY-MM-DD|YYYY-MM-DD…` in the period (their count). Every bad line is reported; a bad
 * header stops reading. The file is never held whole: only the current line is.
 */
export async function validateRecapCsv(source: RecapCsvSource, options: RecapCsvOptions): Promise<RecapValidation> {
  const rules = new RecapRules(options);
  const maxLines = options.maxLines ?? DEFAULT_MAX_RECAP_LINES;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let separator: ',' | ';' | null = null;
  let columns: RecapColumn[] | null = null;
  let headerLine = 0;
  let lineNo = 0;
  let lines = 0;
  let tooLarge = false;
  let stop = false;
  let started = false;
  let carry = '';
  let skipping = false;

  /** Checks one complete line; returns the valid row to hand over, or null. */
  const handleLine = (rawLine: string, line: number): RecapRow | null => {
    const text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (text.trim() === '') return null;
    if (columns === null) {
      headerLine = line;
      const header = readHeader(text);
      if (!header.ok) {
        rules.addError(line, 'header', header.reason);
        stop = true;
        return null;
      }
      separator = header.separator;
      columns = header.columns;
      return null;
    }
    lines += 1;
    if (lines > maxLines) {
      tooLarge = true;
      stop = true;
      rules.addError(line, 'file', `has more than ${maxLines} lines of patients`);
      return null;
    }
    const split = splitLine(text, separator ?? ',');
    if (!split.ok) {
      rules.addError(line, 'line', split.reason);
      return null;
    }
    if (split.fields.length !== columns.length) {
      rules.addError(line, 'line', `has ${split.fields.length} fields, expected ${columns.length} (${columns.join(separator ?? ',')})`);
      return null;
    }
    return checkLine(rules, columns, split.fields, line);
  };

  const emit = async (row: RecapRow | null): Promise<void> => {
    const afterRefusal = rules.errorCount > 0;
    if (row === null || (afterRefusal && options.rowsAfterRefusal !== true)) return;
    const pending = options.onRow(row, afterRefusal);
    if (pending !== undefined) await pending;
  };

  const overlong = (line: number): void => {
    if (columns === null) {
      rules.addError(line, 'header', `is longer than ${MAX_RECAP_LINE_CHARS} characters`);
      stop = true;
      return;
    }
    lines += 1;
    rules.addError(line, 'line', `is longer than ${MAX_RECAP_LINE_CHARS} characters`);
  };

  const takeText = async (text: string): Promise<void> => {
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1 && !stop) {
      const piece = text.slice(start, nl);
      start = nl + 1;
      lineNo += 1;
      if (skipping) {
        skipping = false;
      } else {
        const whole = carry === '' ? piece : carry + piece;
        carry = '';
        if (whole.length > MAX_RECAP_LINE_CHARS + 1) overlong(lineNo);
        else await emit(handleLine(whole, lineNo));
      }
      nl = text.indexOf('\n', start);
    }
    if (stop || skipping) return;
    carry += text.slice(start);
    if (carry.length > MAX_RECAP_LINE_CHARS + 1) {
      overlong(lineNo + 1);
      carry = '';
      skipping = true;
    }
  };

  for await (const chunk of source as AsyncIterable<Buffer | Uint8Array | string>) {
    let text = typeof chunk === 'string' ? decoder.decode() + chunk : decoder.decode(chunk, { stream: true });
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    await takeText(text);
    if (stop) break;
  }
  if (!stop) {
    const tail = decoder.decode();
    if (tail !== '') await takeText(tail);
    if (!stop && (carry !== '' || skipping)) {
      lineNo += 1;
      if (!skipping) await emit(handleLine(carry, lineNo));
    }
  }

  const empty = !stop && (columns === null || lines === 0);
  if (!stop && columns === null) {
    rules.addError(1, 'file', 'is empty: expected a header line and one line per patient');
  } else if (!stop && lines === 0) {
    rules.addError(headerLine, 'file', 'has a header line but no patients');
  }
  return {
    lines,
    errors: rules.errors,
    errorCount: rules.errorCount,
    tooLarge,
    empty,
    periodMismatchOnly: rules.errorCount > 0 && rules.mismatchCount === rules.errorCount,
    medicine: rules.medicine,
    period: rules.period,
    separator,
  };
}

function checkLine(rules: RecapRules, columns: readonly RecapColumn[], fields: readonly string[], line: number): RecapRow | null {
  const value = (column: RecapColumn): string => fields[columns.indexOf(column)] ?? '';
  const before = rules.errorCount;
  for (const column of columns) {
    if (value(column).includes('\uFFFD')) rules.addError(line, column, 'contains bytes that are not valid UTF-8');
  }
  if (rules.errorCount > before) return null;

  rules.checkMedicine(value('medicine'), line, 'medicine');
  const period = rules.checkPeriod(value('period'), line, 'period');
  const patient = checkPatientValue(value('patient'));
  if (!patient.ok) rules.addError(line, 'patient', patient.reason);
  const administrations = parseAdministrationsText(value('administrations'), period ?? rules.period);
  if (!administrations.ok) rules.addError(line, 'administrations', administrations.reason);
  const vials = parseVialsText(value('vials'));
  if (!vials.ok) rules.addError(line, 'vials', vials.reason);
  if (patient.ok && rules.checksDuplicates) rules.checkUnique(patient.value.patient, patient.value.kind, line, 'patient', (first) => `line ${first}`);
  if (!patient.ok || !administrations.ok || !vials.ok || rules.errorCount > before) return null;
  return {
    line,
    patient: patient.value.patient,
    patientKind: patient.value.kind,
    administrations: administrations.value.count,
    administrationDates: administrations.value.dates,
    vials: vials.value,
  };
}

type Header = { ok: true; separator: ',' | ';'; columns: RecapColumn[] } | { ok: false; reason: string };

const EXPECTED_HEADER = RECAP_COLUMNS.join(',');

/** The separator is the one the header line uses (the more frequent of `,` and `;`). */
function readHeader(text: string): Header {
  const commas = text.split(',').length - 1;
  const semicolons = text.split(';').length - 1;
  if (commas === 0 && semicolons === 0) {
    return { ok: false, reason: `must be ${EXPECTED_HEADER}, with , or ; as separator (got ${quoteValue(text.trim())})` };
  }
  const separator = semicolons > commas ? ';' : ',';
  const split = splitLine(text, separator);
  if (!split.ok) return { ok: false, reason: split.reason };
  const names = split.fields.map((f) => f.trim().toLowerCase());
  const known = new Set<string>(RECAP_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  const missing = RECAP_COLUMNS.filter((c) => !names.includes(c));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`lacks ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`has unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => quoteValue(u)).join(', ')}`);
  if (repeated.length > 0) problems.push(`repeats ${[...new Set(repeated)].join(', ')}`);
  if (problems.length > 0) return { ok: false, reason: `must be ${EXPECTED_HEADER} (any order): it ${problems.join('; ')}` };
  return { ok: true, separator, columns: names as RecapColumn[] };
}

/** Splits one line into fields (RFC 4180 quoting, `""` for a quote; a quoted field ends on its line). */
function splitLine(text: string, separator: string): Split {
  if (!text.includes('"')) return { ok: true, fields: text.split(separator) };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) return { ok: false, reason: `has a quote that is not closed on this line (field ${fields.length + 1})` };
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      while (text[i] === ' ' || text[i] === '\t') i += 1;
      fields.push(value);
      if (i >= text.length) return { ok: true, fields };
      if (text[i] !== separator) return { ok: false, reason: `has text after the closing quote of field ${fields.length}` };
      i += 1;
    } else {
      const next = text.indexOf(separator, i);
      const value = next === -1 ? text.slice(i) : text.slice(i, next);
      if (value.includes('"')) return { ok: false, reason: `has a quote inside unquoted field ${fields.length + 1}` };
      fields.push(value);
      if (next === -1) return { ok: true, fields };
      i = next + 1;
    }
  }
}
