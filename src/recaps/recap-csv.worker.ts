/**
 * The recap CSV worker thread (started by RecapCsvWorker): reads the bytes of uploaded files,
 * checks each line with the pure rules of `validateRecapCsv` and hashes each NIR into its
 * pseudonym with PATIENT_ID_SECRET (received in `workerData`, never logged). It sends back
 * batches of valid lines (pseudonyms only: a NIR goes no further than this thread) and, at the
 * end, the file's validation (its errors, counts, medicine and period), exactly as the rules
 * made them. Several files may be read at once (by id); each one is bounded by back-pressure:
 * at most `MAX_UNACKED` batches not yet taken by the import.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hashNir, pseudonymOf } from '../patients/domain/pseudonym';
import { validateRecapCsv } from './domain/recap-csv';
import type { RecapRow } from './domain/recap-rows';
import { BATCH_ROWS, BATCH_STRIDE, FLAG_AFTER_REFUSAL, FLAG_NIR, FromWorker, RecapCsvJobOptions, RowBatch, ToWorker } from './recap-csv-batch';

/** Batches sent and not yet acknowledged before the worker waits. */
const MAX_UNACKED = 2;

const port = parentPort;
if (port === null) throw new Error('recap-csv.worker runs as a worker thread');
const secret = (workerData as { secret: string }).secret;
const post = (message: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);

class Cancelled extends Error {}

class Job {
  private readonly chunks: Uint8Array[] = [];
  private ended = false;
  private cancelled = false;
  private wake: (() => void) | null = null;
  private unacked = 0;
  private acked: (() => void) | null = null;
  private ints = new Int32Array(BATCH_ROWS * BATCH_STRIDE);
  private patients: string[] = [];
  private dates: [number, string[]][] | null = null;
  private count = 0;
  private lastNir = '';
  private lastPseudonym = '';

  constructor(
    private readonly id: number,
    private readonly options: RecapCsvJobOptions,
  ) {}

  take(message: ToWorker): void {
    if (message.type === 'chunk') this.chunks.push(message.data);
    else if (message.type === 'end') this.ended = true;
    else if (message.type === 'cancel') this.cancelled = true;
    else if (message.type === 'ack') this.unacked -= 1;
    this.wake?.();
    this.wake = null;
    if (message.type === 'ack' || message.type === 'cancel') {
      this.acked?.();
      this.acked = null;
    }
  }

  async run(): Promise<void> {
    try {
      const validation = await validateRecapCsv(this.source(), {
        expectedMedicine: this.options.expectedMedicine,
        expectedPeriod: this.options.expectedPeriod,
        maxLines: this.options.maxLines,
        checkDuplicates: false,
        rowsAfterRefusal: true,
        onRow: (row, afterRefusal) => this.add(row, afterRefusal),
      });
      if (this.cancelled) return;
      this.send();
      post({ type: 'done', id: this.id, validation });
    } catch (error: unknown) {
      if (!(error instanceof Cancelled)) post({ type: 'failed', id: this.id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async *source(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.cancelled) throw new Cancelled();
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        post({ type: 'consumed', id: this.id });
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private add(row: RecapRow, afterRefusal: boolean): Promise<void> | undefined {
    const at = this.count * BATCH_STRIDE;
    this.ints[at] = row.line;
    this.ints[at + 1] = (row.patientKind === 'nir' ? FLAG_NIR : 0) | (afterRefusal ? FLAG_AFTER_REFUSAL : 0);
    this.ints[at + 2] = row.administrations;
    this.ints[at + 3] = row.vials;
    this.patients.push(row.patientKind === 'nir' ? this.pseudonym(row.patient) : row.patient);
    if (row.administrationDates !== null) (this.dates ??= []).push([this.count, row.administrationDates]);
    this.count += 1;
    if (this.count < BATCH_ROWS) return undefined;
    this.send();
    return this.unacked >= MAX_UNACKED ? this.untilAcked() : undefined;
  }

  /** A NIR the rules checked and normalised: its pseudonym, the HMAC of its keyed hash (the last one is remembered). */
  private pseudonym(nir: string): string {
    if (nir !== this.lastNir) {
      this.lastNir = nir;
      this.lastPseudonym = pseudonymOf(hashNir(nir, secret), secret);
    }
    return this.lastPseudonym;
  }

  private send(): void {
    if (this.count === 0) return;
    const ints = this.count === BATCH_ROWS ? this.ints : this.ints.slice(0, this.count * BATCH_STRIDE);
    const batch: RowBatch = { count: this.count, ints, patients: this.patients.join(''), dates: this.dates };
    post({ type: 'rows', id: this.id, batch }, [ints.buffer]);
    this.unacked += 1;
    this.ints = new Int32Array(BATCH_ROWS * BATCH_STRIDE);
    this.patients = [];
    this.dates = null;
    this.count = 0;
  }

  private async untilAcked(): Promise<void> {
    while (this.unacked >= MAX_UNACKED) {
      if (this.cancelled) throw new Cancelled();
      await new Promise<void>((resolve) => (this.acked = resolve));
    }
    if (this.cancelled) throw new Cancelled();
  }
}

const jobs = new Map<number, Job>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    const job = new Job(message.id, message.options);
    jobs.set(message.id, job);
    void job.run().finally(() => jobs.delete(message.id));
    return;
  }
  jobs.get(message.id)?.take(message);
});
