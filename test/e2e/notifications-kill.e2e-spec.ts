import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { queuePrefixOf } from '../../src/jobs/jobs.module';
import { SmtpSink } from '../support/smtp-sink';
import { DB_KIND, TestApp, startTestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const ROOT = join(__dirname, '..', '..');
const EVENT_KEY = 'URGENT_REQUEST_SUBMITTED:kill-test-request:pending_review';

/**
 * Issue 19: a worker killed in the middle of sending a notification e-mail (BullMQ on Redis, a
 * real SMTP server that has the data but has not answered yet): another worker takes the job back
 * and every recipient gets exactly one mail.
 */
describe(`a notification worker killed mid-send (${DB_KIND})`, () => {
  let t: TestApp;
  let sink: SmtpSink;
  const children: ChildProcess[] = [];

  const startWorker = (emit: boolean): { child: ChildProcess; waitFor: (text: string) => Promise<void> } => {
    const url = t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url;
    const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', 'test/support/notify-worker.ts', ...(emit ? ['--emit'] : [])], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, DATABASE_URL: url, REDIS_URL, SMTP_URL: sink.url, MAIL_FROM: 'Contingent <notifications@contingent.test>', CONTINGENT_DEMO: 'true', JOBS_CRON: 'false', LOG_LEVEL: 'silent',
        PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef', CONTINGENT_NOW: '2023-05-15T10:00:00+02:00',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let errors = '';
    child.stdout?.setEncoding('utf8').on('data', (data: string) => (out += data));
    child.stderr?.setEncoding('utf8').on('data', (data: string) => (errors += data));
    const waitFor = async (text: string): Promise<void> => {
      const until = Date.now() + 60_000;
      while (!out.includes(text)) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`worker ${child.pid} never said "${text}" (exit ${child.exitCode}): ${errors.slice(0, 2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    return { child, waitFor };
  };
  const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const deliveries = async (): Promise<{ id: string; key: string; state: string; attempts: number; recipient: string }[]> =>
    t.dataSource.query(`SELECT id, key, state, attempts, recipient FROM notification_deliveries WHERE key LIKE ${DB_KIND === 'postgres' ? '$1' : '?'} ORDER BY key`, [`${EVENT_KEY}|%`]);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    const queue = new Queue('contingent-notifications', { connection: { url: REDIS_URL }, prefix: queuePrefixOf(t.config) });
    await queue.obliterate({ force: true });
    await queue.close();
    await t.close();
    await sink.stop();
  });

  it('sends one mail per recipient: the interrupted one again once, the others once', async () => {
    sink.holdNext();
    const first = startWorker(true);
    await first.waitFor('ready');
    await until('the server to hold the first mail', () => sink.heldCount === 1);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await until('the server to see the sender gone', () => sink.dropped.length === 1);
    expect(sink.mails).toHaveLength(0);
    const killed = await deliveries();
    expect(killed.length).toBeGreaterThanOrEqual(2);
    expect(killed.filter((d) => d.state === 'sending')).toHaveLength(1);
    expect(killed.filter((d) => d.state === 'pending')).toHaveLength(killed.length - 1);

    const second = startWorker(false);
    await second.waitFor('ready');
    await until('every delivery to be sent', async () => (await deliveries()).every((d) => d.state === 'sent'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const sent = await deliveries();
    expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(sent.map((d) => d.recipient).sort());
    expect(new Set(sink.mails.map((m) => m.deliveryKey)).size).toBe(sent.length);
    expect(sink.mails.map((m) => m.to[0])).toContain('committee-1@contingent.test');
    expect(sink.mails.map((m) => m.to[0])).not.toContain('committee-2@contingent.test');
    // The interrupted one went out again with the same Message-ID, and only once.
    const interrupted = sink.dropped[0];
    const again = sink.mails.filter((m) => m.deliveryKey === interrupted?.deliveryKey);
    expect(again).toHaveLength(1);
    expect(again[0]?.messageId).toBe(interrupted?.messageId);
    expect(again[0]?.subject).toBe('[Contingent] Nouvelle demande urgente de NULOJIX à examiner');
    expect(again[0]?.text).toContain('pour le patient P-KILLTEST01');
    // Its history: the attempt of the killed worker never finished, the second one sent it.
    const row = sent.find((d) => d.key === interrupted?.deliveryKey);
    expect(row).toMatchObject({ state: 'sent' });
    expect(Number(row?.attempts)).toBe(2);
    const attempts: { attempt: number; worker: string; finished_at: string | null; outcome: string | null }[] = await t.dataSource.query(
      `SELECT attempt, worker, finished_at, outcome FROM notification_delivery_attempts WHERE delivery_id = ${DB_KIND === 'postgres' ? '$1' : '?'} ORDER BY attempt`, [row?.id],
    );
    expect(attempts.map((a) => ({ attempt: Number(a.attempt), outcome: a.outcome, finished: a.finished_at !== null }))).toEqual([
      { attempt: 1, outcome: null, finished: false },
      { attempt: 2, outcome: 'sent', finished: true },
    ]);
    expect(attempts[0]?.worker).toContain(`:${first.child.pid}`);
    expect(attempts[1]?.worker).toContain(`:${second.child.pid}`);
  }, 150_000);
});
