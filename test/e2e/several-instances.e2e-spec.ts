import { ChildProcess, spawn } from 'node:child_process';
import { withFinessKey } from '../../src/common/domain/finess';
import { JobsScheduler } from '../../src/jobs/jobs.scheduler';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(240_000);

/**
 * SPEC §13 across two app PROCESSES on one PostgreSQL database and one Redis (issues 4 and 7):
 * 200 concurrent requests for 20 slots, split between the two, grant exactly 20; the daily cron
 * firing in both instances runs each job once. Run with DB=postgres (scripts/test.sh does; SQLite
 * is the single-instance embedded mode and is left out of this file there).
 */
const NECKER = withFinessKey('75990001');
const PRESCRIBER = `prescriber-${NECKER}`;
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

interface Instance {
  child: ChildProcess;
  url: string;
  send: (line: string) => Promise<string>;
}

function startProcess(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', 'test/support/app-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`second instance did not start: ${stderr}`)), 90_000);
    child.on('exit', (code) => reject(new Error(`second instance exited ${code}: ${stderr}`)));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        const listening = /^listening (\d+)$/.exec(line);
        if (listening) {
          clearTimeout(timer);
          resolve({
            child,
            url: `http://127.0.0.1:${listening[1]}`,
            send: (command: string) =>
              new Promise((res) => {
                waiters.push(res);
                child.stdin.write(`${command}\n`);
              }),
          });
        } else if (line.startsWith('done ')) {
          waiters.shift()?.(line.slice(5));
        }
      }
    });
  });
}

