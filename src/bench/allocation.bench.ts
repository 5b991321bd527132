/**
 * Benchmark (SPEC §13 Scale, issue 15), each figure a ratio to a baseline measured in the same run, one JSON line each:
 *
 * - allocation-month: the period-start job as the cron queues it (`allocation.start-period:period:PERIOD`, one job for every
 *   restricted medicine, set-based, run by the job runner with its history) for one month of
 *   BENCH_MEDICINES medicines × BENCH_ESTABLISHMENTS establishments (followed patients read, credits carried from the
 *   previous month, apportionment, every centre row and period row stored, one audit event a medicine), against a raw
 *   better-sqlite3 prepared multi-row insert of the very same rows into copies of the tables (same keys, indexes and
 *   foreign key) holding the same earlier months, in the same run.
 *   rate = centre rows stored a second; ratio = ours / the raw insert's (goal ≥ 0.5 at 800 × 2,500 = 2 M rows).
 * - decision-throughput: POST /initiation-requests (quota indication, one centre, a handful of slots: every request races
 *   for the same counters, nearly all are waitlisted with their reason), distinct patients, under autocannon load, against
 *   GET /api/v1/health under the same load. The run also checks that the period never granted more than its pool.
 * - decision-rate (SQLite, and PostgreSQL when BENCH_PG_URL or PG_ADMIN_URL names a server): a fixed offered load of
 *   BENCH_RATE decisions a second for BENCH_SECONDS (open loop: requests are sent on schedule whatever the answers),
 *   p50/p99 latency (goal p99 < 50 ms).
 * - decision-instances (PostgreSQL only): closed-loop decision throughput of two app processes on one database against
 *   one process (goal ≥ 1.6), twice: every request at one centre (its waitlist ranks taken in turn, the worst case), then
 *   spread over BENCH_DECISION_CENTRES centres (20; national load is spread over ~2,500), with the machine's idle CPU
 *   during each run (oneIdlePct, twoIdlePct) and where the CPU of a decision went (oneCpuMs, twoCpuMs).
 * - decision-instances-capped (PostgreSQL, Linux as root): the same pair with every instance held by a cgroup to
 *   BENCH_INSTANCE_CORES of CPU (0.4; 0 skips it). On a machine where the instances, PostgreSQL, the load generator and
 *   the kernel's loopback network share two cores, a second uncapped instance finds them taken by the first one's load
 *   (decision-instances then stops at coreBoundRatio); capped, both runs leave cores spare, so the ratio is what a second
 *   instance adds through the design (no global lock, no serialising row) as on a machine with the cores for it.
 *
 * Set-up: the app on a temporary SQLite file with the demo data, bulk rows by raw multi-row inserts.
 * Parts: BENCH_PARTS (month,sqlite,postgres). Sizes: BENCH_MEDICINES (20), BENCH_ESTABLISHMENTS (500), BENCH_CONNECTIONS (32), BENCH_SECONDS (3), BENCH_RATE (200), BENCH_DECISION_CENTRES (20).
 * Full size: BENCH_MEDICINES=800 BENCH_ESTABLISHMENTS=2500 BENCH_CONNECTIONS=200 BENCH_SECONDS=10.
 */
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { JOB_BACKEND } from '../jobs/backends/job-backend';
import { InProcessBackend } from '../jobs/backends/in-process.backend';
import { JobHistory } from '../jobs/job-history.service';
import { JobsService } from '../jobs/jobs.service';
import { valuesList } from '../common/database/sql-values';
import { withFinessKey } from '../common/domain/finess';
import { peakRssMb, printFigure } from './bench-output';
import { capProcesses } from './cpu-cap';

