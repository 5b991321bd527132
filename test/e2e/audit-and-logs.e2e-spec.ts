import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditVerifyCommand } from '../../src/cli/audit-verify.command';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');

async function runCliVerify(databaseUrl: string): Promise<{ ok: boolean; firstBrokenAt: number | null; exitCode: number }> {
  const previous = { url: process.env.DATABASE_URL, exit: process.exitCode };
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.env.DATABASE_URL = databaseUrl;
  process.exitCode = 0;
  (process.stdout as { write: unknown }).write = (chunk: string) => chunks.push(String(chunk));
  try {
    await new AuditVerifyCommand().run();
  } finally {
    (process.stdout as { write: unknown }).write = write;
    process.env.DATABASE_URL = previous.url;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = previous.exit;
  return { ...JSON.parse(chunks.join('')), exitCode };
}

describe(`audit chain and logs (${DB_KIND})`, () => {
  let t: TestApp;
  const logFile = join(mkdtempSync(join(tmpdir(), 'contingent-log-')), 'app.log');
  const nir = withNirKey('1790213055123');

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug', LOG_FILE: logFile, LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes one audit event per state change, in the same transaction', async () => {
    const token = await t.token(`pui-${NECKER}`);
    const res = await t.http().post('/api/v1/patients').set(bearer(token)).send({ nir, birthDate: '1979-02-13', sex: 'M', weightKg: 72 });
    expect(res.status).toBe(201);
    const events = await t.http().get(`/api/v1/audit?entityId=${res.body.pseudonym}`).set(bearer(await t.token('agency')));
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['patient.registered', 'patient.linked']);
    expect(events.body.items[0]).toMatchObject({ actorName: `pui-${NECKER}`, role: 'pharmacist', establishment: NECKER });
  });

  it('never writes a raw NIR, a password or a token to the logs', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ username: 'agency', password: 'contingent-demo' });
    await t.http().post('/api/v1/patients').set(bearer(login.body.accessToken)).send({ nir, birthDate: '1979-02-13', sex: 'M', weightKg: 72 });
    await t.http().post('/api/v1/patients').set(bearer(await t.token(`pui-${NECKER}`))).send({ nir: nir.slice(0, 13) + '00', birthDate: '1979-02-13', sex: 'M', weightKg: 72 });
    const log = readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(100);
    expect(log).toContain('/api/v1/patients');
    expect(log).not.toContain(nir);
    expect(log).not.toContain(nir.slice(0, 13));
    expect(log).not.toContain('contingent-demo');
    expect(log).not.toContain(login.body.accessToken);
    expect(log).not.toContain(login.body.accessToken.split('.')[2]);
  });

  it('rate-limits login attempts per user', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await t.http().post('/api/v1/auth/login').send({ username: 'lab', password: 'wrong' })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
    const other = await t.http().post('/api/v1/auth/login').send({ username: `prescriber-${NECKER}`, password: 'contingent-demo' });
    expect(other.status).toBe(200);
  });

  describe('verification after tampering', () => {
    const url = () => (t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url);
    beforeAll(async () => {
      for (const count of [3401, 3402, 3403, 3404]) {
        const res = await t.http().put(`/api/v1/establishments/${NECKER}/followed-patients/2023-0${count - 3398}`).set(bearer(await t.token('agency'))).send({ count });
        expect(res.status).toBe(200);
      }
    });

    it('is intact before anyone tampers, through the API and the command line', async () => {
      const api = await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('agency')));
      expect(api.body).toMatchObject({ ok: true, firstBrokenAt: null });
      expect(await runCliVerify(url())).toMatchObject({ ok: true, exitCode: 0 });
    });

    it('detects two events swapped (reordered)', async () => {
      const rows: { seq: number; hash: string }[] = await t.dataSource.query('SELECT seq, hash FROM audit_events WHERE seq IN (3, 4) ORDER BY seq');
      expect(rows).toHaveLength(2);
      // Swap the contents of events 3 and 4 by moving their sequence numbers.
      await t.dataSource.query('UPDATE audit_events SET seq = 1000003 WHERE seq = 3');
      await t.dataSource.query('UPDATE audit_events SET seq = 3 WHERE seq = 4');
      await t.dataSource.query('UPDATE audit_events SET seq = 4 WHERE seq = 1000003');
      const api = await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('agency')));
      expect(api.body).toMatchObject({ ok: false, firstBrokenAt: 3 });
      expect(await runCliVerify(url())).toMatchObject({ ok: false, firstBrokenAt: 3, exitCode: 1 });
      await t.dataSource.query('UPDATE audit_events SET seq = 1000003 WHERE seq = 3');
      await t.dataSource.query('UPDATE audit_events SET seq = 3 WHERE seq = 4');
      await t.dataSource.query('UPDATE audit_events SET seq = 4 WHERE seq = 1000003');
      expect(await runCliVerify(url())).toMatchObject({ ok: true });
    });

    it('detects a removed event in the middle and at the end', async () => {
      const last: { seq: number }[] = await t.dataSource.query('SELECT MAX(seq) AS seq FROM audit_events');
      const lastSeq = Number(last[0]!.seq);
      await t.dataSource.query(`DELETE FROM audit_events WHERE seq = ${lastSeq}`);
      expect(await runCliVerify(url())).toMatchObject({ ok: false, firstBrokenAt: lastSeq, exitCode: 1 });
      await t.dataSource.query('DELETE FROM audit_events WHERE seq = 2');
      const api = await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('agency')));
      expect(api.body).toMatchObject({ ok: false, firstBrokenAt: 3 });
    });
  });
});
