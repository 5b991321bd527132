/**
 * Benchmark (SPEC §13 Scale, issues 8 and 15): the periodic report of a compassionate-access scheme over 100,000
 * requests and 1,000,000 follow-up forms (BENCH_REQUESTS, BENCH_FORMS), timed through the real AccessReportsService
 * against a baseline that reads the same rows with the raw better-sqlite3 driver. Prints one JSON line:
 * `{ bench: 'periodic-report', forms, rate, baselineRate, ratio, goal, peakRssMb }`, rates in forms a second.
 *
 * Set-up: a temporary SQLite file migrated by the app, then bulk rows through the raw driver (one transaction).
 * The report and the baseline each run in a process of their own (this file with `--measure report|baseline <file>`),
 * so that `peakRssMb` is the report's own peak, not the seeding's nor the baseline's: `peakRssMb` is one report's, in a
 * fresh process; `repeatedPeakRssMb` the timed process's (a warm-up and RUNS reports in a row).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../app.factory';
import { peakRssMb, printFigure } from './bench-output';
import { SYSTEM_ACTOR } from '../common/domain/roles';
import { AccessReportsService } from '../compassionate-access/access-reports.service';
import type { CriteriaVersion } from '../compassionate-access/domain/eligibility';
import { SHIPPED_SCHEMES } from '../compassionate-access/shipped-schemes';

const BELUMOSUDIL_CRITERIA_2023 = SHIPPED_SCHEMES.belumosudil.criteriaVersions[0] as CriteriaVersion;
const BELUMOSUDIL_FORM = SHIPPED_SCHEMES.belumosudil.form;
import { FOLLOW_UP_DATA_FORM } from '../compassionate-access/domain/carry-over';
import { loadConfig } from '../config/config';
import { withFinessKey } from '../common/domain/finess';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const FORMS = Number(process.env.BENCH_FORMS ?? 1_000_000);
const ESTABLISHMENTS = 200;
const RUNS = 3;
const MEDICINE = 'REZUROCK';
const QUERY = { from: '2023-01-01', to: '2024-12-31', cutoff: '2025-06-30' };
const STOP_REASONS = ['progression', 'adverse_event', 'death', 'patient_wish', 'transfer', 'other'];

/** A deterministic pseudo-random generator (mulberry32), so that every run builds the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (date: Date): string => date.toISOString().slice(0, 10);
const plusDays = (date: string, n: number): string => day(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));
function plusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return day(new Date(Date.UTC(year, month, Math.min(d, last))));
}

function seed(path: string): { authorised: number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rnd = random(20260401);
  const at = '2025-07-01T08:00:00.000Z';
  const finess: string[] = [];
  let authorised = 0;
  db.transaction(() => {
    const est = db.prepare('INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at) VALUES (?, ?, ?, ?, 0, 1, ?)');
    const regions = ['Île-de-France', 'Bretagne', 'Occitanie', 'Grand Est', 'Normandie', 'Corse'];
    for (let i = 0; i < ESTABLISHMENTS; i++) {
      const f = withFinessKey(`${String(10 + (i % 80)).padStart(2, '0')}98${String(i).padStart(4, '0')}`);
      finess.push(f);
      est.run(f, `Bench ${i}`, regions[i % regions.length], i % 4 === 0 ? 'CHG' : 'CHU', at);
    }
    db.prepare("INSERT INTO medicines (code, name, unit, unit_mg, scheme, created_at) VALUES (?, 'Rezurock 200 mg', 'tablet', 200, 'compassionate', ?)").run(MEDICINE, at);
    db.prepare("INSERT INTO indications (medicine_code, code, name) VALUES (?, 'cgvhd', 'cGVHD')").run(MEDICINE);
    db.prepare(
      `INSERT INTO access_schemes (medicine_code, scheme, indication_code, prescriber_specialties, meeting, supplier, validity_days, follow_up_every_months,
        clinical_form, follow_up_form, report_variables, schedule, available_from, replaced_by, replaced_from, created_at)
       VALUES (?, 'belumosudil', 'cgvhd', '["haematology"]', NULL, 'lab', 365, 3, ?, ?, ?, NULL, NULL, NULL, NULL, ?)`,
    ).run(
      MEDICINE,
      JSON.stringify(BELUMOSUDIL_FORM),
      JSON.stringify(FOLLOW_UP_DATA_FORM),
      JSON.stringify({
        numeric: ['ageYears', 'weightKg', 'priorSystemicLines', 'karnofsky', 'lansky', 'stableCorticosteroidWeeks'],
        categorical: [{ name: 'pregnancyTest', values: ['negative', 'positive', 'not_applicable'] }, { name: 'childBearingPotential', values: ['true', 'false'] }],
      }),
      at,
    );
    db.prepare("INSERT INTO access_criteria_versions (id, scheme, version, effective_from, criteria, published_at, published_by) VALUES ('bench-criteria', 'belumosudil', ?, ?, ?, ?, 'agency')").run(
      BELUMOSUDIL_CRITERIA_2023.version,
      BELUMOSUDIL_CRITERIA_2023.effectiveFrom,
      JSON.stringify(BELUMOSUDIL_CRITERIA_2023.criteria),
      at,
    );

    const patient = db.prepare('INSERT INTO patients (pseudonym, nir_hash, birth_date, sex, weight_kg, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    const request = db.prepare(
      `INSERT INTO access_requests (id, medicine_code, scheme, indication_code, patient, establishment, prescriber, submitted_on, submitted_at, status, criteria_version,
        verdict, eligibility, clinical, countersigned_on, countersigned_by, countersign_comment, meeting_on, meeting_decision, meeting_rationale, meeting_by,
        decision_on, decision, decision_reason, decision_by, authorised_from, authorised_until, renewals, follow_up_id, carried_from, switched_to, updated_at)
       VALUES (?, ?, 'belumosudil', 'cgvhd', ?, ?, ?, ?, ?, ?, 'belumosudil-2023', 'eligible', '[]', ?, ?, 'pui', '', NULL, NULL, NULL, NULL, ?, ?, ?, 'agency', ?, ?, 0, ?, NULL, NULL, ?)`,
    );
    const plans: { id: string; pseudonym: string; finess: string; from: string; stopAfter: number | null }[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const pseudonym = `P-${String(i).padStart(10, '0')}`;
      patient.run(pseudonym, `bench-${i}`, '1970-01-01', i % 2 === 0 ? 'F' : 'M', 50 + (i % 40), at);
      const f = finess[i % ESTABLISHMENTS] as string;
      // From the protocol's start (2023-09-26, seed: « a démarré le 26 septembre 2023 »): every authorisation is included.
      const submitted = plusDays('2023-09-26', Math.floor(rnd() * 450));
      const roll = rnd();
      const decision = roll < 0.7 ? 'authorise' : roll < 0.8 ? 'refuse' : roll < 0.9 ? 'exclude' : null;
      const decided = decision === null ? null : plusDays(submitted, 2 + Math.floor(rnd() * 10));
      const status = decision === 'authorise' ? 'authorised' : decision === 'refuse' ? 'refused' : decision === 'exclude' ? 'excluded' : 'countersigned';
      const age = 12 + Math.floor(rnd() * 70);
      const clinical = {
        organScores: [{ organ: 'skin', score: 2 }, { organ: 'mouth', score: 1 }],
        priorSystemicLines: 2 + Math.floor(rnd() * 4),
        priorTreatments: ['corticosteroids', 'ruxolitinib'],
        notEligibleForCorticosteroidsOrRuxolitinib: false,
        ...(rnd() < 0.95 ? { weightKg: Math.round(40 + rnd() * 60) } : {}),
        ageYears: age,
        ...(age >= 16 ? { karnofsky: 60 + 10 * Math.floor(rnd() * 5) } : { lansky: 60 + 10 * Math.floor(rnd() * 5) }),
        stableCorticosteroidWeeks: 2 + Math.floor(rnd() * 10),
        childBearingPotential: i % 4 === 0,
        pregnancyTest: i % 4 === 0 ? 'negative' : 'not_applicable',
        ...(i % 4 === 0 ? { contraceptionAgreed: true } : {}),
      };
      const id = `r-${String(i).padStart(10, '0')}`;
      const until = decided === null ? null : plusDays(decided, 364);
      request.run(id, MEDICINE, pseudonym, f, `haematologist-${i % (ESTABLISHMENTS * 3)}`, submitted, `${submitted}T09:00:00.000Z`, status, JSON.stringify(clinical),
        plusDays(submitted, 1), decided, decision, decision === 'authorise' ? '' : decision === null ? null : 'bench', decision === 'authorise' ? decided : null,
        decision === 'authorise' ? until : null, id, at);
      if (decision === 'authorise' && decided !== null) {
        authorised += 1;
        plans.push({ id, pseudonym, finess: f, from: decided, stopAfter: rnd() < 0.15 ? 1 + Math.floor(rnd() * 8) : null });
      }
    }

    const form = db.prepare(
      'INSERT INTO access_forms (id, request_id, follow_up_id, medicine_code, patient, establishment, kind, due, date, administered, reason, data, received_at, received_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Forms go round the authorised patients, one scheduled form each per round, until FORMS rows exist.
    const next = new Map(plans.map((p) => [p.id, 0]));
    let written = 0;
    for (let round = 0; written < FORMS && round < 400; round++) {
      for (const p of plans) {
        if (written >= FORMS) break;
        const n = next.get(p.id) as number;
        if (n < 0) continue;
        if (p.stopAfter !== null && n === p.stopAfter) {
          const date = plusDays(plusMonths(p.from, 3 * (n - 1)), 20);
          form.run(`f-${written}`, p.id, p.id, MEDICINE, p.pseudonym, p.finess, 'stop', null, date, 0, STOP_REASONS[written % STOP_REASONS.length], null, at, 'bench');
          next.set(p.id, -1);
        } else {
          const date = plusDays(plusMonths(p.from, 3 * n), Math.floor(rnd() * 10));
          const data = written % 20 === 0 ? JSON.stringify({ adverseEvents: [{ serious: written % 40 === 0, expected: written % 60 !== 0 }] }) : null;
          form.run(`f-${written}`, p.id, p.id, MEDICINE, p.pseudonym, p.finess, n === 0 ? 'initiation' : 'follow-up', n === 0 ? 'initiation' : `M${3 * n}`, date, rnd() < 0.9 ? 1 : 0, null, data, at, 'bench');
          next.set(p.id, n + 1);
        }
        written += 1;
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { authorised };
}

/** The baseline: the same rows (requests with their patient's sex and switch, the forms up to the cut-off, the establishments) through the raw driver. */
function baseline(path: string): number {
  const db = new Database(path, { readonly: true });
  const started = performance.now();
  const requests = db
    .prepare(
      `SELECT r.id, r.patient, r.establishment, r.prescriber, r.submitted_on, r.decision_on, r.decision, r.clinical, r.authorised_from, r.authorised_until, r.carried_from, s.decision_on AS ended_on, p.sex
       FROM access_requests r LEFT JOIN access_requests s ON s.id = r.switched_to LEFT JOIN patients p ON p.pseudonym = r.patient
       WHERE r.medicine_code = ? AND r.submitted_on >= ? AND r.submitted_on <= ?`,
    )
    .all(MEDICINE, QUERY.from, QUERY.to < QUERY.cutoff ? QUERY.to : QUERY.cutoff);
  const forms = db.prepare('SELECT patient, kind, due, date, administered, reason, data FROM access_forms WHERE medicine_code IN (?) AND date <= ?').all(MEDICINE, QUERY.cutoff);
  const establishments = db.prepare('SELECT * FROM establishments').all();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  if (requests.length === 0 || forms.length === 0 || establishments.length === 0) throw new Error('baseline read nothing');
  return seconds;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function benchConfig(path: string) {
  return loadConfig({
    DATABASE_URL: `sqlite:${path}`,
    CONTINGENT_DEMO: 'false',
    PATIENT_ID_SECRET: 'bench-patient-secret-0123456789',
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef',
    AUDIT_SIGNING_KEY: 'YmVuY2gtYXVkaXQtc2lnbmluZy1rZXktMDEyMzQ1Njc=',
    LOG_LEVEL: 'silent',
    JOBS_CRON: 'false',
  });
}

interface Measured {
  seconds: number[];
  peakRssMb: number;
  received?: number;
  included?: number;
  exposed?: number;
}

type Mode = 'report' | 'report-once' | 'baseline';

/**
 * In a process of its own: one warm-up, then RUNS timed reports (or baseline reads) of the seeded file; `report-once`
 * builds one report in a fresh process (its peak is the report's memory, not what V8 leaves uncollected between runs).
 */
async function measure(mode: Mode, path: string): Promise<Measured> {
  if (mode === 'baseline') {
    baseline(path);
    const seconds = Array.from({ length: RUNS }, () => baseline(path));
    return { seconds, peakRssMb: peakRssMb() };
  }
  const app = await createApp(benchConfig(path), { logger: false });
  try {
    const reports = app.get(AccessReportsService);
    const warm = await reports.build(SYSTEM_ACTOR, MEDICINE, QUERY);
    const seconds: number[] = [];
    for (let i = 0; i < (mode === 'report-once' ? 0 : RUNS); i++) {
      const started = performance.now();
      await reports.build(SYSTEM_ACTOR, MEDICINE, QUERY);
      seconds.push((performance.now() - started) / 1000);
    }
    return { seconds, peakRssMb: peakRssMb(), received: warm.requests.received, included: warm.patients.included, exposed: warm.patients.exposed };
  } finally {
    await app.close();
  }
}

function inOwnProcess(mode: Mode, path: string): Measured {
  const run = spawnSync(process.execPath, [__filename, '--measure', mode, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || line === undefined) throw new Error(`the ${mode} process failed (exit ${String(run.status)})`);
  return JSON.parse(line) as Measured;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') {
    const measured = await measure((['baseline', 'report-once'].includes(process.argv[3] ?? '') ? process.argv[3] : 'report') as Mode, process.argv[4] as string);
    process.stdout.write(`${JSON.stringify(measured)}\n`);
    return;
  }
  // BENCH_KEEP_DB=<file> seeds that file once and keeps it, to measure again without seeding
  const kept = process.env.BENCH_KEEP_DB;
  const dir = kept === undefined ? mkdtempSync(join(tmpdir(), 'contingent-bench-reports-')) : null;
  const path = kept ?? join(dir as string, 'bench.sqlite');
  try {
    const setupStarted = performance.now();
    let authorised: number;
    if (kept !== undefined && existsSync(kept)) {
      const db = new Database(kept, { readonly: true });
      authorised = (db.prepare("SELECT COUNT(*) AS n FROM access_requests WHERE decision = 'authorise'").get() as { n: number }).n;
      db.close();
    } else {
      // the app migrates the file, then the rows go in through the raw driver
      await (await createApp(benchConfig(path), { logger: false })).close();
      authorised = seed(path).authorised;
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const base = inOwnProcess('baseline', path);
    const report = inOwnProcess('report', path);
    const once = inOwnProcess('report-once', path);
    // Throughput in forms a second, ours over the plain read's (higher is better), as every bench prints it.
    printFigure({
      bench: 'periodic-report',
      requests: REQUESTS,
      forms: FORMS,
      rate: FORMS / median(report.seconds),
      baselineRate: FORMS / median(base.seconds),
      goal: '≥ 0.5 of a plain read of the same rows, < 256 MB at 1 M forms, in a process of its own',
      // one report in a fresh process; after a warm-up and RUNS reports in a row, V8 has not yet collected what the earlier ones left
      peakRssMb: once.peakRssMb,
      repeatedPeakRssMb: report.peakRssMb,
      baselinePeakRssMb: base.peakRssMb,
      setupSeconds: Number(setupSeconds.toFixed(1)),
      received: report.received ?? 0,
      included: report.included ?? 0,
      authorised,
      exposed: report.exposed ?? 0,
    });
    if (report.received !== REQUESTS || report.included !== authorised) {
      throw new Error(`report figures do not match the data: ${String(report.received)} received, ${String(report.included)} included of ${authorised} authorised`);
    }
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