const MEDICINES = Number(process.env.BENCH_MEDICINES ?? 20);
const ESTABLISHMENTS = Number(process.env.BENCH_ESTABLISHMENTS ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 200);
/** Centres the spread decision load goes to on PostgreSQL (Necker and copies of it), besides the one-centre load. */
const DECISION_CENTRES = Number(process.env.BENCH_DECISION_CENTRES ?? 20);
/** Extra Node flags for the app instances, e.g. BENCH_INSTANCE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile them. */
const INSTANCE_NODE_ARGS = (process.env.BENCH_INSTANCE_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * Each app instance's CPU share (cores) in the capped PostgreSQL runs (decision-instances-capped; 0 skips them): well
 * under half the machine, so that one instance and two alike leave cores for PostgreSQL, the load and the kernel.
 */
const INSTANCE_CORES = Number(process.env.BENCH_INSTANCE_CORES ?? 0.4);
const PG_ADMIN = process.env.BENCH_PG_URL ?? process.env.PG_ADMIN_URL ?? '';
/** Which parts run: month (allocation-month), sqlite (decisions on SQLite), postgres (decisions on PostgreSQL, 1 and 2 instances). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'month,sqlite,postgres').split(',').map((p) => p.trim()));
const MEDICINE = 'NULOJIX';
const NECKER = withFinessKey('75990001');
const AT = '2023-05-15T08:00:00.000Z';
const NOW = '2023-05-15T10:00:00+02:00';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** better-sqlite3's bundled SQLite allows 32,766 bound parameters a statement. */
const SQLITE_MAX_PARAMETERS = 32_766;

function pseudonym(n: number): string {
  let out = '';
  for (let i = 0, v = n; i < 10; i++, v = Math.floor(v / 32)) out += ALPHABET[v % 32];
  return `P-${out}`;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'contingent-demo' }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
  });
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Multi-row inserts of `rows` (arrays of column values) through `query`, as large as `maxParameters` allows. */
async function insertRows(query: Query, postgres: boolean, head: string, rows: readonly unknown[][], maxParameters: number): Promise<void> {
  if (rows.length === 0) return;
  const columns = rows[0]!.length;
  const per = Math.floor(maxParameters / columns);
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    await query(`${head} VALUES ${valuesList(postgres, chunk.length, columns)}`, chunk.flat());
  }
}

/** The decision request of the n-th bench patient (the quota indication). */
function decisionBody(n: number): string {
  return JSON.stringify({
    medicine: MEDICINE,
    indication: 'chronic-dysfunction-cni',
    patient: pseudonym(1_000_000 + n),
    justification: 'Toxicité des anticalcineurines.',
    weightKg: 70,
  });
}

/**
 * `count` bench patients registered at the Necker centre, the n-th also at `centres[n % centres.length]` (a centre of
 * the spread load), by raw multi-row inserts.
 */
async function seedPatients(query: Query, postgres: boolean, count: number, maxParameters: number, centres: readonly string[] = [NECKER]): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => pseudonym(1_000_000 + i));
  await insertRows(
    query,
    postgres,
    'INSERT INTO patients (pseudonym, nir_hash, birth_date, sex, weight_kg, created_at)',
    ids.map((p, i) => [p, `bench-${String(i).padStart(58, '0')}`, '1970-01-01', 'M', 70, AT]),
    maxParameters,
  );
  await insertRows(
    query,
    postgres,
    'INSERT INTO patient_links (pseudonym, finess, via, linked_at)',
    ids.flatMap((p, i) => [[p, NECKER, 'registered', AT], ...(centres[i % centres.length] === NECKER ? [] : [[p, centres[i % centres.length]!, 'registered', AT]])]),
    maxParameters,
  );
}

/**
 * `count - 1` transplant centres besides Necker, each with a prescriber (a copy of Necker's, same password), for the
 * spread load; returns every centre's FINESS, Necker's first.
 */
async function seedCentres(db: Client, count: number): Promise<string[]> {
  const finesses = Array.from({ length: count - 1 }, (_, i) => withFinessKey(`97${String(100000 + i).padStart(6, '0')}`));
  const query: Query = (sql, params) => db.query(sql, params);
  await insertRows(query, true, 'INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at)', finesses.map((f) => [f, `Bench ${f}`, 'Bench', 'CHU', true, true, AT]), 65_535);
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM users WHERE username = $1', [`prescriber-${NECKER}`]);
  const user = rows[0]!;
  const columns = Object.keys(user);
  await insertRows(
    query,
    true,
    `INSERT INTO users (${columns.join(', ')})`,
    finesses.map((f) => columns.map((c) => (c === 'id' ? `bench-prescriber-${f}` : c === 'username' ? `prescriber-${f}` : c === 'establishment' ? f : user[c]))),
    65_535,
  );
  return [NECKER, ...finesses];
}

