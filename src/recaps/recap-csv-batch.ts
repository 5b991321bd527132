import type { RecapValidation } from './domain/recap-csv';

/**
 * The messages between the recap import and its CSV worker (src/recaps/recap-csv.worker.ts).
 * The worker reads the file's bytes, checks every line with `validateRecapCsv` and hashes each
 * NIR into its pseudonym: what comes back holds pseudonyms and per-line errors, never a NIR.
 */

/** Options of one file, as `validateRecapCsv` takes them (the worker adds the rest). */
export interface RecapCsvJobOptions {
  expectedMedicine?: string;
  expectedPeriod?: string;
  maxLines: number;
}

/** Numbers a line in `RowBatch.ints`: file line, flags, administrations, vials. */
export const BATCH_STRIDE = 4;
/** Flag: the line gave a NIR (its pseudonym is in `patients`). */
export const FLAG_NIR = 1;
/** Flag: a line before this one was refused (the line is stored, its patient not checked). */
export const FLAG_AFTER_REFUSAL = 2;
/** Every pseudonym is `P-` and 10 characters. */
export const PSEUDONYM_CHARS = 12;
/** Valid lines a batch. */
export const BATCH_ROWS = 4_000;

/**
 * Valid lines, in file order, in a few objects whatever their count: `ints` holds
 * `BATCH_STRIDE` numbers a line (its buffer is transferred, not copied), `patients` the
 * pseudonyms end to end, `dates` the lines (by index in the batch, ascending) that gave dates.
 */
export interface RowBatch {
  count: number;
  ints: Int32Array;
  patients: string;
  dates: [number, string[]][] | null;
}

export type ToWorker =
  | { type: 'start'; id: number; options: RecapCsvJobOptions }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'ack'; id: number }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'rows'; id: number; batch: RowBatch }
  /** One chunk of the file is read: another may be sent. */
  | { type: 'consumed'; id: number }
  | { type: 'done'; id: number; validation: RecapValidation }
  | { type: 'failed'; id: number; message: string };
