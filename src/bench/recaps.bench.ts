/**
 * Benchmark (SPEC §13 Scale, issue 6), each figure a ratio to a baseline measured in the same run, one JSON line each:
 *
 * - recap-import: a 1,000,000-line recap CSV (half NIRs, half pseudonyms) uploaded through POST /api/v1/recaps as
 *   multipart/form-data, streamed, checked whole and stored in one transaction, against a raw better-sqlite3 bulk insert
 *   of the same rows into the same table; with the process's peak resident memory (SPEC: under 256 MB).
 * - reconciliation: a period of BENCH_TREATED treated patients (100,000 by default; the goal is at 1,000,000) in 2,000
 *   establishments through ReconciliationService: SQL over the period's rows, the treatments and orders staged by their
 *   owner through TREATMENT_FACTS.stagePeriodFacts, every kind one INSERT … SELECT, against raw SQL doing the same
 *   comparisons and writes; peakRssMb is sampled while it runs (run with a small BENCH_LINES to leave the import out).
 *
 * Set-up: a temporary SQLite file migrated by the app, then bulk rows through the raw driver (one transaction each).
 * Sizes can be set with BENCH_LINES (or BENCH_RECAP_LINES), BENCH_TREATED, BENCH_ESTABLISHMENTS.
 */
import Database from 'better-sqlite3';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { JwtService } from '@nestjs/jwt';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../app.factory';
import { SYSTEM_ACTOR } from '../common/domain/roles';
import { OrderFact, TREATMENT_FACTS, TreatmentFact, TreatmentFacts } from '../common/contracts/treatment-facts';
import { loadConfig } from '../config/config';
import { withFinessKey } from '../common/domain/finess';
import { withNirKey } from '../patients/domain/nir';
import { hashNir, pseudonymOf } from '../patients/domain/pseudonym';
import { RecapLimits } from '../recaps/recap-limits';
import { valuesList } from '../common/database/sql-values';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { printFigure } from './bench-output';

const LINES = Number(process.env.BENCH_LINES ?? process.env.BENCH_RECAP_LINES ?? 1_000_000);
const TREATED = Number(process.env.BENCH_PATIENTS ?? process.env.BENCH_TREATED ?? 100_000);
const ESTABLISHMENTS = Number(process.env.BENCH_ESTABLISHMENTS ?? 2_000);
const SECRET = 'bench-patient-secret-0123456789';
const IMPORT_MEDICINE = 'BENCHRECAP';
const RECONCILE_MEDICINE = 'BENCHRECON';
const PERIOD = '2023-04';
const IMPORTER = withFinessKey('75980001');
const AT = '2023-05-01T08:00:00.000Z';
const ROWS_PER_INSERT = 500;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** As long as the app's recap ids (UUIDs), so that the baseline inserts the same key. */
const BASELINE_RECAP_ID = '00000000-0000-4000-8000-000000000000';

/** A valid NIR for each i (13-digit body): sex, year, month, department, then commune and order from i mod 1,000,000; past a million the department changes (75, then 11, 12, …: never 20, Corsica's 2A/2B). */
const nirOf = (i: number): string => {
  const block = Math.floor(i / 1_000_000);
  const department = block === 0 ? '75' : String(10 + block).padStart(2, '0');
  return withNirKey(`1${String(40 + (i % 50)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${department}${String(i % 1_000_000).padStart(6, '0')}`);
};
const administrationsOf = (i: number): number => 1 + (i % 2);
const vialsOf = (i: number): number => 2 + (i % 3);

/** A synthetic pseudonym for the reconciliation's patients (never a real hash). */
function syntheticPseudonym(n: number): string {
  let out = '';
  for (let i = 0, v = n; i < 10; i++, v = Math.floor(v / 32)) out += ALPHABET[v % 32];
  return `P-${out}`;
}