/** The n-th decision of a load: its patient's request, sent by the prescriber of the centre it goes to. */
type NextDecision = () => { token: string; body: string };

/** Decisions of distinct patients, each at `tokens[n % tokens.length]`'s centre (one token: all at Necker). */
function decisionsOf(tokens: readonly string[], patients: number, start: { next: number }): NextDecision {
  return () => {
    const n = start.next++;
    if (n >= patients) throw new Error('more requests than bench patients');
    return { token: tokens[n % tokens.length]!, body: decisionBody(n) };
  };
}

/**
 * Open loop at a fixed offered rate: request i is sent at start + i / rate whatever the earlier ones became, and its
 * latency is counted from that scheduled time (no coordinated omission).
 */
async function openLoop(
  bases: readonly string[],
  rate: number,
  seconds: number,
  nextDecision: NextDecision,
): Promise<{
  sent: number;
  ok: number;
  p50: number;
  p99: number;
  achieved: number;
}> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = started + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const base = bases[i % bases.length]!;
    const { token, body } = nextDecision();
    inFlight.push(
      fetch(`${base}/api/v1/initiation-requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body,
      })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status < 300) ok++;
        })
        .catch(() => undefined)
        .finally(() => latencies.push(performance.now() - scheduled)),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    p50: round(quantile(latencies, 0.5)),
    p99: round(quantile(latencies, 0.99)),
    achieved: ok / elapsed,
  };
}

/** Copies of period_allocations and centre_allocations (same columns, keys, indexes and foreign key) for the baseline. */
function createBaselineTables(db: Database.Database): void {
  const objects = db.prepare("SELECT type, sql FROM sqlite_master WHERE tbl_name IN ('period_allocations', 'centre_allocations') AND sql IS NOT NULL ORDER BY type DESC, tbl_name DESC").all() as { type: string; sql: string }[];
  for (const o of objects) db.exec(o.sql.replace(/INDEX "([^"]+)"/, 'INDEX "bench_$1"').replace(/"(period_allocations|centre_allocations)"/g, '"bench_$1"'));
}

/**
 * The raw baseline: the very rows the job stored for `period` (period rows, then centre rows) inserted again by
 * prepared multi-row inserts as large as SQLite allows, in one transaction, into copies of the tables that already hold
 * the same earlier rows as the app's when the job ran (`before`: the months before). Only the inserts are timed.
 */
function rawInsertBaseline(file: string, period: string, before: readonly string[]): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  createBaselineTables(db);
  for (const p of before) {
    db.prepare(`INSERT INTO bench_period_allocations SELECT * FROM period_allocations WHERE period = ?`).run(p);
    db.prepare(`INSERT INTO bench_centre_allocations SELECT * FROM centre_allocations WHERE period = ?`).run(p);
  }
  // Rows are read on a connection of their own: better-sqlite3 cannot write on one that is iterating.
  const reader = new Database(file, { readonly: true });
  let seconds = 0;
  const copy = (table: string, columns: string[]): void => {
    const per = Math.floor(SQLITE_MAX_PARAMETERS / columns.length);
    const head = `INSERT INTO bench_${table} (${columns.join(', ')}) VALUES `;
    const full = db.prepare(head + valuesList(false, per, columns.length));
    // In the order the job wrote them: by medicine, then FINESS.
    const read = reader.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE period = ? ORDER BY ${table === 'centre_allocations' ? 'medicine, finess' : 'medicine'}`).raw(true);
    let params: unknown[] = [];
    let count = 0;
    const flush = (): void => {
      const t = performance.now();
      (count === per ? full : db.prepare(head + valuesList(false, count, columns.length))).run(params);
      seconds += (performance.now() - t) / 1000;
      params = [];
      count = 0;
    };
    for (const row of read.iterate(period) as Iterable<unknown[]>) {
      params.push(...row);
      if (++count === per) flush();
    }
    if (count > 0) flush();
  };
  const t0 = performance.now();
  db.exec('BEGIN');
  seconds += (performance.now() - t0) / 1000;
  copy('period_allocations', ['medicine', 'period', 'policy_version', 'mode', 'national_capacity', 'urgent_granted', 'quota_granted', 'quota_pool', 'freed_capacity', 'extra_capacity', 'carried_freed_capacity', 'computed_at']);
  copy('centre_allocations', ['medicine', 'period', 'finess', 'followed_patients', 'entitlement', 'credit_before', 'slots', 'used', 'credit_after', 'carried_slots']);
  const t1 = performance.now();
  db.exec('COMMIT');
  seconds += (performance.now() - t1) / 1000;
  db.exec('DROP TABLE bench_centre_allocations; DROP TABLE bench_period_allocations');
  reader.close();
  db.close();
  return seconds;
}

