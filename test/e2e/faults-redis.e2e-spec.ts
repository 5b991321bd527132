import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { JobHistory } from '../../src/jobs/job-history.service';
import { JobOptions } from '../../src/jobs/job-options';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

/** A private redis-server without persistence (never the shared one at 6379): the test kills it and starts it again empty. */
class PrivateRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'contingent-redis-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    for (let i = 0; ; i++) {
      try {
        await client.connect();
        await client.ping();
        break;
      } catch {
        if (i > 100) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    client.disconnect();
  }
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const PERIODS = ['2023-01', '2023-02', '2023-03', '2023-04', '2023-05'];

describe(`the job queue's Redis stopped and restarted empty (${DB_KIND})`, () => {
  const redis = new PrivateRedis(6390 + (process.pid % 50) + (DB_KIND === 'postgres' ? 50 : 0));
  let t: TestApp;
  let second: TestApp | null = null;
  beforeAll(async () => {
    await redis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await second?.close().catch(() => undefined);
    await t.close().catch(() => undefined); // the app may be closed already: the database is dropped all the same
    await redis.dispose();
  });

  it('fails a job request fast with 503 JOB_QUEUE_UNAVAILABLE while down, then queues again every recorded job Redis lost, each run once', async () => {
    t.app.get(JobOptions).concurrency = 2;
    const calls = new Map<string, number>();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    t.app.get(JobRegistry).register('test.gate', async (payload) => {
      calls.set(payload.period!, (calls.get(payload.period!) ?? 0) + 1);
      await gate;
      return { period: payload.period };
    });
    const agency = await t.token('agency');
    const ids: string[] = [];
    for (const period of PERIODS) {
      const res = await t.http().post('/api/v1/jobs/test.gate/run').set(bearer(agency)).send({ medicine: 'NULOJIX', period });
      expect(res.status).toBe(202);
      ids.push(res.body.id as string);
    }
    // A client's retry of a manual run still waiting is the same job, not a second one.
    const retry = await t.http().post('/api/v1/jobs/test.gate/run').set(bearer(agency)).send({ medicine: 'NULOJIX', period: PERIODS[4] });
    expect(retry.body.id).toBe(ids[4]);
    const keyed = await t.http().post('/api/v1/jobs/test.gate/run').set(bearer(agency)).set('Idempotency-Key', 'run-june').send({ medicine: 'NULOJIX', period: '2023-06' });
    expect(keyed.body.id).toMatch(/^test\.gate:NULOJIX:2023-06\+manual-k[0-9a-f]{16}$/);
    ids.push(keyed.body.id as string);
    await waitUntil('two jobs running', async () => calls.size === 2);

    await redis.kill();
    const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM job_runs');
    const startedAt = Date.now();
    const down = await t.http().post('/api/v1/jobs/test.gate/run').set(bearer(agency)).send({ medicine: 'NULOJIX', period: '2022-12' });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toMatch(/^\d+$/);
    expect(down.body).toMatchObject({ status: 503, code: 'JOB_QUEUE_UNAVAILABLE' });
    expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM job_runs')).toEqual(before);
    const health = await t.http().get('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.info.queue).toMatchObject({ status: 'down', mode: 'redis', code: 'JOB_QUEUE_UNAVAILABLE' });
    expect(health.body.info.database.status).toBe('up');

    await redis.start(); // empty: no persistence
    open();
    const history = t.app.get(JobHistory);
    const states = async () => (await Promise.all(ids.map((id) => history.find(id)))).map((run) => `${run?.id} ${run?.state}`);
    await waitUntil('every recorded job completed', async () => (await states()).every((s) => s.endsWith(' completed')), 30_000).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${(await states()).join(', ')}`);
    });
    expect([...calls.entries()].sort()).toEqual([...PERIODS, '2023-06'].map((p) => [p, 1]));
    expect((await t.http().get('/api/v1/health')).body.info.queue).toEqual({ status: 'up', mode: 'redis' });
  }, 60_000);

  it('queues at start the recorded jobs Redis no longer holds', async () => {
    // Recorded as waiting while this app was stopped and Redis restarted empty (t's database is kept until afterAll).
    await t.app.close();
    await redis.kill();
    await redis.start();
    const url = t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url;
    const id = 'recaps.missing:daily:2023-05-20';
    const ph = DB_KIND === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
    second = await startTestApp({ REDIS_URL: redis.url, DATABASE_URL: url });
    await second.dataSource.query(
      `INSERT INTO job_runs (id, name, key, payload, trigger, mode, state, attempts, max_attempts, queued_at) VALUES (${ph[0]}, 'recaps.missing', 'daily:2023-05-20', ${ph[1]}, 'cron', 'redis', 'waiting', 0, 3, ${ph[2]})`,
      [id, JSON.stringify({ date: '2023-05-20' }), '2023-05-20T06:00:00.000Z'],
    );
    await second.close();
    second = await startTestApp({ REDIS_URL: redis.url, DATABASE_URL: url });
    const history = second.app.get(JobHistory);
    await waitUntil('the lost job completed', async () => (await history.find(id))?.state === 'completed');
    expect(await history.find(id)).toMatchObject({ attempts: 1, error: null });
  }, 60_000);
});
