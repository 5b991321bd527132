/**
 * Benchmark (issue 18, SPEC §13 Scale): the supply projection of 50,000 active treatments over 12 months,
 * through the real SupplyService (treatments read through TREATMENT_FACTS, policies, the pure projection),
 * against a baseline that reads the same treatment rows (same query, same join, same order) with the raw
 * better-sqlite3 driver, in the same run. Prints one JSON line
 * `{ bench, treatments, rate, baselineRate, ratio, goal, peakRssMb }`, rates in treatments a second,
 * `ratio` = rate / baselineRate (higher is better).
 *
 * Sizes: BENCH_TREATMENTS (default 50,000), BENCH_HORIZON (default 12). A quick run: BENCH_TREATMENTS=2000.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../app.factory';
import { addPeriods } from '../common/domain/period';
import { loadConfig } from '../config/config';
import { withFinessKey } from '../common/domain/finess';
import { valuesList } from '../common/database/sql-values';
import { SupplyService } from '../supply/supply.service';
import { BELATACEPT_SCHEDULE_6 } from '../medicines/domain/dosing-schedule';

const TREATMENTS = Number(process.env.BENCH_TREATMENTS ?? 50_000);
const HORIZON = Number(process.env.BENCH_HORIZON ?? 12);
/** One in 20 treatments of the history is stopped (the stop rate's source); the projection counts the others. */
const STOPPED_EVERY = 20;
const RUNS = 5;
const GOAL = 0.5;
const MEDICINE = 'BENCHCEPT';
const AT = '2025-06-15T08:00:00.000Z';
const STOCK_DATE = '2025-06-01';
const ROWS_PER_INSERT = 500;
const ESTABLISHMENTS = 40;

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