/** M rationing medicines (the demo's and copies of Nulojix with its whole policy timeline) and E establishments following patients. */
async function seedMonth(dataSource: DataSource): Promise<void> {
  const [{ n: existing }] = await dataSource.query<[{ n: number }]>('SELECT COUNT(*) AS n FROM establishments');
  const extra = Math.max(0, ESTABLISHMENTS - Number(existing));
  const finesses = Array.from({ length: extra }, (_, i) => withFinessKey(`98${String(100000 + i).padStart(6, '0')}`));
  await dataSource.transaction(async (manager) => {
    const q: Query = (sql, params) => manager.query(sql, params);
    await insertRows(
      q,
      false,
      'INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at)',
      finesses.map((f) => [f, `Bench ${f}`, 'Bench', 'CHG', 1, 1, AT]),
      SQLITE_MAX_PARAMETERS,
    );
    await insertRows(
      q,
      false,
      'INSERT INTO followed_patients (finess, period, count, updated_at)',
      finesses.map((f, i) => [f, '2023-01', 5 + ((i * 37) % 400), AT]),
      SQLITE_MAX_PARAMETERS,
    );
    const rationing = Number((await manager.query<[{ n: number }]>("SELECT COUNT(*) AS n FROM medicines WHERE scheme = 'rationing'"))[0].n);
    const [medicine] = await manager.query<Record<string, unknown>[]>('SELECT * FROM medicines WHERE code = ?', [MEDICINE]);
    const policies = await manager.query<Record<string, unknown>[]>('SELECT * FROM policies WHERE medicine_code = ?', [MEDICINE]);
    const codes = Array.from({ length: Math.max(0, MEDICINES - rationing) }, (_, i) => `BENCH${String(i).padStart(4, '0')}`);
    const medicineColumns = Object.keys(medicine!);
    await insertRows(
      q,
      false,
      `INSERT INTO medicines (${medicineColumns.join(', ')})`,
      codes.map((code) => medicineColumns.map((c) => (c === 'code' ? code : medicine![c]))),
      SQLITE_MAX_PARAMETERS,
    );
    const policyColumns = Object.keys(policies[0]!);
    const policyRows = codes.flatMap((code, m) => policies.map((p, v) => policyColumns.map((c) => (c === 'medicine_code' ? code : c === 'id' ? `bench-${m}-${v}` : p[c]))));
    await insertRows(q, false, `INSERT INTO policies (${policyColumns.join(', ')})`, policyRows, SQLITE_MAX_PARAMETERS);
  });
}

/** The period-start job of `period`, queued as the cron queues it and run by the in-process runner: what it reported. */
async function startPeriod(app: INestApplication, period: string): Promise<{ medicines: number }> {
  const run = await app.get(JobsService).enqueue('allocation.start-period', { period }, 'cron');
  await app.get<InProcessBackend>(JOB_BACKEND).idle();
  const done = await app.get(JobHistory).find(run.id);
  if (done?.state !== 'completed') throw new Error(`${run.id} is ${done?.state ?? 'absent'}: ${done?.error ?? ''}`);
  return done.result as { medicines: number };
}

