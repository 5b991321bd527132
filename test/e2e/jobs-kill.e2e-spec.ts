import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { queuePrefixOf } from '../../src/jobs/jobs.module';
import { queueNameOf } from '../../src/jobs/domain/job-keys';
import { AuditService } from '../../src/audit/audit.service';
import { DB_KIND, TestApp, startTestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const ROOT = join(__dirname, '..', '..');
const JOB_ID = 'test.hold:NULOJIX:2023-04';

/** SPEC §13 "Nothing lost": a job killed half-way leaves no partial rows and runs to its end once. */
describe(`a BullMQ worker killed in the middle of a job (${DB_KIND})`, () => {
  let t: TestApp;
  const children: ChildProcess[] = [];

  const startWorker = (
    enqueue: boolean | string,
    extraEnv: Record<string, string> = {},
  ): { child: ChildProcess; lines: string[]; waitFor: (text: string, timeoutMs?: number) => Promise<string> } => {
    const url = t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url;
    const flags = enqueue === true ? ['--enqueue'] : typeof enqueue === 'string' ? [enqueue] : [];
    const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', 'test/support/jobs-worker.ts', ...flags], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, DATABASE_URL: url, REDIS_URL, CONTINGENT_DEMO: 'true', JOBS_CRON: 'false', LOG_LEVEL: 'silent',
        PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef', CONTINGENT_NOW: '2023-05-15T10:00:00+02:00', HOLD_MS: '4000',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    let errors = '';
    child.stdout?.setEncoding('utf8').on('data', (data: string) => lines.push(...data.split('\n').filter(Boolean)));
    child.stderr?.setEncoding('utf8').on('data', (data: string) => (errors += data));
    const waitFor = async (text: string, timeoutMs = 60_000): Promise<string> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => l.startsWith(text));
        if (line) return line;
        if (child.exitCode !== null || Date.now() > until) throw new Error(`worker ${child.pid} never said "${text}" (exit ${child.exitCode}): ${errors.slice(0, 2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    return { child, lines, waitFor };
  };

  const jobRun = async (): Promise<{ state: string; attempts: number } | undefined> =>
    (await t.dataSource.query(`SELECT state, attempts FROM job_runs WHERE id = ${DB_KIND === 'postgres' ? '$1' : '?'}`, [JOB_ID]))[0];

  beforeAll(async () => {
    t = await startTestApp();
    await t.dataSource.query('CREATE TABLE kill_effects (job_key varchar(40) NOT NULL, worker varchar(20) NOT NULL)');
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const name of ['contingent-test', queueNameOf('reconciliation.run')]) {
      const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix: queuePrefixOf(t.config) });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await t.close();
  });

  it('lets another worker take the job back and finish it once, with its effect written once', async () => {
    const first = startWorker(true);
    await first.waitFor('effect-written');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // The killed worker's transaction is gone with it; the history shows it started once.
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM kill_effects'))[0].n)).toBe(0);
    expect(await jobRun()).toMatchObject({ state: 'active', attempts: 1 });

    const second = startWorker(false);
    const until = Date.now() + 40_000;
    while ((await jobRun())?.state !== 'completed') {
      if (Date.now() > until) throw new Error(`the job is still ${(await jobRun())?.state}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const effects: { job_key: string; worker: string }[] = await t.dataSource.query('SELECT job_key, worker FROM kill_effects');
    expect(effects).toEqual([{ job_key: 'NULOJIX:2023-04', worker: String(second.child.pid) }]);
    expect(await jobRun()).toMatchObject({ state: 'completed', attempts: 2 });
    const queue = new Queue('contingent-test', { connection: { url: REDIS_URL }, prefix: queuePrefixOf(t.config) });
    const job = await queue.getJob(JOB_ID);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual({ worker: second.child.pid });
    await queue.close();
    // Nothing runs it again afterwards.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(second.lines.filter((l) => l.startsWith('effect-written'))).toHaveLength(1);
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM kill_effects'))[0].n)).toBe(1);
  }, 180_000);
  it('after a kill between the committed effect and the queue\'s acknowledgement, finds the job done: one audit event, one set of discrepancies', async () => {
    const id = 'reconciliation.run:NULOJIX:2023-04';
    const p = DB_KIND === 'postgres' ? '$1' : '?';
    const run = async (): Promise<{ state: string; attempts: number } | undefined> => (await t.dataSource.query(`SELECT state, attempts FROM job_runs WHERE id = ${p}`, [id]))[0];
    const discrepancies = async (): Promise<unknown[]> =>
      t.dataSource.query("SELECT seq, kind, establishment, patient, params FROM reconciliation_discrepancies WHERE medicine = 'NULOJIX' AND period = '2023-04' ORDER BY seq");
    const events = async (): Promise<number> =>
      (await t.app.get(AuditService).list({ entityId: 'NULOJIX:2023-04', action: 'reconciliation.run', limit: 100 })).items.length;

    // The workers of the test before must not take this job.
    const alive = children.filter((child) => child.exitCode === null && child.signalCode === null);
    const exited = alive.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of alive) child.kill('SIGKILL');
    await Promise.all(exited);
    const first = startWorker('--enqueue-reconciliation', { HOLD_AFTER_EFFECT: '1' });
    await first.waitFor('effect-committed', 120_000).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; job: ${JSON.stringify(await run())}`);
    });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // The effect and the job's completion committed together; the queue was never told.
    expect(await run()).toMatchObject({ state: 'completed', attempts: 1 });
    const stored = await discrepancies();
    expect(stored.length).toBeGreaterThan(0);
    expect(await events()).toBe(1);
    const runAt = (await t.dataSource.query("SELECT run_at AS at FROM reconciliation_runs WHERE medicine = 'NULOJIX' AND period = '2023-04'"))[0].at;

    // Another worker gets the stalled job back from the queue, finds it completed and does nothing.
    startWorker(false);
    const queue = new Queue(queueNameOf('reconciliation.run'), { connection: { url: REDIS_URL }, prefix: queuePrefixOf(t.config) });
    const until = Date.now() + 60_000;
    while ((await (await queue.getJob(id))?.getState()) !== 'completed') {
      if (Date.now() > until) throw new Error(`the queue still has the job as ${await (await queue.getJob(id))?.getState()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await queue.close();
    expect(await events()).toBe(1);
    expect(await discrepancies()).toEqual(stored);
    expect(await run()).toMatchObject({ state: 'completed', attempts: 1 });
    expect((await t.dataSource.query("SELECT run_at AS at FROM reconciliation_runs WHERE medicine = 'NULOJIX' AND period = '2023-04'"))[0].at).toBe(runAt);
  }, 300_000);
});
