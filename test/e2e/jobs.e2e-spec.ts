import { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { withFinessKey } from '../../src/common/domain/finess';
import { JOB_BACKEND } from '../../src/jobs/backends/job-backend';
import { BullMqBackend } from '../../src/jobs/backends/bullmq.backend';
import { InProcessBackend } from '../../src/jobs/backends/in-process.backend';
import { JobHistory } from '../../src/jobs/job-history.service';
import { JobRunner } from '../../src/jobs/job-runner.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { JobOptions } from '../../src/jobs/job-options';
import { JobsScheduler } from '../../src/jobs/jobs.scheduler';
import { queuePrefixOf } from '../../src/jobs/jobs.module';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const NECKER = withFinessKey('75990001');

/** Records the calls of a job name, then does what the registered handler does (if any module registered one). */
function recordCalls(app: INestApplication, name: string): { payload: unknown }[] {
  const registry = app.get(JobRegistry);
  const real = registry.get(name);
  const calls: { payload: unknown }[] = [];
  registry.register(name, async (payload) => {
    calls.push({ payload });
    return real ? real(payload) : { recorded: true };
  });
  return calls;
}

async function waitForJob(t: TestApp, id: string, state: 'completed' | 'failed', timeoutMs = 20_000) {
  const history = t.app.get(JobHistory);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await history.find(id);
    if (run?.state === state) return run;
    if (Date.now() > until) throw new Error(`job ${id} is ${run?.state ?? 'absent'}, not ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(`jobs in-process, without Redis (${DB_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(JobOptions).backoffMs = 50;
  });
  afterAll(async () => {
    await t.close();
  });
  const idle = () => t.app.get<InProcessBackend>(JOB_BACKEND).idle();

  it('records a job\'s completion in the transaction of its effect: a re-run of the same id finds it done, an error after it keeps it done (issue 13)', async () => {
    await t.dataSource.query('CREATE TABLE effect_rows (job_id varchar(200) NOT NULL)');
    const p = DB_KIND === 'postgres' ? '$1' : '?';
    let throwAfter = false;
    t.app.get(JobRegistry).register('test.effect', async (_payload, job) => {
      if (!job) throw new Error('the runner hands every handler its job');
      const result = await job.effect(async (manager) => {
        await manager.query(`INSERT INTO effect_rows (job_id) VALUES (${p})`, [job.id]);
        return { wrote: 1 };
      });
      if (throwAfter) throw new Error('after the effect');
      return result;
    });
    const rows = async (): Promise<number> => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM effect_rows'))[0].n);
    const jobs = t.app.get(JobsService);
    const run = await jobs.enqueue('test.effect', { medicine: 'NULOJIX', period: '2023-04' }, 'manual');
    await idle();
    expect(await t.app.get(JobHistory).find(run.id)).toMatchObject({ state: 'completed', attempts: 1, result: { wrote: 1 } });
    // The queue hands the same id out again (a worker died before acknowledging it): nothing runs twice.
    expect(await t.app.get(JobRunner).attempt(run.id, 'test.effect', run.payload, { claim: false, final: true })).toEqual({ ran: false, result: { wrote: 1 } });
    expect(await rows()).toBe(1);
    expect(await t.app.get(JobHistory).find(run.id)).toMatchObject({ state: 'completed', attempts: 1 });
    // A failure after the committed effect is not retried into a second effect.
    throwAfter = true;
    const second = await jobs.enqueue('test.effect', { medicine: 'NULOJIX', period: '2023-03' }, 'manual');
    await idle();
    expect(await t.app.get(JobHistory).find(second.id)).toMatchObject({ state: 'completed', attempts: 1 });
    expect(await rows()).toBe(2);
  });

  it('runs the daily jobs once per date, however often the trigger fires, and keeps their history', async () => {
    t.clock.set(new Date('2023-05-15T08:00:00+02:00'));
    const calls = recordCalls(t.app, 'recaps.missing');
    const scheduler = t.app.get(JobsScheduler);
    const first = await scheduler.daily();
    const second = await scheduler.daily();
    expect(second).toEqual(first);
    expect(first).toContain('recaps.missing:daily:2023-05-15');
    await idle();
    expect(calls).toEqual([{ payload: { date: '2023-05-15' } }]);
    const res = await t.http().get('/api/v1/jobs?name=recaps.missing').set(bearer(await t.token('agency')));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const job = res.body.items[0];
    expect(job).toMatchObject({ id: 'recaps.missing:daily:2023-05-15', name: 'recaps.missing', key: 'daily:2023-05-15', state: 'completed', attempts: 1, error: null, mode: 'in-process', trigger: 'cron' });
    expect(job.startedAt).toEqual(expect.any(String));
    expect(job.finishedAt).toEqual(expect.any(String));
    // The demo leaves every seventh centre without its April recap: the report names them.
    expect(job.result).toMatchObject({ period: '2023-04', deadline: '2023-05-10', due: true });
    const nulojix = job.result.medicines.find((m: { medicine: string }) => m.medicine === 'NULOJIX');
    expect(nulojix.missing.length).toBeGreaterThan(2);
    expect(nulojix.expected - nulojix.received).toBe(nulojix.missing.length);
  });

  it('queues the period start allocation for a restricted medicine only, and the 11th\'s reconciliation for the previous period', async () => {
    const allocations = recordCalls(t.app, 'allocation.start-period');
    const scheduler = t.app.get(JobsScheduler);
    t.clock.set(new Date('2023-06-01T00:05:00+02:00'));
    expect(await scheduler.periodStart()).toEqual(['allocation.start-period:period:2023-06']);
    t.clock.set(new Date('2023-11-01T00:05:00+01:00')); // unrestricted since 2023-10-02
    expect(await scheduler.periodStart()).toEqual([]);
    await idle();
    expect(allocations).toEqual([{ payload: { period: '2023-06' } }]);
    t.clock.set(new Date('2023-06-11T02:00:00+02:00'));
    expect(await scheduler.monthlyReconciliation()).toEqual(['reconciliation.run:NULOJIX:2023-05']);
    await idle();
    t.clock.set(new Date('2023-05-15T10:00:00+02:00'));
  });

  it('retries a failing job with backoff, and the agency can run a job by hand', async () => {
    let calls = 0;
    t.app.get(JobRegistry).register('test.flaky', async () => {
      calls += 1;
      if (calls === 1) throw new Error('first attempt fails');
      return { calls };
    });
    const res = await t.http().post('/api/v1/jobs/test.flaky/run').set(bearer(await t.token('agency'))).send({ medicine: 'NULOJIX', period: '2023-04' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ name: 'test.flaky', key: 'NULOJIX:2023-04', trigger: 'manual', id: expect.stringMatching(/^test\.flaky:NULOJIX:2023-04\+manual-/) });
    await idle();
    const run = await t.app.get(JobHistory).find(res.body.id);
    expect(run).toMatchObject({ state: 'completed', attempts: 2, error: null, result: { calls: 2 } });
    const audit = await t.http().get(`/api/v1/audit?action=job.requested`).set(bearer(await t.token('agency')));
    expect(audit.body.items.map((e: { entityId: string }) => e.entityId)).toContain(res.body.id);
  });

  it('records a job that fails every attempt as failed, with the reason', async () => {
    t.app.get(JobRegistry).register('test.broken', async () => {
      throw new Error('always broken');
    });
    const res = await t.http().post('/api/v1/jobs/test.broken/run').set(bearer(await t.token('agency'))).send({ date: '2023-05-15' });
    await idle();
    expect(await t.app.get(JobHistory).find(res.body.id)).toMatchObject({ state: 'failed', attempts: 3, error: 'Error: always broken' });
  });

  it('refuses an unknown job, a job without its target, and any role but the agency', async () => {
    const agency = await t.token('agency');
    const unknown = await t.http().post('/api/v1/jobs/nothing.here/run').set(bearer(agency)).send({ medicine: 'NULOJIX', period: '2023-04' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('JOB_UNKNOWN');
    const target = await t.http().post('/api/v1/jobs/reconciliation.run/run').set(bearer(agency)).send({ medicine: 'NULOJIX' });
    expect(target.status).toBe(400);
    expect(target.body.code).toBe('JOB_TARGET_INVALID');
    const bad = await t.http().post('/api/v1/jobs/reconciliation.run/run').set(bearer(agency)).send({ medicine: 'NULOJIX', period: '2023-4' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'period', reason: 'must be a period YYYY-MM' }]);
    expect((await t.http().get('/api/v1/jobs').set(bearer(await t.token('lab')))).status).toBe(403);
    expect((await t.http().post('/api/v1/jobs/recaps.missing/run').set(bearer(await t.token(`pui-${NECKER}`))).send({ date: '2023-05-15' })).status).toBe(403);
  });

  it('answers the dashboard route with a page that points to the history, for the agency only', async () => {
    const page = await t.http().get('/admin/queues').set(bearer(await t.token('agency')));
    expect(page.status).toBe(200);
    expect(page.text).toContain('in-process');
    expect(page.text).toContain('href="/api/v1/jobs"');
    expect((await t.http().get('/admin/queues')).status).toBe(401);
    expect((await t.http().get('/admin/queues').set(bearer(await t.token('lab')))).status).toBe(403);
    const health = await t.http().get('/api/v1/health');
    expect(health.body.info.queue).toEqual({ status: 'up', mode: 'in-process' });
  });
});

describe(`jobs on BullMQ with Redis (${DB_KIND})`, () => {
  let t: TestApp;
  let second: INestApplication | null = null;
  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL });
    t.app.get(JobOptions).backoffMs = 50;
  });
  afterAll(async () => {
    if (second) await second.close();
    const prefix = queuePrefixOf(t.config);
    await t.close();
    for (const name of ['contingent-recaps', 'contingent-test', 'contingent-reconciliation']) {
      const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('runs a job through the queue, with the same history as in-process, and reports the queue in health', async () => {
    t.clock.set(new Date('2023-05-15T08:00:00+02:00'));
    const res = await t.http().post('/api/v1/jobs/recaps.missing/run').set(bearer(await t.token('agency'))).send({ date: '2023-05-15' });
    expect(res.status).toBe(202);
    const run = await waitForJob(t, res.body.id, 'completed');
    expect(run).toMatchObject({ mode: 'redis', attempts: 1, result: { period: '2023-04', due: true } });
    const health = await t.http().get('/api/v1/health');
    expect(health.body.info.queue).toEqual({ status: 'up', mode: 'redis' });
  });

  it('runs a job once when the same job id is put on the queue again (as a second instance or a repeated trigger would)', async () => {
    const calls = recordCalls(t.app, 'recaps.missing');
    t.clock.set(new Date('2023-05-17T08:00:00+02:00'));
    const [a, b] = await Promise.all([t.app.get(JobsScheduler).daily(), t.app.get(JobsScheduler).daily()]);
    expect(a).toEqual(b);
    const run = await waitForJob(t, 'recaps.missing:daily:2023-05-17', 'completed');
    const backend = t.app.get<BullMqBackend>(JOB_BACKEND);
    await backend.submit(run); // straight to BullMQ, past the job_runs check
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls).toEqual([{ payload: { date: '2023-05-17' } }]);
    expect(await (await backend.queueFor('recaps.missing').getJob('recaps.missing:daily:2023-05-17'))?.getState()).toBe('completed');
  }, 30_000);

  // SQLite serves one app instance (SPEC §13); several instances share a PostgreSQL database.
  if (DB_KIND === 'postgres') {
    it('runs each cron job once when two app instances on one database and one Redis fire the same trigger', async () => {
      second = await createApp(t.config, { logger: false });
      const calls = recordCalls(t.app, 'recaps.missing');
      const callsOnSecond = recordCalls(second, 'recaps.missing');
      for (const app of [t.app, second]) app.get(Clock).set(new Date('2023-05-16T08:00:00+02:00'));
      const [a, b] = await Promise.all([t.app.get(JobsScheduler).daily(), second.get(JobsScheduler).daily()]);
      expect(a).toEqual(b);
      expect(a).toContain('recaps.missing:daily:2023-05-16');
      await waitForJob(t, 'recaps.missing:daily:2023-05-16', 'completed');
      expect(await second.get(JobsScheduler).daily()).toEqual(a);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([...calls, ...callsOnSecond]).toEqual([{ payload: { date: '2023-05-16' } }]);
      const rows = await t.dataSource.query("SELECT id, attempts FROM job_runs WHERE id = 'recaps.missing:daily:2023-05-16'");
      expect(rows).toEqual([{ id: 'recaps.missing:daily:2023-05-16', attempts: 1 }]);
    }, 30_000);
  }

  it('retries with backoff on the queue', async () => {
    let calls = 0;
    t.app.get(JobRegistry).register('test.flaky', async () => {
      calls += 1;
      if (calls === 1) throw new Error('first attempt fails');
      return { calls };
    });
    const res = await t.http().post('/api/v1/jobs/test.flaky/run').set(bearer(await t.token('agency'))).send({ medicine: 'NULOJIX', period: '2023-04' });
    expect(res.status).toBe(202);
    expect(await waitForJob(t, res.body.id, 'completed')).toMatchObject({ attempts: 2, mode: 'redis', result: { calls: 2 } });
  }, 30_000);

  it('serves the bull-board dashboard to the agency only', async () => {
    const page = await t.http().get('/admin/queues').set(bearer(await t.token('agency')));
    expect(page.status).toBe(200);
    expect(page.text.toLowerCase()).toContain('<html');
    const api = await t.http().get('/admin/queues/api/queues').set(bearer(await t.token('agency')));
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['contingent-recaps', 'contingent-reconciliation']));
    expect((await t.http().get('/admin/queues/api/queues').set(bearer(await t.token('lab')))).status).toBe(403);
  });
});
