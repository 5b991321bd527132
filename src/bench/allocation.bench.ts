/**
 * Benchmark (SPEC §13 Scale, issue 4), each figure a ratio to a baseline measured in the same run, one JSON line each:
 *
 * - allocation-period: POST /medicines/{code}/allocations/{period}/compute for 3,000 establishments (followed patients
 *   read, credits carried from the previous period, apportionment, 3,000 centre rows and the period row stored, audited),
 *   against a raw better-sqlite3 read of the same followed patients and bulk insert of the same 3,000 rows. Median of 3 periods.
 * - decision-throughput: POST /initiation-requests (quota indication, one centre, a handful of slots: every request races
 *   for the same counters, nearly all are waitlisted with their reason), distinct patients, under autocannon load, against
 *   GET /api/v1/health under the same load. The run also checks that the period never granted more than its pool.
 *
 * Set-up: the app on a temporary SQLite file with the demo data, then bulk rows through the app's DataSource.
 * Sizes: BENCH_ESTABLISHMENTS (3000), BENCH_CONNECTIONS (32), BENCH_SECONDS (10).
 */
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { insertChunks } from '../common/database/insert-chunks';
import { withFinessKey } from '../common/domain/finess';
import { EstablishmentEntity } from '../establishments/entities/establishment.entity';
import { FollowedPatientsEntity } from '../establishments/entities/followed-patients.entity';
import { PatientLinkEntity } from '../patients/entities/patient-link.entity';
import { PatientEntity } from '../patients/entities/patient.entity';
import { peakRssMb, printFigure } from './bench-output';