function openRaw(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Bulk rows in chunks of one prepared multi-row statement, in one transaction. */
function bulkInsert(db: Database.Database, head: string, columns: number, count: number, row: (i: number) => unknown[]): void {
  const full = db.prepare(head + valuesList(false, ROWS_PER_INSERT, columns));
  db.transaction(() => {
    for (let start = 0; start < count; start += ROWS_PER_INSERT) {
      const end = Math.min(start + ROWS_PER_INSERT, count);
      const params: unknown[] = [];
      for (let i = start; i < end; i++) params.push(...row(i));
      if (end - start === ROWS_PER_INSERT) full.run(params);
      else db.prepare(head + valuesList(false, end - start, columns)).run(params);
    }
  })();
}

/** Patients 0…LINES-1 registered (by their NIR's hash) and linked to the importing establishment. */
function seedImport(db: Database.Database): string[] {
  db.prepare("INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at) VALUES (?, 'Bench import', 'Île-de-France', 'CHU', 1, 1, ?)").run(IMPORTER, AT);
  for (const code of [IMPORT_MEDICINE, RECONCILE_MEDICINE]) {
    db.prepare("INSERT INTO medicines (code, name, unit, unit_mg, scheme, created_at) VALUES (?, 'Bench 250 mg', 'vial', 250, 'rationing', ?)").run(code, AT);
  }
  const pseudonyms: string[] = new Array(LINES);
  for (let i = 0; i < LINES; i++) pseudonyms[i] = pseudonymOf(hashNir(nirOf(i), SECRET), SECRET);
  bulkInsert(db, 'INSERT INTO patients (pseudonym, nir_hash, birth_date, sex, weight_kg, created_at) VALUES ', 6, LINES, (i) => [pseudonyms[i], hashNir(nirOf(i), SECRET), '1960-01-01', 'M', 70, AT]);
  bulkInsert(db, 'INSERT INTO patient_links (pseudonym, finess, via, linked_at) VALUES ', 4, LINES, (i) => [pseudonyms[i], IMPORTER, 'registered', AT]);
  return pseudonyms;
}

/** The CSV: `;` separated, even lines by NIR, odd lines by pseudonym. */
async function writeCsv(path: string, pseudonyms: string[]): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = (text: string): Promise<void> | void => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) return new Promise((resolve) => out.once('drain', () => resolve()));
  };
  await write('medicine;period;patient;administrations;vials\n');
  let batch: string[] = [];
  for (let i = 0; i < LINES; i++) {
    batch.push(`${IMPORT_MEDICINE};${PERIOD};${i % 2 === 0 ? nirOf(i) : pseudonyms[i]};${administrationsOf(i)};${vialsOf(i)}`);
    if (batch.length === 5_000) {
      await write(`${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) await write(`${batch.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return bytes;
}

/** POST /api/v1/recaps as multipart/form-data, the file streamed from disk. */
function upload(port: number, token: string, csvPath: string): Promise<{ status: number; body: string }> {
  const boundary = `----contingent-bench-${Date.now()}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="medicine"\r\n\r\n${IMPORT_MEDICINE}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="period"\r\n\r\n${PERIOD}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="recap.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  async function* body(): AsyncGenerator<Buffer | string> {
    yield head;
    for await (const chunk of createReadStream(csvPath, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
    yield tail;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      { port, host: '127.0.0.1', method: 'POST', path: '/api/v1/recaps', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
}

/** The baseline of the import: the very same rows (a 36-character recap id, as the app's UUIDs) into the same table with the raw driver, in one transaction. */
function baselineInsert(db: Database.Database, pseudonyms: string[]): number {
  const started = performance.now();
  const cpu = process.cpuUsage();
  bulkInsert(db, 'INSERT INTO recap_lines (recap_id, patient, line, administrations, administration_dates, vials) VALUES ', 6, LINES, (i) => [
    BASELINE_RECAP_ID, pseudonyms[i], i + 2, administrationsOf(i), null, vialsOf(i),
  ]);
  const seconds = (performance.now() - started) / 1000;
  baselineCpuSeconds = cpuSeconds(process.cpuUsage(cpu));
  db.prepare('DELETE FROM recap_lines WHERE recap_id = ?').run(BASELINE_RECAP_ID);
  return seconds;
}

/** CPU time of the last baseline run (user + system): a diagnostic less sensitive than wall time to a loaded machine. */
let baselineCpuSeconds = 0;
const cpuSeconds = (usage: NodeJS.CpuUsage): number => Number(((usage.user + usage.system) / 1e6).toFixed(2));

interface Shape {
  establishments: string[];
  treatments: TreatmentFact[];
  orders: OrderFact[];
}

/**
 * 100,000 treated patients in 2,000 establishments; every establishment but one in a hundred sent its recap, which
 * leaves out one patient in a hundred and adds one undeclared patient in two hundred; one order per establishment,
 * one in ten above its recap.
 */
function seedReconciliation(db: Database.Database): Shape {
  const establishments = Array.from({ length: ESTABLISHMENTS }, (_, e) => withFinessKey(`${String(10 + (e % 80)).padStart(2, '0')}97${String(e).padStart(4, '0')}`));
  bulkInsert(db, 'INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at) VALUES ', 7, ESTABLISHMENTS, (e) => [establishments[e], `Bench ${e}`, 'Bench', 'CHU', 1, 1, AT]);
  const treatments: TreatmentFact[] = [];
  for (let p = 0; p < TREATED; p++) {
    const establishment = establishments[p % ESTABLISHMENTS] as string;
    const stopped = p % 97 === 0;
    treatments.push({
      id: `bench-t${p}`, patient: syntheticPseudonym(p), medicine: RECONCILE_MEDICINE, establishment, status: stopped ? 'stopped' : 'active',
      startDate: '2022-11-01', stopDate: stopped ? '2023-04-12' : null, stopReason: stopped ? 'other' : null, weightKg: 70, transfers: [],
    });
  }
  // The treatments module's own tables, read back through its TREATMENT_FACTS provider.
  bulkInsert(db, 'INSERT INTO patients (pseudonym, nir_hash, birth_date, sex, weight_kg, created_at) VALUES ', 6, TREATED, (p) => [syntheticPseudonym(p), `bench-${String(p).padStart(58, '0')}`, '1960-01-01', 'F', 70, AT]);
  bulkInsert(
    db,
    'INSERT INTO treatments (id, patient, medicine, indication, establishment, establishment_since, status, start_date, weight_kg, stop_date, stop_reason, request_id, policy_version, created_at, created_by, updated_at) VALUES ',
    16,
    treatments.length,
    (i) => {
      const t = treatments[i] as TreatmentFact;
      return [t.id, t.patient, t.medicine, 'bench', t.establishment, t.startDate, t.status, t.startDate, t.weightKg, t.stopDate, t.stopReason, null, 1, AT, 'bench', AT];
    },
  );
  const sent = establishments.filter((_, e) => e % 100 !== 7);
  const recapIds = new Map(sent.map((f, e) => [f, `bench-recap-${e}`]));
  bulkInsert(db, 'INSERT INTO recaps (id, establishment, medicine, period, lines, administrations, vials, source, late, submitted_at, submitted_by) VALUES ', 11, sent.length, (i) => [
    `bench-recap-${i}`, sent[i], RECONCILE_MEDICINE, PERIOD, 0, 0, 0, 'csv', 0, AT, 'bench',
  ]);
  const lines: [string, string, number][] = [];
  treatments.forEach((t, p) => {
    const recap = recapIds.get(t.establishment);
    if (recap !== undefined && p % 101 !== 3) lines.push([recap, t.patient, 2 + (p % 3)]);
    if (recap !== undefined && p % 199 === 5) lines.push([recap, syntheticPseudonym(TREATED + p), 2]);
  });
  bulkInsert(db, 'INSERT INTO recap_lines (recap_id, patient, line, administrations, administration_dates, vials) VALUES ', 6, lines.length, (i) => {
    const [recap, patient, vials] = lines[i] as [string, string, number];
    return [recap, patient, i + 2, 1, null, vials];
  });
  const orders: OrderFact[] = establishments.map((establishment, e) => {
    const patients = Math.ceil((TREATED - e) / ESTABLISHMENTS);
    const need = patients * 3;
    return { id: `bench-o${e}`, establishment, medicine: RECONCILE_MEDICINE, period: PERIOD, status: 'confirmed', quantity: e % 10 === 0 ? need * 2 : need, need, lines: [] };
  });
  bulkInsert(
    db,
    'INSERT INTO orders (id, medicine, establishment, period, quantity, need, tolerated, tolerance_pct, policy_version, status, flags, active_slot, delivered_quantity, decision_reason, decided_at, decided_by, submitted_at, submitted_by) VALUES ',
    18,
    orders.length,
    (i) => {
      const o = orders[i] as OrderFact;
      return [o.id, o.medicine, o.establishment, o.period, o.quantity, o.need, o.need, 0, 1, o.status, '[]', o.id, o.quantity, null, AT, 'bench', AT, 'bench'];
    },
  );
  return { establishments, treatments, orders };
}

/** The baseline of the reconciliation: the same comparisons in SQL, and the result written, with the raw driver. */
function baselineReconcile(db: Database.Database): { seconds: number; discrepancies: number; byKind: Record<string, number> } {
  const started = performance.now();
  const lastDay = '2023-04-30';
  let count = 0;
  const byKind: Record<string, number> = {};
  db.transaction(() => {
    db.exec('DROP TABLE IF EXISTS bench_discrepancies; CREATE TABLE bench_discrepancies (kind varchar(40), establishment varchar(9), patient varchar(12), detail text)');
    const queries: [string, string][] = [
      ['UNDECLARED_PATIENT', `SELECT r.establishment AS establishment, l.patient AS patient, l.patient || ' is in the recap but not declared here' AS detail FROM recap_lines l JOIN recaps r ON r.id = l.recap_id
        WHERE r.medicine = @m AND r.period = @p AND NOT EXISTS (SELECT 1 FROM treatments t WHERE t.medicine = @m AND t.patient = l.patient AND t.establishment = r.establishment)`],
      ['MISSING_FROM_RECAP', `SELECT t.establishment AS establishment, t.patient AS patient, t.patient || ' is declared but not in the recap' AS detail FROM treatments t JOIN recaps r ON r.establishment = t.establishment AND r.medicine = @m AND r.period = @p
        WHERE t.medicine = @m AND (t.stop_date IS NULL OR t.stop_date > @last) AND NOT EXISTS (SELECT 1 FROM recap_lines l WHERE l.recap_id = r.id AND l.patient = t.patient)`],
      ['DUPLICATE_ACROSS_ESTABLISHMENTS', `SELECT r.establishment AS establishment, l.patient AS patient, 'listed by several establishments' AS detail FROM recap_lines l JOIN recaps r ON r.id = l.recap_id
        WHERE r.medicine = @m AND r.period = @p AND l.patient IN (SELECT l2.patient FROM recap_lines l2 JOIN recaps r2 ON r2.id = l2.recap_id WHERE r2.medicine = @m AND r2.period = @p GROUP BY l2.patient HAVING COUNT(*) > 1)`],
      ['ORDER_EXCEEDS_NEED', `SELECT o.establishment AS establishment, NULL AS patient, 'ordered ' || o.q || ' above ' || COALESCE(v.vials, o.n) AS detail FROM (SELECT establishment, SUM(COALESCE(delivered_quantity, quantity)) AS q, SUM(need) AS n FROM orders WHERE medicine = @m AND period = @p AND status <> 'refused' GROUP BY establishment) o
        LEFT JOIN (SELECT r.establishment AS establishment, COALESCE(SUM(l.vials), 0) AS vials FROM recaps r LEFT JOIN recap_lines l ON l.recap_id = r.id WHERE r.medicine = @m AND r.period = @p GROUP BY r.establishment) v ON v.establishment = o.establishment
        WHERE o.q > COALESCE(v.vials, o.n)`],
      ['ORDER_WITHOUT_RECAP', `SELECT o.establishment AS establishment, NULL AS patient, 'orders, no recap' AS detail FROM (SELECT DISTINCT establishment FROM orders WHERE medicine = @m AND period = @p AND status <> 'refused') o
        WHERE NOT EXISTS (SELECT 1 FROM recaps r WHERE r.establishment = o.establishment AND r.medicine = @m AND r.period = @p)`],
      ['RECAP_MISSING', `SELECT t.establishment AS establishment, NULL AS patient, COUNT(*) || ' patients, no recap' AS detail FROM treatments t
        WHERE t.medicine = @m AND (t.stop_date IS NULL OR t.stop_date > @last) AND NOT EXISTS (SELECT 1 FROM recaps r WHERE r.establishment = t.establishment AND r.medicine = @m AND r.period = @p) GROUP BY t.establishment`],
    ];
    for (const [kind, sql] of queries) {
      const changes = db.prepare(`INSERT INTO bench_discrepancies (kind, establishment, patient, detail) SELECT '${kind}', establishment, patient, detail FROM (${sql})`).run({ m: RECONCILE_MEDICINE, p: PERIOD, last: lastDay }).changes;
      count += changes;
      if (changes > 0) byKind[kind] = changes;
    }
  })();
  return { seconds: (performance.now() - started) / 1000, discrepancies: count, byKind };
}

/** The child's part: patients, the CSV file, and the raw-driver baseline; prints its figures as one JSON line. */
async function prepare(path: string, csvPath: string): Promise<void> {
  const db = openRaw(path);
  try {
    const started = performance.now();
    const pseudonyms = seedImport(db);
    const bytes = await writeCsv(csvPath, pseudonyms);
    const setupSeconds = (performance.now() - started) / 1000;
    const baselineSeconds = baselineInsert(db, pseudonyms);
    process.stdout.write(`${JSON.stringify({ bytes, setupSeconds, baselineSeconds, baselineCpuSeconds })}\n`);
  } finally {
    db.close();
  }
}

/** The child's part of the reconciliation: its rows, so that their set-up memory is not counted in the run's; prints the sizes. */
function prepareReconciliation(path: string): void {
  const db = openRaw(path);
  try {
    const shape = seedReconciliation(db);
    process.stdout.write(`${JSON.stringify({ patients: shape.treatments.length, establishments: shape.establishments.length, orders: shape.orders.length })}\n`);
  } finally {
    db.close();
  }
}

/** The baseline again, after the import (so that a load on the machine weighs on both alike): the same pseudonyms, recomputed. */
function baselineAgain(path: string): void {
  const db = openRaw(path);
  try {
    const pseudonyms: string[] = new Array(LINES);
    for (let i = 0; i < LINES; i++) pseudonyms[i] = pseudonymOf(hashNir(nirOf(i), SECRET), SECRET);
    const baselineSeconds = baselineInsert(db, pseudonyms);
    process.stdout.write(`${JSON.stringify({ baselineSeconds, baselineCpuSeconds })}\n`);
  } finally {
    db.close();
  }
}

function inChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`set-up failed (exit ${code})`))));
  });
}

/**
 * The peak resident memory of this process during the import only: the kernel's high-water mark
 * (VmHWM) reset just before it (`5` to /proc/self/clear_refs, Linux ≥ 4.0), or else RSS sampled
 * every 10 ms while it runs.
 */
class ImportPeakRss {
  readonly method: 'VmHWM' | 'sampled';
  private peak = process.memoryUsage().rss;
  private readonly timer: NodeJS.Timeout | null = null;

  constructor() {
    const reset = resetPeakRss();
    this.method = reset ? 'VmHWM' : 'sampled';
    if (!reset) {
      this.timer = setInterval(() => {
        this.peak = Math.max(this.peak, process.memoryUsage().rss);
      }, 10);
    }
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    const bytes = this.method === 'VmHWM' ? Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024 : Math.max(this.peak, process.memoryUsage().rss);
    return Math.round(bytes / 1024 / 1024);
  }
}

function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (kb: number): number => Math.round(kb / 1024);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'contingent-bench-recaps-'));
  const path = join(dir, 'bench.sqlite');
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path}`,
    CONTINGENT_DEMO: 'false',
    PATIENT_ID_SECRET: SECRET,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef',
    AUDIT_SIGNING_KEY: 'YmVuY2gtYXVkaXQtc2lnbmluZy1rZXktMDEyMzQ1Njc=',
    CONTINGENT_NOW: '2023-05-05T10:00:00+02:00',
    LOG_LEVEL: 'silent',
    JOBS_CRON: 'false',
  });
  const app: NestExpressApplication = await createApp(config, { logger: false });
  const db = openRaw(path);
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const limits = app.get(RecapLimits);
    limits.maxLines = LINES;
    const csvPath = join(dir, 'recap.csv');
    // A real user row: every token is checked against its user and token version on each request.
    db.prepare("INSERT INTO users (id, username, password_hash, role, establishment, specialty, display_name, created_at) VALUES ('bench', ?, '-', 'pharmacist', ?, NULL, 'bench', ?)").run(`pui-${IMPORTER}`, IMPORTER, new Date().toISOString());
    const token = app.get(JwtService).sign({ sub: 'bench', username: `pui-${IMPORTER}`, role: 'pharmacist', establishment: IMPORTER, specialty: null, ver: 0 });

    // Set-up and baseline run in a child process, so that their memory is not counted in the import's.
    const prepared = await inChild<{ bytes: number; setupSeconds: number; baselineSeconds: number; baselineCpuSeconds: number }>(['--prepare', path, csvPath]);
    limits.maxBytes = prepared.bytes + 1024 * 1024;
    const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const peak = new ImportPeakRss();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const res = await upload(port, token, csvPath);
    const seconds = (performance.now() - started) / 1000;
    const importCpuSeconds = cpuSeconds(process.cpuUsage(cpu));
    const peakRssMb = peak.stop();
    if (res.status !== 201) throw new Error(`import refused: ${res.status} ${res.body.slice(0, 500)}`);
    const stored = Number((db.prepare("SELECT COUNT(*) AS n FROM recap_lines l JOIN recaps r ON r.id = l.recap_id WHERE r.medicine = ?").get(IMPORT_MEDICINE) as { n: number }).n);
    if (stored !== LINES) throw new Error(`stored ${stored} lines of ${LINES}`);
    const after = await inChild<{ baselineSeconds: number; baselineCpuSeconds: number }>(['--baseline', path]);
    const baselineSeconds = (prepared.baselineSeconds + after.baselineSeconds) / 2;
    printFigure({
      bench: 'recap-import', rows: LINES, bytes: prepared.bytes, seconds: Number(seconds.toFixed(2)),
      baselineSeconds: Number(baselineSeconds.toFixed(2)), baselineSecondsBefore: Number(prepared.baselineSeconds.toFixed(2)), baselineSecondsAfter: Number(after.baselineSeconds.toFixed(2)),
      cpuSeconds: importCpuSeconds, baselineCpuSeconds: Number(((prepared.baselineCpuSeconds + after.baselineCpuSeconds) / 2).toFixed(2)),
      rate: LINES / seconds, baselineRate: LINES / baselineSeconds, goal: 0.8,
      peakRssMb, peakRssBy: peak.method, rssBeforeImportMb: rssBeforeMb, setupSeconds: Number(prepared.setupSeconds.toFixed(1)),
    });

    const shape = await inChild<{ patients: number; establishments: number; orders: number }>(['--prepare-reconciliation', path]);
    const facts = app.get<TreatmentFacts>(TREATMENT_FACTS);
    const service = app.get(ReconciliationService);
    const rssBeforeReconcile = process.memoryUsage().rss;
    let peakReconcileRss = rssBeforeReconcile;
    const reconcileSampler = setInterval(() => {
      peakReconcileRss = Math.max(peakReconcileRss, process.memoryUsage().rss);
    }, 10);
    const warm = await service.reconcileWith(SYSTEM_ACTOR, RECONCILE_MEDICINE, PERIOD, facts);
    const timed: number[] = [];
    const base: number[] = [];
    let baselineCount = 0;
    let baselineByKind: Record<string, number> = {};
    for (let i = 0; i < 3; i++) {
      const b = baselineReconcile(db);
      base.push(b.seconds);
      baselineCount = b.discrepancies;
      baselineByKind = b.byKind;
      const s = performance.now();
      await service.reconcileWith(SYSTEM_ACTOR, RECONCILE_MEDICINE, PERIOD, facts);
      timed.push((performance.now() - s) / 1000);
    }
    clearInterval(reconcileSampler);
    const stored2 = Number((db.prepare('SELECT COUNT(*) AS n FROM reconciliation_discrepancies WHERE medicine = ?').get(RECONCILE_MEDICINE) as { n: number }).n);
    if (stored2 !== warm.discrepancies) throw new Error(`re-runs left ${stored2} rows for ${warm.discrepancies} discrepancies`);
    // The baseline makes the same comparisons: a different count is a wrong figure (or a wrong reconciliation), not a slower one.
    if (baselineCount !== warm.discrepancies) throw new Error(`reconciliation found ${warm.discrepancies} discrepancies, its raw-SQL baseline ${baselineCount}: ${JSON.stringify({ app: warm.byKind, baseline: baselineByKind })}`);
    const reconcileSeconds = median(timed);
    const baselineReconcileSeconds = median(base);
    printFigure({
      bench: 'reconciliation', patients: shape.patients, establishments: shape.establishments, orders: shape.orders,
      seconds: Number(reconcileSeconds.toFixed(3)), baselineSeconds: Number(baselineReconcileSeconds.toFixed(3)),
      rate: shape.patients / reconcileSeconds, baselineRate: shape.patients / baselineReconcileSeconds,
      goal: '≥ 0.5 of raw SQL at 1 M patients, < 256 MB', peakRssMb: Math.round(Math.max(peakReconcileRss, process.memoryUsage().rss) / 1024 / 1024), rssBeforeReconcileMb: Math.round(rssBeforeReconcile / 1024 / 1024),
      processPeakRssMb: mb(process.resourceUsage().maxRSS), discrepancies: warm.discrepancies, baselineDiscrepancies: baselineCount, byKind: warm.byKind, baselineByKind,
    });
  } finally {
    db.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

(process.argv[2] === '--prepare'
  ? prepare(process.argv[3] as string, process.argv[4] as string)
  : process.argv[2] === '--baseline'
    ? Promise.resolve(baselineAgain(process.argv[3] as string))
    : process.argv[2] === '--prepare-reconciliation'
      ? Promise.resolve(prepareReconciliation(process.argv[3] as string))
      : main()
).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