describe(`several instances: two app processes on one PostgreSQL and one Redis (${DB_KIND})`, () => {
  let t: TestApp;
  let other: Instance;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL });
    const db = t.config.database;
    if (db.type !== 'postgres') throw new Error('this file runs with DB=postgres');
    other = await startProcess({
      DATABASE_URL: db.url,
      REDIS_URL,
      CONTINGENT_DEMO: 'true',
      CONTINGENT_NOW: '2023-05-15T10:00:00+02:00',
      LOG_LEVEL: 'silent',
      JOBS_CRON: 'false',
      LOGIN_RATE_LIMIT: '1000',
      PATIENT_ID_SECRET: 'test-patient-secret-0123456789',
      JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
    });
  });
  afterAll(async () => {
    other?.child.kill('SIGTERM');
    await t?.close();
  });

  it('grants exactly 20 of 200 concurrent requests split between the two processes', async () => {
    const today = '2024-03-04';
    t.clock.set(new Date(`${today}T09:00:00+01:00`));
    await other.send(`clock ${today}T09:00:00+01:00`);
    const agency = bearer(await t.token('agency'));
    expect((await t.http().post('/api/v1/medicines/NULOJIX/policies').set(agency).send({
      effectiveFrom: today, mode: 'capped', monthlyCap: 50, quotaPool: 20, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }, { code: 'tma-cni', kind: 'urgent' }],
    })).status).toBe(201);
    const prescriber = bearer(await t.token(PRESCRIBER));
    const waiting = await t.http().get('/api/v1/initiation-requests?status=waitlisted').set(prescriber);
    for (const r of waiting.body.items as { id: string }[]) await t.http().post(`/api/v1/initiation-requests/${r.id}/withdraw`).set(prescriber).send({});
    const centres = await t.http().get('/api/v1/establishments?limit=500').set(agency);
    for (const c of centres.body.items as { finess: string }[]) {
      await t.http().put(`/api/v1/establishments/${c.finess}/followed-patients/2024-03`).set(agency).send({ count: c.finess === NECKER ? 3000 : 0 });
    }
    const patients: string[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await t.http().post('/api/v1/patients').set(prescriber).send({ nir: withNirKey(`1850575${String(700000 + i)}`), birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
      patients.push(res.body.pseudonym);
    }
    const body = (patient: string) => ({ medicine: 'NULOJIX', indication: 'chronic-dysfunction-cni', patient, justification: 'Toxicité chronique des anticalcineurines.', weightKg: 70 });
    const answers = await Promise.all(
      patients.map(async (p, i) => {
        if (i % 2 === 0) {
          const res = await t.http().post('/api/v1/initiation-requests').set(prescriber).send(body(p));
          return { status: res.status, body: res.body as { status: string } };
        }
        const res = await fetch(`${other.url}/api/v1/initiation-requests`, { method: 'POST', headers: { ...prescriber, 'content-type': 'application/json' }, body: JSON.stringify(body(p)) });
        return { status: res.status, body: (await res.json()) as { status: string } };
      }),
    );
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(answers.filter((a) => a.body.status === 'granted')).toHaveLength(20);
    expect(answers.filter((a) => a.body.status === 'waitlisted')).toHaveLength(180);
    const [row] = await t.dataSource.query("SELECT quota_granted FROM period_allocations WHERE medicine = 'NULOJIX' AND period = '2024-03'");
    expect(Number(row.quota_granted)).toBe(20);
  });

  it('runs each daily job once when the cron fires in both processes', async () => {
    const at = '2024-03-05T08:00:00+01:00';
    t.clock.set(new Date(at));
    await other.send(`clock ${at}`);
    const [mine, theirs] = await Promise.all([t.app.get(JobsScheduler).daily(), other.send('daily').then((s) => JSON.parse(s) as string[])]);
    expect(mine.length).toBeGreaterThan(0);
    expect([...mine].sort()).toEqual([...theirs].sort());
    // Wait for the queued jobs to finish, whichever process's worker took them.
    const deadline = Date.now() + 60_000;
    let runs: { key: string; state: string; attempts: number }[] = [];
    while (Date.now() < deadline) {
      const res = await t.http().get('/api/v1/jobs?limit=200').set(bearer(await t.token('agency')));
      runs = (res.body.items as { id: string; key: string; state: string; attempts: number }[]).filter((r) => mine.includes(r.id));
      if (runs.length === mine.length && runs.every((r) => r.state === 'completed')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(runs).toHaveLength(mine.length);
    expect(runs.every((r) => r.state === 'completed' && r.attempts === 1)).toBe(true);
    const [overdue] = await t.dataSource.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'committee.overdue-reported' AND at >= '2024-03-05'");
    expect(Number(overdue.n)).toBe(1);
  });

  it('runs the period start once, for every restricted medicine, when the cron fires in both processes', async () => {
    const at = '2023-08-01T00:05:00+02:00';
    t.clock.set(new Date(at));
    await other.send(`clock ${at}`);
    const [mine, theirs] = await Promise.all([t.app.get(JobsScheduler).periodStart(), other.send('period-start').then((s) => JSON.parse(s) as string[])]);
    expect(mine).toEqual(['allocation.start-period:period:2023-08']);
    expect(theirs).toEqual(mine);
    const deadline = Date.now() + 60_000;
    let run: { state: string; attempts: number; result: { medicines: number } | null } | undefined;
    while (Date.now() < deadline) {
      const res = await t.http().get('/api/v1/jobs?name=allocation.start-period').set(bearer(await t.token('agency')));
      run = (res.body.items as { id: string; state: string; attempts: number; result: { medicines: number } | null }[]).find((r) => r.id === mine[0]);
      if (run?.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(run).toMatchObject({ state: 'completed', attempts: 1, result: { period: '2023-08', medicines: 1 } });
    const rows = await t.dataSource.query("SELECT medicine FROM period_allocations WHERE period = '2023-08'");
    expect(rows).toEqual([{ medicine: 'NULOJIX' }]);
    const [events] = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM (SELECT entity_id, action FROM audit_events UNION ALL SELECT entity_id, action FROM audit_pending) e WHERE action = 'allocation.computed' AND entity_id = 'NULOJIX/2023-08'",
    );
    expect(Number(events.n)).toBe(1);
  });
});
