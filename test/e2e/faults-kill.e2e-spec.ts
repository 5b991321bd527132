import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { canonicalJson } from '../../src/common/domain/canonical-json';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const LYON = withFinessKey('69990001');
const ph = (i: number): string => (DB_KIND === 'postgres' ? `$${i}` : '?');

describe(`kill -9 between the effect and the answer, and Idempotency-Key storage (${DB_KIND})`, () => {
  let t: TestApp;
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t.close();
  });

  const registerAt = async (nir: string, key?: string) => {
    const req = t.http().post('/api/v1/patients').set(bearer(await t.token(`prescriber-${LYON}`)));
    if (key) req.set('Idempotency-Key', key);
    return req.send({ nir, birthDate: '1979-06-01', sex: 'F', weightKg: 64 });
  };

  it('replays the committed answer after the process died before answering, and runs the request once', async () => {
    const patient = (await registerAt(withNirKey('2790633900001'))).body.pseudonym as string;
    const token = await t.token(`prescriber-${LYON}`);
    const body = { medicine: 'NULOJIX', indication: 'tma-cni', patient, justification: 'Toxicité des anticalcineurines documentée.', weightKg: 64 };
    const url = t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url;
    child = spawn(process.execPath, ['-r', './test/support/ts-register.js', 'test/support/hold-after-commit.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, DATABASE_URL: url, CONTINGENT_DEMO: 'true', JOBS_CRON: 'false', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000',
        PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef', CONTINGENT_NOW: '2023-05-15T10:00:00+02:00',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errors = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (errors += d));
    const waitFor = async (text: string) => {
      const until = Date.now() + 90_000;
      while (!out.includes(text)) {
        if (child!.exitCode !== null || Date.now() > until) throw new Error(`the instance never said ${text}: ${errors.slice(0, 1000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitFor('listening');
    const port = Number(/listening (\d+)/.exec(out)![1]);
    const first = request(`http://127.0.0.1:${port}`).post('/api/v1/initiation-requests').set(bearer(token)).set('Idempotency-Key', 'kill-1').send(body).then(
      (res) => res.status,
      () => 'no answer',
    );
    await waitFor('effect-committed');
    child.kill('SIGKILL');
    expect(await first).toBe('no answer');

    const retry = await t.http().post('/api/v1/initiation-requests').set(bearer(token)).set('Idempotency-Key', 'kill-1').send(body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toMatchObject({ id: expect.any(String), status: expect.any(String), period: '2023-05' });
    const rows: { id: string }[] = await t.dataSource.query(`SELECT id FROM initiation_requests WHERE patient = ${ph(1)}`, [patient]);
    expect(rows.map((r) => r.id)).toEqual([retry.body.id]);
    const events: { n: number | string }[] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE entity_id = ${ph(1)}`, [retry.body.id]);
    expect(Number(events[0]!.n)).toBeGreaterThan(0);
    const again = await t.http().post('/api/v1/initiation-requests').set(bearer(token)).set('Idempotency-Key', 'kill-1').send(body);
    expect(again.body).toEqual(retry.body);
    expect((await t.dataSource.query(`SELECT id FROM initiation_requests WHERE patient = ${ph(1)}`, [patient])).length).toBe(1);
  }, 120_000);

  it('keeps no raw NIR and no unkeyed fingerprint in the idempotency rows', async () => {
    const nir = withNirKey('2790675900002');
    const res = await registerAt(nir, 'nir-1');
    expect(res.status).toBe(201);
    const badNir = withNirKey('2790675900003').slice(0, 14) + '0';
    expect((await registerAt(badNir, 'nir-2')).status).toBe(400);
    const rows: Record<string, unknown>[] = await t.dataSource.query(`SELECT * FROM idempotency_keys WHERE key IN (${ph(1)}, ${ph(2)})`, ['nir-1', 'nir-2']);
    expect(rows).toHaveLength(2);
    const text = JSON.stringify(rows);
    for (const raw of [nir, badNir, nir.slice(0, 13), badNir.slice(0, 13)]) expect(text).not.toContain(raw);
    const route = 'POST /api/v1/patients';
    const unkeyed = createHash('sha256').update(route).update(canonicalJson({ nir, birthDate: '1979-06-01', sex: 'F', weightKg: 64 })).digest('hex');
    expect(rows.map((r) => r.request_hash)).not.toContain(unkeyed);
    // The sealed answers still replay exactly.
    const replay = await registerAt(nir, 'nir-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(res.body);
    const replayBad = await registerAt(badNir, 'nir-2');
    expect(replayBad.status).toBe(400);
    expect(replayBad.headers['idempotent-replayed']).toBe('true');
  });

  it('takes over a claim whose lease passed in real time while CONTINGENT_NOW fixes the business clock, and not before', async () => {
    const userId: string = (await t.dataSource.query(`SELECT id FROM users WHERE username = ${ph(1)}`, [`prescriber-${LYON}`]))[0].id;
    const nir = withNirKey('2790675900004');
    // Claims left by a process that died, with the fingerprint the retry will have (same body, same route).
    const fresh = await registerAt(nir, 'lease-1');
    const hash: string = (await t.dataSource.query(`SELECT request_hash FROM idempotency_keys WHERE key = ${ph(1)}`, ['lease-1']))[0].request_hash;
    expect(fresh.status).toBe(201);
    const createdAt = t.clock.now().toISOString();
    const insert = `INSERT INTO idempotency_keys (user_id, key, route, request_hash, state, created_at, lease_until) VALUES (${ph(1)}, ${ph(2)}, 'POST /api/v1/patients', ${ph(3)}, 'in_progress', ${ph(4)}, ${ph(5)})`;
    await t.dataSource.query(insert, [userId, 'lease-live', hash, createdAt, new Date(Date.now() + 60_000).toISOString()]);
    await t.dataSource.query(insert, [userId, 'lease-dead', hash, createdAt, new Date(Date.now() - 1_000).toISOString()]);
    const live = await registerAt(nir, 'lease-live');
    expect(live.status).toBe(409);
    expect(live.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    const dead = await registerAt(nir, 'lease-dead');
    expect(dead.status).toBe(200); // taken over and run: the patient exists already
    expect(dead.body.pseudonym).toBe(fresh.body.pseudonym);
  });
});