/** One month's period start of every rationing medicine, by the job, against the raw insert of the same rows. */
async function allocationMonth(app: INestApplication, dataSource: DataSource, file: string): Promise<void> {
  await seedMonth(dataSource);
  // The month before, so the measured one carries credits (and unused slots where the policy says so).
  await startPeriod(app, '2023-06');
  const started = performance.now();
  const computed = await startPeriod(app, '2023-07');
  const seconds = (performance.now() - started) / 1000;
  const rss = peakRssMb();
  const [{ rows }] = await dataSource.query<[{ rows: number }]>("SELECT COUNT(*) AS rows FROM centre_allocations WHERE period = '2023-07'");
  const [{ medicines }] = await dataSource.query<[{ medicines: number }]>("SELECT COUNT(*) AS medicines FROM period_allocations WHERE period = '2023-07'");
  const [{ wrong }] = await dataSource.query<[{ wrong: number }]>(
    "SELECT COUNT(*) AS wrong FROM period_allocations p WHERE p.period = '2023-07' AND p.quota_pool <> (SELECT COALESCE(SUM(c.slots), 0) FROM centre_allocations c WHERE c.medicine = p.medicine AND c.period = p.period)",
  );
  if (computed.medicines !== Number(medicines) || Number(medicines) < MEDICINES || Number(wrong) !== 0) throw new Error(`period start wrong: ${computed.medicines} computed, ${medicines} stored, ${wrong} pools not apportioned exactly`);
  const baselineSeconds = rawInsertBaseline(file, '2023-07', ['2023-05', '2023-06']);
  const n = Number(rows);
  printFigure({
    bench: 'allocation-month',
    medicines: Number(medicines),
    establishments: ESTABLISHMENTS,
    rows: n,
    seconds: round(seconds),
    baselineSeconds: round(baselineSeconds),
    rate: n / seconds,
    baselineRate: n / baselineSeconds,
    goal: 0.5,
    peakRssMb: rss,
  });
}

/** An app instance in a process of its own (`--instance`), on the database the environment names. */
interface Instance {
  base: string;
  pid: number;
  stop: () => Promise<void>;
}

function instanceEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTINGENT_DEMO: 'true',
    DATABASE_URL: databaseUrl,
    CONTINGENT_NOW: NOW,
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '100000',
    JOBS_CRON: 'false',
  };
  delete env.REDIS_URL;
  return env;
}

