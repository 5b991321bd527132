import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');

describe(`core (${DB_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('login', () => {
    it('returns a token, the role and the establishment', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: `pui-${NECKER}`, password: 'contingent-demo' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), role: 'pharmacist', establishment: NECKER, email: `pui-${NECKER}@contingent.test` });
    });
    it('refuses a wrong password with a 401 problem', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'agency', password: 'nope' });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', title: 'Unauthorized' });
    });
    it('answers 401 without a token and with a forged one', async () => {
      expect((await t.http().get('/api/v1/establishments')).status).toBe(401);
      expect((await t.http().get('/api/v1/establishments').set('Authorization', 'Bearer abc.def.ghi')).status).toBe(401);
    });
  });

  describe('problem details', () => {
    it('refuses a malformed JSON body with a 400 problem, never a 500', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username": "agency",');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', errors: [{ field: 'body', reason: 'is not valid JSON' }] });
    });
    it('refuses unknown fields, naming them', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'agency', password: 'x', admin: true });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'admin', reason: 'is not a known field' }]);
      expect(res.body).toHaveProperty('instance', '/api/v1/auth/login');
      expect(res.body).toHaveProperty('type');
      expect(res.body).toHaveProperty('detail');
    });
  });

  describe('establishments', () => {
    it('lists the demo centres, paginated', async () => {
      const res = await t.http().get('/api/v1/establishments?limit=10').set(bearer(await t.token('agency')));
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(10);
      expect(typeof res.body.nextCursor).toBe('string');
      const next = await t.http().get(`/api/v1/establishments?limit=100&cursor=${res.body.nextCursor}`).set(bearer(await t.token('agency')));
      expect(next.body.items).toHaveLength(26);
      expect(next.body.nextCursor).toBeNull();
    });
    it('creates an establishment with a valid FINESS, audited', async () => {
      const finess = withFinessKey('33990077');
      const res = await t.http().post('/api/v1/establishments').set(bearer(await t.token('agency'))).send({ finess, name: 'Clinique test', region: 'Nouvelle-Aquitaine', category: 'clinic', transplantCentre: false });
      expect(res.status).toBe(201);
      const audit = await t.http().get(`/api/v1/audit?entityId=${finess}`).set(bearer(await t.token('agency')));
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('establishment.created');
    });
    it('refuses an invalid FINESS key, naming the field, writing nothing', async () => {
      const good = withFinessKey('33990078');
      const bad = good.slice(0, 8) + String((Number(good[8]) + 1) % 10);
      const res = await t.http().post('/api/v1/establishments').set(bearer(await t.token('agency'))).send({ finess: bad, name: 'X', region: 'Y', category: 'CHU', transplantCentre: true });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'FINESS_INVALID', errors: [{ field: 'finess' }] });
      const count = await t.dataSource.query('SELECT COUNT(*) AS n FROM establishments WHERE finess = $1'.replace('$1', DB_KIND === 'postgres' ? '$1' : '?'), [bad]);
      expect(Number(count[0].n)).toBe(0);
    });
    it('forbids a pharmacist from creating establishments (403)', async () => {
      const res = await t.http().post('/api/v1/establishments').set(bearer(await t.token(`pui-${NECKER}`))).send({ finess: withFinessKey('33990079'), name: 'X', region: 'Y', category: 'CHU', transplantCentre: true });
      expect(res.status).toBe(403);
    });
    it('lets a centre set its own followed patients, and hides another centre (404)', async () => {
      const own = await t.http().put(`/api/v1/establishments/${NECKER}/followed-patients/2023-06`).set(bearer(await t.token(`pui-${NECKER}`))).send({ count: 3450 });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ finess: NECKER, period: '2023-06', count: 3450 }); // status: approved within ±10 %, else proposed (test/e2e/followed-patients)
      const other = await t.http().put(`/api/v1/establishments/${LYON}/followed-patients/2023-06`).set(bearer(await t.token(`pui-${NECKER}`))).send({ count: 1 });
      expect(other.status).toBe(404);
      const read = await t.http().get(`/api/v1/establishments/${LYON}`).set(bearer(await t.token(`pui-${NECKER}`)));
      expect(read.status).toBe(404);
    });
    it('refuses a period like 2023-13', async () => {
      const res = await t.http().put(`/api/v1/establishments/${NECKER}/followed-patients/2023-13`).set(bearer(await t.token('agency'))).send({ count: 10 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'PERIOD_INVALID', errors: [{ field: 'period' }] });
    });
  });

  describe('medicines and policies', () => {
    it('shows the Nulojix timeline with its six versions', async () => {
      const res = await t.http().get('/api/v1/medicines/NULOJIX/policies').set(bearer(await t.token('lab')));
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: { effectiveFrom: string; mode: string }) => `${p.effectiveFrom} ${p.mode}`)).toEqual([
        '2017-01-01 unrestricted', '2022-08-01 freed-stock', '2023-02-14 freed-stock', '2023-05-09 capped', '2023-10-02 unrestricted', '2024-01-11 unrestricted',
      ]);
      expect(res.body.items[3]).toMatchObject({ monthlyCap: 50, quotaPool: 20, committee: { votesRequired: 1, deadlineHours: 48 } });
    });
    it('gives a medicine with its indications', async () => {
      const res = await t.http().get('/api/v1/medicines/NULOJIX').set(bearer(await t.token(`pui-${NECKER}`)));
      expect(res.body).toMatchObject({ code: 'NULOJIX', unit: 'vial', unitMg: 250 });
      expect(res.body.indications.length).toBeGreaterThanOrEqual(5);
    });
    it('answers an unknown medicine with a 404 problem', async () => {
      const res = await t.http().get('/api/v1/medicines/ASPIRIN').set(bearer(await t.token('agency')));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('MEDICINE_NOT_FOUND');
    });
    it('refuses a policy version that does not come after the latest one', async () => {
      const res = await t.http().post('/api/v1/medicines/NULOJIX/policies').set(bearer(await t.token('agency'))).send({ effectiveFrom: '2023-12-01', mode: 'unrestricted', indications: [] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'POLICY_EFFECTIVE_DATE_CONFLICT', errors: [{ field: 'effectiveFrom' }] });
      const count = await t.http().get('/api/v1/medicines/NULOJIX/policies').set(bearer(await t.token('agency')));
      expect(count.body.items).toHaveLength(6);
    });
    it('publishes a capped version with a dosing schedule as data, audited', async () => {
      const schedule = { administrations: [{ day: 1, doseMgPerKg: 10 }, { day: 5, doseMgPerKg: 10 }], maintenance: { fromDay: 28, everyDays: 28, doseMgPerKg: 6 }, unitMg: 250 };
      const res = await t.http().post('/api/v1/medicines/NULOJIX/policies').set(bearer(await t.token('agency')))
        .send({ effectiveFrom: '2024-06-01', mode: 'capped', monthlyCap: 40, quotaPool: 10, indications: [{ code: 'rescue', kind: 'urgent' }, { code: 'chronic-dysfunction-cni', kind: 'quota' }], schedule, committee: { votesRequired: 2 } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ version: 7, effectiveFrom: '2024-06-01', mode: 'capped', monthlyCap: 40, quotaPool: 10, committee: { votesRequired: 2, deadlineHours: 48 }, startWithinDays: 30, schedule });
      const audit = await t.http().get('/api/v1/audit?entityId=NULOJIX/v7').set(bearer(await t.token('agency')));
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({ action: 'policy.published', after: { version: 7 } });
    });
    it('refuses a dosing schedule that is not valid, naming the field', async () => {
      const res = await t.http().post('/api/v1/medicines/NULOJIX/policies').set(bearer(await t.token('agency')))
        .send({ effectiveFrom: '2024-07-01', mode: 'unrestricted', indications: [], schedule: { administrations: [{ day: 5, doseMgPerKg: 10 }, { day: 1, doseMgPerKg: 10 }], unitMg: 250 } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('POLICY_INVALID');
      expect(res.body.errors[0].field).toMatch(/^schedule/);
    });
    it('refuses a policy with a wrong mode, naming the field', async () => {
      const res = await t.http().post('/api/v1/medicines/NULOJIX/policies').set(bearer(await t.token('agency'))).send({ effectiveFrom: '2024-06-01', mode: 'sometimes', indications: [] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'mode', reason: 'must be unrestricted, freed-stock or capped' }]);
    });
  });

  describe('patients', () => {
    const nir = withNirKey('1850575123456');
    it('registers a patient with a pseudonym and never returns the NIR', async () => {
      const res = await t.http().post('/api/v1/patients').set(bearer(await t.token(`pui-${NECKER}`))).send({ nir, birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ pseudonym: expect.stringMatching(/^P-[A-Z2-9]{10}$/), birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
      const again = await t.http().post('/api/v1/patients').set(bearer(await t.token(`pui-${LYON}`))).send({ nir, birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
      expect(again.status).toBe(200);
      expect(again.body.pseudonym).toBe(res.body.pseudonym);
    });
    it('keeps no raw NIR anywhere in the database', async () => {
      const tables: { name: string }[] = DB_KIND === 'postgres'
        ? await t.dataSource.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")
        : await t.dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table'");
      expect(tables.length).toBeGreaterThan(5);
      for (const { name } of tables) {
        const rows: Record<string, unknown>[] = await t.dataSource.query(`SELECT * FROM "${name}"`);
        expect(JSON.stringify(rows)).not.toContain(nir);
        expect(JSON.stringify(rows)).not.toContain(nir.slice(0, 13));
      }
    });
    it('refuses a NIR with a wrong key, naming the field, writing nothing', async () => {
      const bad = nir.slice(0, 13) + String((Number(nir.slice(13)) % 96) + 1).padStart(2, '0');
      const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM patients');
      const res = await t.http().post('/api/v1/patients').set(bearer(await t.token(`pui-${NECKER}`))).send({ nir: bad, birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'NIR_INVALID', errors: [{ field: 'nir' }] });
      expect(JSON.stringify(res.body)).not.toContain(bad);
      const after = await t.dataSource.query('SELECT COUNT(*) AS n FROM patients');
      expect(Number(after[0].n)).toBe(Number(before[0].n));
    });
    it('refuses a negative weight with the field reason of SPEC §11', async () => {
      const res = await t.http().post('/api/v1/patients').set(bearer(await t.token(`pui-${NECKER}`))).send({ nir, birthDate: '1985-05-01', sex: 'M', weightKg: -3 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field: 'weightKg', reason: 'must be a positive number' });
    });
    it('scopes patients: another establishment gets a 404', async () => {
      const reg = await t.http().post('/api/v1/patients').set(bearer(await t.token(`pui-${NECKER}`))).send({ nir: withNirKey('2900175000111'), birthDate: '1990-01-01', sex: 'F', weightKg: 60 });
      const own = await t.http().get(`/api/v1/patients/${reg.body.pseudonym}`).set(bearer(await t.token(`prescriber-${NECKER}`)));
      expect(own.status).toBe(200);
      const other = await t.http().get(`/api/v1/patients/${reg.body.pseudonym}`).set(bearer(await t.token(`pui-${LYON}`)));
      expect(other.status).toBe(404);
      const list = await t.http().get('/api/v1/patients?limit=500').set(bearer(await t.token(`pui-${LYON}`)));
      expect(list.body.items.map((p: { pseudonym: string }) => p.pseudonym)).not.toContain(reg.body.pseudonym);
    });
    it('does not let the lab register patients (403)', async () => {
      const res = await t.http().post('/api/v1/patients').set(bearer(await t.token('lab'))).send({ nir, birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
      expect(res.status).toBe(403);
    });
  });

  describe('audit', () => {
    it('verifies an intact chain, then detects an edited event', async () => {
      const ok = await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('agency')));
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ ok: true, firstBrokenAt: null });
      expect(ok.body.events).toBeGreaterThan(3);
      await t.dataSource.query(`UPDATE audit_events SET after = '{"count":1}' WHERE seq = 2`);
      const broken = await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('agency')));
      expect(broken.body).toMatchObject({ ok: false, firstBrokenAt: 2 });
    });
    it('is closed to everyone but the agency', async () => {
      expect((await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('lab')))).status).toBe(403);
      expect((await t.http().get('/api/v1/audit').set(bearer(await t.token(`pui-${NECKER}`)))).status).toBe(403);
    });
  });

  describe('idempotency', () => {
    it('replays the first answer for a retry and refuses the key with another body', async () => {
      const token = await t.token(`pui-${NECKER}`);
      const body = { nir: withNirKey('1700675000222'), birthDate: '1970-06-01', sex: 'M', weightKg: 80 };
      const first = await t.http().post('/api/v1/patients').set(bearer(token)).set('Idempotency-Key', 'k-1').send(body);
      const retry = await t.http().post('/api/v1/patients').set(bearer(token)).set('Idempotency-Key', 'k-1').send(body);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const other = await t.http().post('/api/v1/patients').set(bearer(token)).set('Idempotency-Key', 'k-1').send({ ...body, weightKg: 81 });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('idempotency while the first request is still running', () => {
    it('answers 409 to a retry of a request still in progress, and nothing is done twice', async () => {
      const token = await t.token(`pui-${NECKER}`);
      const me = await t.http().post('/api/v1/auth/login').send({ username: `pui-${NECKER}`, password: 'contingent-demo' });
      const userId = JSON.parse(Buffer.from(me.body.accessToken.split('.')[1], 'base64url').toString()).sub as string;
      const body = { nir: withNirKey('1700675000333'), birthDate: '1970-06-01', sex: 'M', weightKg: 80 };
      // The first attempt claimed the key a moment ago and has not answered yet (its lease runs for a minute more).
      const { IdempotencyCrypto } = await import('../../src/common/idempotency/idempotency-crypto');
      const hash = new IdempotencyCrypto(t.config.patientIdSecret).fingerprint('POST /api/v1/patients', body);
      const p = DB_KIND === 'postgres' ? ['$1', '$2', '$3', '$4', '$5'] : ['?', '?', '?', '?', '?'];
      await t.dataSource.query(
        `INSERT INTO idempotency_keys (user_id, key, route, request_hash, state, created_at, lease_until) VALUES (${p[0]}, ${p[1]}, 'POST /api/v1/patients', ${p[2]}, 'in_progress', ${p[3]}, ${p[4]})`,
        [userId, 'k-running', hash, t.clock.now().toISOString(), new Date(Date.now() + 60_000).toISOString()],
      );
      const retry = await t.http().post('/api/v1/patients').set(bearer(token)).set('Idempotency-Key', 'k-running').send(body);
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      const rows = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events WHERE action = \'patient.registered\' AND actor_name = ' + p[0], [`pui-${NECKER}`]);
      const before = Number(rows[0].n);
      const again = await t.http().post('/api/v1/patients').set(bearer(token)).set('Idempotency-Key', 'k-running').send(body);
      expect(again.status).toBe(409);
      const after = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events WHERE action = \'patient.registered\' AND actor_name = ' + p[0], [`pui-${NECKER}`]);
      expect(Number(after[0].n)).toBe(before);
    });
  });

  describe('idempotency keys are kept 48 hours', () => {
    it('the daily purge forgets older keys and keeps recent ones', async () => {
      const { JobRegistry } = await import('../../src/common/contracts/job-registry');
      const p = DB_KIND === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      const old = new Date(t.clock.now().getTime() - 49 * 3600 * 1000).toISOString();
      await t.dataSource.query(`INSERT INTO idempotency_keys (user_id, key, route, request_hash, state, created_at) VALUES ('u-old', ${p[0]}, 'POST /x', 'h', 'done', ${p[1]})`, ['k-old', old]);
      const recent = await t.dataSource.query("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'k-1'");
      expect(Number(recent[0].n)).toBe(1);
      const result = await t.app.get(JobRegistry).get('idempotency-keys.purge')!({});
      expect(result).toEqual({ purged: 1 });
      expect(Number((await t.dataSource.query("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'k-old'"))[0].n)).toBe(0);
      expect(Number((await t.dataSource.query("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'k-1'"))[0].n)).toBe(1);
    });
  });

  describe('docs and health', () => {
    it('serves the OpenAPI document and the health check without a token', async () => {
      const docs = await t.http().get('/api/docs-json');
      expect(docs.status).toBe(200);
      expect(docs.body.paths).toHaveProperty('/api/v1/auth/login');
      const health = await t.http().get('/api/v1/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, queue: { status: 'up' } } });
    });
  });
});
