import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { RecapCsvSource, RecapValidation } from './domain/recap-csv';
import { recapError } from './domain/recaps.errors';
import { FromWorker, RecapCsvJobOptions, RowBatch, ToWorker } from './recap-csv-batch';

/** Chunks of the upload sent to the worker and not yet read by it: bounds the memory of the file in flight. */
const MAX_CHUNKS_IN_FLIGHT = 8;

/**
 * The worker's heap: it holds a few batches and the current chunks, so a small young generation
 * (collected more often, each time cheaply) keeps its resident memory low; the import's peak
 * (SPEC §13: under 256 MB) counts both threads. Past the old-generation bound the worker dies: a 503.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

/**
 * The recap CSV import's per-line work that needs no database — splitting and checking the
 * lines, hashing each NIR (two HMAC-SHA256) — done by one worker thread, so that the request's
 * thread only writes the lines meanwhile. Started on the first upload and reused (several
 * uploads, by id: PostgreSQL runs them in parallel), terminated when the app shuts down; it keeps
 * the process alive only while an upload runs. A worker that dies fails its uploads with a 503
 * (RECAP_CHECKER_UNAVAILABLE), nothing written; the next upload starts a new one.
 */
@Injectable()
export class RecapCsvWorker implements OnModuleDestroy {
  private readonly logger = new Logger(RecapCsvWorker.name);
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, CsvJob>();
  private nextId = 1;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Checks a CSV recap as `validateRecapCsv` does (`checkDuplicates: false`, `rowsAfterRefusal: true`)
   * and hands over its valid lines in batches, in file order, their patients as pseudonyms;
   * `onBatch` is awaited (back-pressure: the worker reads ahead by at most a few batches).
   * Resolves once every batch was handed over, with the file's validation.
   */
  async validate(source: RecapCsvSource, options: RecapCsvJobOptions, onBatch: (batch: RowBatch) => Promise<void>): Promise<RecapValidation> {
    const worker = this.started();
    const id = this.nextId++;
    const job = new CsvJob((message) => worker.postMessage(message), id, onBatch);
    this.jobs.set(id, job);
    if (this.jobs.size === 1) worker.ref();
    try {
      worker.postMessage({ type: 'start', id, options } satisfies ToWorker);
      await job.feed(source);
      return await job.result;
    } finally {
      await job.quiet();
      this.jobs.delete(id);
      if (this.jobs.size === 0) this.worker?.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(this.config.patientIdSecret);
    worker.unref();
    worker.on('message', (message: FromWorker) => this.jobs.get(message.id)?.take(message));
    const lost = (reason: string): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.logger.error(`the recap CSV worker stopped (${reason}): ${this.jobs.size} upload(s) refused`);
      for (const job of this.jobs.values()) job.fail(recapError('RECAP_CHECKER_UNAVAILABLE', {}));
    };
    worker.on('error', (error: Error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}

/**
 * The worker script next to this file: compiled JavaScript in dist/; under ts-jest (this file
 * is TypeScript) the .ts source, transpiled on require by the tests' register hook.
 */
function spawnWorker(secret: string): Worker {
  const ext = extname(__filename);
  const script = join(__dirname, `recap-csv.worker${ext}`);
  const options = { workerData: { secret }, resourceLimits: WORKER_LIMITS };
  if (ext !== '.ts') return new Worker(script, options);
  const register = resolve(__dirname, '../../test/support/ts-register.js');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(script)});`, { ...options, eval: true });
}

/** One upload in the worker: its chunks sent with back-pressure, its batches handed over in order. */
class CsvJob {
  readonly result: Promise<RecapValidation>;
  private resolve!: (validation: RecapValidation) => void;
  private reject!: (error: unknown) => void;
  private settled = false;
  private inFlight = 0;
  private wake: (() => void) | null = null;
  /** The batches handed over so far, one after the other. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (message: ToWorker) => void,
    private readonly id: number,
    private readonly onBatch: (batch: RowBatch) => Promise<void>,
  ) {
    this.result = new Promise<RecapValidation>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.result.catch(() => undefined);
  }

  /** Sends the file's chunks (copied: a chunk may share its memory), stopping once the worker has its answer. */
  async feed(source: RecapCsvSource): Promise<void> {
    try {
      for await (const chunk of source as AsyncIterable<Buffer | Uint8Array | string>) {
        while (this.inFlight >= MAX_CHUNKS_IN_FLIGHT && !this.settled) await new Promise<void>((resolve) => (this.wake = resolve));
        if (this.settled) break;
        const data = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk);
        this.inFlight += 1;
        this.send({ type: 'chunk', id: this.id, data });
      }
      if (!this.settled) this.send({ type: 'end', id: this.id });
    } catch (error: unknown) {
      this.fail(error);
    }
  }

  take(message: FromWorker): void {
    if (this.settled) return;
    if (message.type === 'consumed') {
      this.inFlight -= 1;
      this.wakeFeeder();
    } else if (message.type === 'rows') {
      this.writing = this.writing.then(async () => {
        if (this.settled) return;
        await this.onBatch(message.batch);
        this.send({ type: 'ack', id: this.id });
      });
      this.writing.catch((error: unknown) => this.fail(error));
    } else if (message.type === 'done') {
      void this.writing.then(() => this.finish(message.validation), () => undefined);
    } else {
      this.fail(new Error(`recap CSV worker: ${message.message}`));
    }
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
    this.wakeFeeder();
    try {
      this.send({ type: 'cancel', id: this.id });
    } catch {
      // the worker is gone
    }
  }

  /** Waits for the batch being handed over, whatever its outcome (no write may run into the rollback). */
  async quiet(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private finish(validation: RecapValidation): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(validation);
    this.wakeFeeder();
  }

  private wakeFeeder(): void {
    this.wake?.();
    this.wake = null;
  }
}