const ESTABLISHMENTS = Number(process.env.BENCH_ESTABLISHMENTS ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PATIENTS = 60_000;
const MEDICINE = 'NULOJIX';
const NECKER = withFinessKey('75990001');
const AT = '2023-05-15T08:00:00.000Z';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pseudonym(n: number): string {
  let out = '';
  for (let i = 0, v = n; i < 10; i++, v = Math.floor(v / 32)) out += ALPHABET[v % 32];
  return `P-${out}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'contingent-demo' }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
  });
}

/** The raw-driver baseline: read the period's followed patients, insert the same number of centre rows in one transaction. */
function rawAllocationBaseline(file: string, period: string): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS bench_centre_rows (medicine TEXT, period TEXT, finess TEXT, followed_patients INTEGER, entitlement REAL, credit_before REAL, slots INTEGER, used INTEGER, credit_after REAL, carried_slots INTEGER, PRIMARY KEY (medicine, period, finess))');
  const started = performance.now();
  const rows = db.prepare('SELECT finess, count FROM followed_patients WHERE period <= ? ORDER BY period').all(period) as { finess: string; count: number }[];
  const latest = new Map<string, number>();
  for (const r of rows) latest.set(r.finess, r.count);
  const insert = db.prepare('INSERT INTO bench_centre_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const [finess, count] of latest) insert.run(MEDICINE, period, finess, count, 0.5, 0, 0, 0, 0.5, 0);
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'contingent-bench-allocation-'));
  const file = join(dir, 'bench.sqlite');
  const config = loadConfig({
    CONTINGENT_DEMO: 'true',
    DATABASE_URL: `sqlite:${file}`,
    CONTINGENT_NOW: '2023-05-15T10:00:00+02:00',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    JOBS_CRON: 'false',
  });
  const app = await createApp(config, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    // The set-up between two requests can outlast Node's 5 s keep-alive: a pooled connection closed by the server fails the next POST.
    (app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 120_000;
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const dataSource = app.get(DataSource);

    // 3,000 establishments following patients (the 35 demo centres and synthetic ones).
    const existing = await dataSource.getRepository(EstablishmentEntity).count();
    const extra = Math.max(0, ESTABLISHMENTS - existing);
    const finesses = Array.from({ length: extra }, (_, i) => withFinessKey(`98${String(100000 + i).padStart(6, '0')}`));
    await dataSource.transaction(async (manager) => {
      await insertChunks(manager, EstablishmentEntity, finesses.map((finess) => ({ finess, name: `Bench ${finess}`, region: 'Bench', category: 'CHG', transplantCentre: true, fictitious: true, createdAt: AT })));
      await insertChunks(manager, FollowedPatientsEntity, finesses.map((finess, i) => ({ finess, period: '2023-01', count: 5 + ((i * 37) % 400), updatedAt: AT })));
    });
    const agency = await login(base, 'agency');

    const periods = ['2023-06', '2023-07', '2023-08'];
    const measured: number[] = [];
    const baselines: number[] = [];
    for (const period of periods) {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/medicines/${MEDICINE}/allocations/${period}/compute`, { method: 'POST', headers: { authorization: `Bearer ${agency}`, 'content-type': 'application/json' }, body: '{}' });
      measured.push((performance.now() - started) / 1000);
      const body = (await res.json()) as { centres: { slots: number }[]; quotaPool: number };
      if (res.status !== 200 || body.centres.length < ESTABLISHMENTS || body.centres.reduce((s, c) => s + c.slots, 0) !== body.quotaPool) throw new Error(`compute ${period} failed: ${res.status}`);
      baselines.push(rawAllocationBaseline(file, period));
    }
    const seconds = median(measured);
    const baselineSeconds = median(baselines);
    // rate = periods computed a second (ours) against the raw read-and-insert of the same rows: a throughput ratio.
    printFigure({ bench: 'allocation-period', establishments: ESTABLISHMENTS, seconds: round(seconds), baselineSeconds: round(baselineSeconds), rate: 1 / seconds, baselineRate: 1 / baselineSeconds, goal: 'storing ≥ 0.5 of a raw insert of the same rows', peakRssMb: peakRssMb() });

    // Decision throughput: distinct patients of one centre, all racing for the same period's counters.
    await dataSource.transaction(async (manager) => {
      const ids = Array.from({ length: PATIENTS }, (_, i) => pseudonym(1_000_000 + i));
      await insertChunks(manager, PatientEntity, ids.map((p, i) => ({ pseudonym: p, nirHash: `bench-${String(i).padStart(58, '0')}`, birthDate: '1970-01-01', sex: 'M', weightKg: 70, createdAt: AT })), 500);
      await insertChunks(manager, PatientLinkEntity, ids.map((p) => ({ pseudonym: p, finess: NECKER, via: 'registered', linkedAt: AT })), 500);
    });
    const prescriber = await login(base, `prescriber-${NECKER}`);
    let next = 0;
    const health = await load({ url: `${base}/api/v1/health`, connections: CONNECTIONS, duration: SECONDS });
    const decisions = await load({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/initiation-requests',
          headers: { authorization: `Bearer ${prescriber}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ medicine: MEDICINE, indication: 'chronic-dysfunction-cni', patient: pseudonym(1_000_000 + (next++ % PATIENTS)), justification: 'Toxicité des anticalcineurines.', weightKg: 70 }) }),
        },
      ],
    });
    if (next > PATIENTS) throw new Error(`more requests (${next}) than bench patients (${PATIENTS}): raise PATIENTS`);
    const [counters] = await dataSource.query<{ quota_granted: number; quota_pool: number }[]>("SELECT quota_granted, quota_pool FROM period_allocations WHERE medicine = ? AND period = '2023-05'", [MEDICINE]);
    const statuses = await dataSource.query<{ status: string; n: number }[]>('SELECT status, COUNT(*) AS n FROM initiation_requests GROUP BY status');
    if (!counters || counters.quota_granted > counters.quota_pool) throw new Error('over-allocation');
    const rate = decisions.requests.average;
    const baselineRate = health.requests.average;
    printFigure({
      bench: 'decision-throughput',
      concurrency: CONNECTIONS,
      seconds: SECONDS,
      rate,
      baselineRate,
      goal: 'throughput ≥ 0.5 of GET /health at 200 connections',
      peakRssMb: peakRssMb(),
      non2xx: decisions.non2xx,
      errors: decisions.errors,
      p50Ms: decisions.latency.p50,
      p99Ms: decisions.latency.p99,
      quotaGranted: counters.quota_granted,
      quotaPool: counters.quota_pool,
      requests: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])),
    });
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