function startInstance(databaseUrl: string): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, [...INSTANCE_NODE_ARGS, __filename, '--instance'], { env: instanceEnv(databaseUrl), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => reject(new Error(`instance exited (${code}) before listening`)));
    lines.on('line', (line) => {
      const port = /^listening (\d+)$/.exec(line)?.[1];
      if (!port) return;
      child.removeAllListeners('exit');
      resolve({
        base: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

async function runInstance(): Promise<void> {
  const app = await createApp(loadConfig(process.env), { logger: false });
  await app.listen(0, '127.0.0.1');
  // Load tools keep connections open between runs longer than Node's 5 s keep-alive.
  (app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 120_000;
  process.stdout.write(`listening ${(app.getHttpServer().address() as AddressInfo).port}\n`);
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

/**
 * The machine's CPU time so far (all cores, in clock ticks), idle, in software interrupts (the kernel's loopback
 * network: no process's own CPU time counts it) and in all, from /proc/stat (Linux).
 */
function machineTicks(): { idle: number; softirq: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: fields[3]! + (fields[4] ?? 0), softirq: fields[6] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** CPU time so far (user + system, clock ticks) of each process: the app instances `pids`, PostgreSQL's backends and its own background processes, from /proc (Linux). */
interface ProcessTicks {
  instances: Map<number, number>;
  postgres: Map<number, number>;
  postgresBackground: Map<number, number>;
}

function processTicks(pids: readonly number[]): ProcessTicks | null {
  const ticksOf = (pid: string): { comm: string; ticks: number } | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      return { comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
    } catch {
      return null;
    }
  };
  try {
    const ticks: ProcessTicks = { instances: new Map(), postgres: new Map(), postgresBackground: new Map() };
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const t = ticksOf(entry);
      if (!t || !(t.comm === 'postgres' || t.comm.startsWith('postgres:'))) continue;
      // The server's own processes (autovacuum, WAL writer, checkpointer…) as against the backends serving the instances.
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const background = /: (checkpointer|background writer|walwriter|autovacuum|logical replication|archiver|stats|walsender|walreceiver|startup)/.test(title);
      (background ? ticks.postgresBackground : ticks.postgres).set(Number(entry), t.ticks);
    }
    for (const pid of pids) ticks.instances.set(pid, ticksOf(String(pid))?.ticks ?? 0);
    return ticks;
  } catch {
    return null;
  }
}

/**
 * Ticks spent between two readings by the processes alive at the second: a process started in between counts whole, one
 * that exited in between is not counted (a pool's idle connection closing must not take its earlier CPU time off).
 */
function ticksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ticks] of after) sum += ticks - Math.min(ticks, before.get(pid) ?? 0);
  return sum;
}

/**
 * While `work` ran: where the CPU of a decision went, in ms a decision — the app instances, PostgreSQL, the load
 * generator (this process) and the kernel's software interrupts (the loopback network), with `rate` decisions a second
 * for `seconds` — and how idle the machine's cores were, in % (0: no spare CPU). Null where /proc is not there.
 */
async function withCpuShares<T extends { rate: number }>(
  pids: readonly number[],
  seconds: number,
  work: () => Promise<T>,
): Promise<T & { cpuMs: { instances: number; postgres: number; postgresBackground: number; load: number; softirq: number } | null; idlePct: number | null }> {
  const before = processTicks(pids);
  const machineBefore = machineTicks();
  const load = process.cpuUsage();
  const result = await work();
  const after = processTicks(pids);
  const machineAfter = machineTicks();
  const loadMicros = process.cpuUsage(load);
  const decisions = result.rate * seconds;
  const tickMs = 10; // USER_HZ is 100 on Linux
  const perDecision = (ticks: number): number => round((ticks * tickMs) / Math.max(1, decisions));
  const machine = machineBefore && machineAfter && machineAfter.total > machineBefore.total ? { before: machineBefore, after: machineAfter } : null;
  const cpuMs =
    before && after && machine
      ? {
          instances: perDecision(ticksBetween(before.instances, after.instances)),
          postgres: perDecision(ticksBetween(before.postgres, after.postgres)),
          postgresBackground: perDecision(ticksBetween(before.postgresBackground, after.postgresBackground)),
          load: round((loadMicros.user + loadMicros.system) / 1000 / Math.max(1, decisions)),
          softirq: perDecision(machine.after.softirq - machine.before.softirq),
        }
      : null;
  const idlePct = machine ? round((100 * (machine.after.idle - machine.before.idle)) / (machine.after.total - machine.before.total)) : null;
  return { ...result, cpuMs, idlePct };
}

/** Closed-loop decision load on each of `bases` at once (the connections shared out), total requests a second. */
async function decisionLoad(
  bases: readonly string[],
  connections: number,
  seconds: number,
  nextDecision: NextDecision,
): Promise<{
  rate: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
}> {
  const results = await Promise.all(
    bases.map((base) =>
      load({
        url: base,
        connections: Math.max(1, Math.round(connections / bases.length)),
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/initiation-requests',
            setupRequest: (req) => {
              const { token, body } = nextDecision();
              return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body };
            },
          },
        ],
      }),
    ),
  );
  return {
    rate: results.reduce((s, r) => s + r.requests.average, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
    errors: results.reduce((s, r) => s + r.errors, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

/**
 * Waits until the instances have worked off what a closed loop left queued (requests its client gave up on are still
 * served): the fixed-rate figure measures the offered rate, not the tail of the previous run.
 */
async function settle(bases: readonly string[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (let tries = 0; tries < 100; tries++) {
    const started = performance.now();
    await Promise.all(bases.map((base) => fetch(`${base}/api/v1/health`).then((r) => r.arrayBuffer())));
    if (performance.now() - started < 20) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Enough distinct patients for every load of a run (closed loops at a generous guess of 1,000 decisions a second). */
function patientsNeeded(runs: number): number {
  return Math.max(20_000, Math.round((runs * SECONDS * 1000 + RATE * SECONDS * 1.1) / 1000) * 1000);
}

async function decisionsSqlite(dir: string): Promise<void> {
  const file = join(dir, 'decisions.sqlite');
  const instance = await startInstance(`sqlite:${file}`);
  try {
    const db = new Database(file);
    db.pragma('busy_timeout = 10000');
    const patients = patientsNeeded(1);
    const query: Query = (sql, params) => Promise.resolve(db.prepare(sql).run(params ?? []));
    db.exec('BEGIN');
    await seedPatients(query, false, patients, SQLITE_MAX_PARAMETERS);
    db.exec('COMMIT');
    const token = await login(instance.base, `prescriber-${NECKER}`);
    const nextDecision = decisionsOf([token], patients, { next: 0 });
    const health = await load({
      url: `${instance.base}/api/v1/health`,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const closed = await decisionLoad([instance.base], CONNECTIONS, SECONDS, nextDecision);
    const counters = db.prepare("SELECT quota_granted, quota_pool FROM period_allocations WHERE medicine = ? AND period = '2023-05'").get(MEDICINE) as { quota_granted: number; quota_pool: number } | undefined;
    if (!counters || counters.quota_granted > counters.quota_pool) throw new Error('over-allocation');
    printFigure({
      bench: 'decision-throughput',
      database: 'sqlite',
      concurrency: CONNECTIONS,
      seconds: SECONDS,
      rate: closed.rate,
      baselineRate: health.requests.average,
      goal: 'throughput ≥ 0.5 of GET /health at 200 connections',
      peakRssMb: peakRssMb(),
      non2xx: closed.non2xx,
      errors: closed.errors,
      p50Ms: closed.p50,
      p99Ms: closed.p99,
      quotaGranted: counters.quota_granted,
      quotaPool: counters.quota_pool,
    });
    await settle([instance.base]);
    const open = await openLoop([instance.base], RATE, SECONDS, nextDecision);
    printRateFigure('sqlite', 1, open);
    db.close();
  } finally {
    await instance.stop();
  }
}

/** The fixed-rate figure: decisions achieved at the offered rate, with the latency counted from each scheduled send. */
function printRateFigure(database: 'sqlite' | 'postgres', instances: number, open: Awaited<ReturnType<typeof openLoop>>): void {
  printFigure({
    bench: 'decision-rate',
    database,
    instances,
    offeredRate: RATE,
    seconds: SECONDS,
    rate: open.achieved,
    baselineRate: RATE,
    goal: 'p99 < 50 ms at the offered rate',
    peakRssMb: peakRssMb(),
    sent: open.sent,
    ok: open.ok,
    p50Ms: open.p50,
    p99Ms: open.p99,
  });
}

async function decisionsPostgres(): Promise<void> {
  const name = `contingent_bench_${process.pid}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const instances: Instance[] = [];
  try {
    instances.push(await startInstance(url)); // migrates and seeds the demo data
    const db = new Client({ connectionString: url });
    // The database is dropped WITH (FORCE) at the end, which ends this connection if a failure skipped db.end().
    db.on('error', () => undefined);
    await db.connect();
    const patients = patientsNeeded(INSTANCE_CORES > 0 ? 8 : 4);
    await db.query('BEGIN');
    const centres = DECISION_CENTRES > 1 ? await seedCentres(db, DECISION_CENTRES) : [NECKER];
    await seedPatients((sql, params) => db.query(sql, params), true, patients, 65_535, centres);
    await db.query('COMMIT');
    instances.push(await startInstance(url));
    const [a, b] = instances.map((i) => i.base) as [string, string];
    const tokens = await Promise.all(centres.map((f) => login(a, `prescriber-${f}`)));
    const start = { next: 0 };
    const pids = instances.map((i) => i.pid);
    // Transactions PostgreSQL committed: the decisions' own (a waiting request's read and its one write, outside a
    // transaction block, commit one each), the sequencer's chaining passes.
    const commits = async (): Promise<number> => {
      await db.query('SELECT pg_stat_force_next_flush()');
      const { rows } = await db.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()');
      return Number(rows[0]!.n);
    };
    /** One instance, then two, under the same closed-loop load, as one figure (each instance held to `cap` cores when set). */
    const onePair = async (nextDecision: NextDecision, centres: number, cap: number | null): Promise<void> => {
      const c0 = await commits();
      const one = await withCpuShares(pids, SECONDS, () => decisionLoad([a], CONNECTIONS, SECONDS, nextDecision));
      await settle([a, b]);
      const c1 = await commits();
      const two = await withCpuShares(pids, SECONDS, () => decisionLoad([a, b], CONNECTIONS, SECONDS, nextDecision));
      await settle([a, b]);
      const c2 = await commits();
      printFigure({
        bench: cap === null ? 'decision-instances' : 'decision-instances-capped',
        database: 'postgres',
        centres,
        concurrency: CONNECTIONS,
        seconds: SECONDS,
        // each instance's CPU share in cores (capped run): the machine keeps spare cores for PostgreSQL and the load
        instanceCores: cap ?? undefined,
        rate: two.rate,
        baselineRate: one.rate,
        goal: 1.6,
        peakRssMb: peakRssMb(),
        oneP99Ms: one.p99,
        twoP99Ms: two.p99,
        // spare CPU of the machine during each run (the instances, PostgreSQL and the load generator share its cores)
        oneIdlePct: one.idlePct ?? undefined,
        twoIdlePct: two.idlePct ?? undefined,
        // CPU ms a decision in the instances, PostgreSQL (its own background processes apart), the load generator and the
        // kernel's software interrupts (loopback network), from each process's CPU time and /proc/stat
        oneCpuMs: one.cpuMs ?? undefined,
        twoCpuMs: two.cpuMs ?? undefined,
        oneCommitsPerDecision: round((c1 - c0) / Math.max(1, one.rate * SECONDS)),
        twoCommitsPerDecision: round((c2 - c1) / Math.max(1, two.rate * SECONDS)),
        // Uncapped: the most two instances can give on this machine if a decision costs it as much CPU as with one: all
        // its cores over the share the one-instance run kept busy (the kernel's network work included).
        coreBoundRatio: cap === null && one.idlePct !== null && one.idlePct < 100 ? round(100 / (100 - one.idlePct)) : undefined,
        non2xx: one.non2xx + two.non2xx,
        errors: one.errors + two.errors,
      });
    };
    // Every request at one centre (its queue's rank taken in turn: the worst case), then spread over the centres; each
    // uncapped (the machine's figure), then with every instance held to INSTANCE_CORES (the app's own scaling).
    for (const spread of DECISION_CENTRES > 1 ? [tokens.slice(0, 1), tokens] : [tokens]) {
      const nextDecision = decisionsOf(spread, patients, start);
      await onePair(nextDecision, spread.length, null);
      if (INSTANCE_CORES <= 0) continue;
      const capped = capProcesses(pids, INSTANCE_CORES, String(process.pid));
      if ('unavailable' in capped) {
        process.stderr.write(`decision-instances-capped not measured: ${capped.unavailable}\n`);
        continue;
      }
      try {
        await onePair(nextDecision, spread.length, INSTANCE_CORES);
      } finally {
        for (const cap of capped.caps) cap.release();
      }
    }
    const { rows } = await db.query<{ quota_granted: number; quota_pool: number }>("SELECT quota_granted, quota_pool FROM period_allocations WHERE medicine = $1 AND period = '2023-05'", [MEDICINE]);
    if (!rows[0] || rows[0].quota_granted > rows[0].quota_pool) throw new Error('over-allocation');
    const open = await openLoop([a, b], RATE, SECONDS, decisionsOf(tokens.slice(0, 1), patients, start));
    printRateFigure('postgres', 2, open);
    await db.end();
  } finally {
    for (const i of instances) await i.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'contingent-bench-allocation-'));
  try {
    const file = join(dir, 'month.sqlite');
    if (PARTS.has('month')) await monthInProcess(file);
    if (PARTS.has('sqlite')) await decisionsSqlite(dir);
    if (PARTS.has('postgres') && PG_ADMIN) await decisionsPostgres();
    else if (PARTS.has('postgres')) process.stderr.write('decision-instances skipped: no BENCH_PG_URL or PG_ADMIN_URL\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function monthInProcess(file: string): Promise<void> {
  const config = loadConfig({
    CONTINGENT_DEMO: 'true',
    DATABASE_URL: `sqlite:${file}`,
    CONTINGENT_NOW: NOW,
    LOG_LEVEL: 'silent',
    JOBS_CRON: 'false',
  });
  const app = await createApp(config, { logger: false });
  try {
    await app.init();
    await allocationMonth(app, app.get(DataSource), file);
  } finally {
    await app.close();
  }
}

(process.argv.includes('--instance') ? runInstance() : main()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