const dayFrom = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Deterministic rows: starts spread over four years before the stock date, weights 45…114 kg. */
function seed(path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const finess = Array.from({ length: ESTABLISHMENTS }, (_, i) => withFinessKey(`7598${String(i).padStart(4, '0')}`));
  db.transaction(() => {
    const est = db.prepare("INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at) VALUES (?, ?, 'Île-de-France', 'CHU', 1, 1, ?)");
    finess.forEach((f, i) => est.run(f, `Bench ${i}`, AT));
    db.prepare("INSERT INTO medicines (code, name, unit, unit_mg, scheme, created_at) VALUES (?, 'Benchcept 250 mg', 'vial', 250, 'rationing', ?)").run(MEDICINE, AT);
    db.prepare(
      `INSERT INTO policies (id, medicine_code, version, effective_from, mode, monthly_cap, quota_pool, indications, unused_quota, redistribute, votes_required, deadline_hours,
        start_within_days, order_tolerance_pct, schedule, notes, published_at, published_by) VALUES ('bench-policy', ?, 1, '2020-01-01', 'capped', 50, 0, '[]', 'lapse', 0, 2, 72, 30, 0, ?, NULL, ?, 'bench')`,
    ).run(MEDICINE, JSON.stringify(BELATACEPT_SCHEDULE_6), AT);
    db.prepare("INSERT INTO supply_declarations (id, medicine_code, version, at, stock_units, pharmacy_stock_units, expected, declared_at, declared_by) VALUES ('bench-supply', ?, 1, ?, ?, NULL, ?, ?, 'bench')").run(
      MEDICINE, STOCK_DATE, TREATMENTS * 8, JSON.stringify(Array.from({ length: 11 }, (_, i) => ({ period: addPeriods('2025-06', i + 1), units: TREATMENTS * 3 }))), AT,
    );
  })();
  const pseudonym = (i: number): string => `P-${String(i).padStart(10, '0')}`;
  bulkInsert(db, 'INSERT INTO patients (pseudonym, nir_hash, birth_date, sex, weight_kg, created_at) VALUES ', 6, TREATMENTS, (i) => [pseudonym(i), `bench-${i}`, '1960-01-01', i % 2 ? 'F' : 'M', 45 + (i % 70), AT]);
  const total = TREATMENTS + Math.floor(TREATMENTS / STOPPED_EVERY);
  bulkInsert(
    db,
    'INSERT INTO treatments (id, patient, medicine, indication, establishment, establishment_since, status, start_date, weight_kg, stop_date, stop_reason, request_id, policy_version, created_at, created_by, updated_at) VALUES ',
    16,
    total,
    (i) => {
      // Rows past TREATMENTS are stopped treatments of earlier patients (the stop history).
      const stopped = i >= TREATMENTS;
      const patient = pseudonym(stopped ? (i - TREATMENTS) * STOPPED_EVERY : i);
      const start = dayFrom('2021-06-01', (i * 7919) % 1460);
      const stopDate = stopped ? dayFrom(STOCK_DATE, -1 - (i % 300)) : null;
      const startDate = stopped && start >= (stopDate as string) ? dayFrom(stopDate as string, -200) : start;
      return [`bench-t${i}`, patient, MEDICINE, 'bench', finess[i % ESTABLISHMENTS], startDate, stopped ? 'stopped' : 'active', startDate, 45 + ((i * 37) % 70), stopDate, stopped ? 'other' : null, null, 1, AT, 'bench', AT];
    },
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return total;
}

/** The baseline: the rows TREATMENT_FACTS reads for the projection, through the raw driver. */
function baseline(path: string, last: string): { seconds: number; rows: number } {
  const db = new Database(path, { readonly: true });
  const started = performance.now();
  const rows = db
    .prepare(
      `SELECT t.id, t.patient, t.medicine, t.establishment, t.status, t.start_date, t.stop_date, t.stop_reason, t.weight_kg, tr.date, tr.from_establishment, tr.to_establishment
       FROM treatments t LEFT JOIN treatment_transfers tr ON tr.treatment_id = t.id WHERE t.medicine = ? AND t.start_date <= ? ORDER BY t.id, tr.date, tr.declared_at`,
    )
    .all(MEDICINE, last);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds, rows: rows.length };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'contingent-bench-projection-'));
  const path = join(dir, 'bench.sqlite');
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path}`,
    CONTINGENT_DEMO: 'false',
    CONTINGENT_NOW: AT,
    PATIENT_ID_SECRET: 'bench-patient-secret-0123456789',
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef',
    AUDIT_SIGNING_KEY: 'YmVuY2gtYXVkaXQtc2lnbmluZy1rZXktMDEyMzQ1Njc=',
    LOG_LEVEL: 'silent',
    JOBS_CRON: 'false',
  });
  const app = await createApp(config, { logger: false });
  try {
    const rowsWritten = seed(path);
    const supply = app.get(SupplyService);
    const warm = await supply.projection(MEDICINE, HORIZON);
    if (warm.activeTreatments !== TREATMENTS) throw new Error(`the projection counted ${warm.activeTreatments} continuing treatments, not ${TREATMENTS}`);
    const read = baseline(path, '2025-06-30');
    if (read.rows !== rowsWritten) throw new Error(`the baseline read ${read.rows} rows, not ${rowsWritten}`);
    const timed: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(baseline(path, '2025-06-30').seconds);
      const started = performance.now();
      await supply.projection(MEDICINE, HORIZON);
      timed.push((performance.now() - started) / 1000);
    }
    const rate = TREATMENTS / median(timed);
    const baselineRate = TREATMENTS / median(base);
    const line = {
      bench: 'projection',
      treatments: TREATMENTS,
      rate: Math.round(rate),
      baselineRate: Math.round(baselineRate),
      ratio: Number((rate / baselineRate).toFixed(2)),
      goal: GOAL,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      horizon: HORIZON,
      rows: rowsWritten,
      sustainableMonthlyInitiations: warm.sustainableMonthlyInitiations,
      stockOutPeriod: warm.stockOutPeriod,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
