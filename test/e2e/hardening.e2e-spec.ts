import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { SESSION_COOKIE } from '../../src/auth/auth.guard';
import jsonwebtoken from 'jsonwebtoken';
import { Authenticator } from '../../src/auth/authenticator';
import { DB_KIND, DEMO_PASSWORD, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const HEADER = 'medicine,period,patient,administrations,vials';

/** A multipart body whose file part never reaches its closing boundary. */
function truncatedMultipart(boundary: string): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="period"\r\n\r\n2023-04\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="recap.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\nNULOJIX,2023-04,`);
}

describe(`hardening (${DB_KIND})`, () => {
  let t: TestApp;
  let pui: string;

  let patientsBefore: number;
  const host = (): string => {
    const address = t.app.getHttpServer().address() as { address: string; port: number };
    return `${address.address}:${address.port}`;
  };
  const origin = (): string => `http://${host()}`;
  const count = async (table: string): Promise<number> => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    pui = await t.token(`pui-${NECKER}`);
    patientsBefore = await count('patients');
  });
  afterAll(async () => t.close());

  const healthy = async (): Promise<void> => {
    const res = await t.http().get('/api/v1/health');
    expect(res.status).toBe(200);
  };

  describe('#12.1 a malformed upload is a 400, the process lives on', () => {
    it('answers a multipart recap without its closing boundary with a 400 problem (API)', async () => {
      const res = await t.http().post('/api/v1/recaps').set(bearer(pui)).set('Content-Type', 'multipart/form-data; boundary=XyZ').send(truncatedMultipart('XyZ'));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('MALFORMED_UPLOAD');
      await healthy();
    });

    it('answers a multipart body cut inside its part headers with a 400 problem', async () => {
      const body = Buffer.from('--B\r\nContent-Disposition: form-data; name="fi');
      const res = await t.http().post('/api/v1/recaps').set(bearer(pui)).set('Content-Type', 'multipart/form-data; boundary=B').send(body);
      expect(res.status).toBe(400);
      await healthy();
    });

    it('answers the same truncated upload on the recap page with a 400, not a crash', async () => {
      const res = await t
        .http()
        .post('/etablissement/recapitulatifs')
        .set('Cookie', `${SESSION_COOKIE}=${pui}`)
        .set('Origin', origin())
        .set('Host', host())
        .set('Content-Type', 'multipart/form-data; boundary=XyZ')
        .send(truncatedMultipart('XyZ'));
      expect(res.status).toBe(400);
      await healthy();
    });
  });

  describe('#12.2 bodies are bounded in size and depth before any work', () => {
    it('refuses a login body of a million [ with a 413 and keeps /health answering meanwhile', async () => {
      const deep = '['.repeat(4_000_000);
      const started = Date.now();
      const [login, health] = await Promise.all([
        t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(deep),
        (async () => {
          await new Promise((r) => setTimeout(r, 5));
          const res = await t.http().get('/api/v1/health');
          return { status: res.status, ms: Date.now() - started };
        })(),
      ]);
      expect(login.status).toBe(413);
      expect(login.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(login.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(health.status).toBe(200);
      expect(health.ms).toBeLessThan(2000);
    });

    it('refuses a small but deeply nested login body with a 400 naming the depth limit', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(`{"username":${'['.repeat(33)}${']'.repeat(33)},"password":"x"}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BODY_TOO_DEEP');
      expect(res.body.errors).toEqual([{ field: 'body', reason: 'must not nest deeper than 32 levels' }]);
    });

    it('scans a nested body at the largest route limit without holding /health', async () => {
      const deep = '{"patients":' + '['.repeat(2_000_000) + ']'.repeat(2_000_000) + '}';
      const started = Date.now();
      const [recap, health] = await Promise.all([
        t.http().post('/api/v1/recaps').set(bearer(pui)).set('Content-Type', 'application/json').send(deep),
        (async () => {
          await new Promise((r) => setTimeout(r, 5));
          const res = await t.http().get('/api/v1/health');
          return { status: res.status, ms: Date.now() - started };
        })(),
      ]);
      expect(recap.status).toBe(400);
      expect(recap.body.code).toBe('BODY_TOO_DEEP');
      expect(health.status).toBe(200);
      expect(health.ms).toBeLessThan(2000);
    });

    it('refuses a JSON body larger than the route needs with a 413', async () => {
      const res = await t.http().post('/api/v1/patients').set(bearer(pui)).set('Content-Type', 'application/json').send(JSON.stringify({ nir: 'x'.repeat(2 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body.errors[0].field).toBe('body');
    });
  });

  describe('#12.10 junk encodings are 4xx', () => {
    it('refuses a body that claims Content-Encoding: gzip but is not gzip', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"username":"agency","password":"contingent-demo"}');
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_CONTENT_ENCODING');
    });

    it('refuses a charset it does not read with a 415', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json; charset=x-junk').send('{}');
      expect(res.status).toBe(415);
    });
  });

  describe('#12.5 the API reads JSON (and multipart where it takes a file) only', () => {
    it('refuses a form-encoded body to the API with a 415', async () => {
      const res = await t.http().post('/api/v1/auth/login').type('form').send('username=agency&password=contingent-demo');
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses multipart on an API route that takes no file', async () => {
      const res = await t.http().post('/api/v1/patients').set(bearer(pui)).field('nir', '1');
      expect(res.status).toBe(415);
    });
  });

  describe('#12.6 tokens are revocable and must expire', () => {
    const login = async (username: string): Promise<string> => {
      const res = await t.http().post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
      expect(res.status).toBe(200);
      return res.body.accessToken as string;
    };
    const status = async (token: string): Promise<number> => (await t.http().get('/api/v1/medicines').set(bearer(token))).status;

    it('signing out through the API revokes the token, a new sign-in works', async () => {
      const token = await login(`prescriber-${NECKER}`);
      expect(await status(token)).toBe(200);
      expect((await t.http().post('/api/v1/auth/logout').set(bearer(token))).status).toBe(204);
      expect(await status(token)).toBe(401);
      expect(await status(await login(`prescriber-${NECKER}`))).toBe(200);
      // the sign-out is a state change: audited, by whom
      const events = await t.http().get('/api/v1/audit?action=user.signed-out').set(bearer(await login('agency')));
      expect(events.status).toBe(200);
      expect(events.body.items.some((e: { actorName: string; entity: string }) => e.actorName === `prescriber-${NECKER}` && e.entity === 'user')).toBe(true);
    });

    it('signing out on the pages revokes the token too', async () => {
      const token = await login(`prescriber-${NECKER}`);
      const res = await t.http().post('/deconnexion').set('Cookie', `${SESSION_COOKIE}=${token}`).set('Origin', origin()).set('Host', host());
      expect(res.status).toBe(303);
      expect(await status(token)).toBe(401);
    });

    it('a user whose role changed, or who was deleted, loses the old token at once after the cache', async () => {
      const authenticator = t.app.get(Authenticator);
      const moved = await login(`neurologist-${NECKER}`);
      const gone = await login(`haematologist-${NECKER}`);
      expect(await status(moved)).toBe(200);
      expect(await status(gone)).toBe(200);
      const q = (sql: string): string => (DB_KIND === 'postgres' ? sql.replace('?', '$1') : sql);
      await t.dataSource.query(q(`UPDATE users SET role = 'lab' WHERE username = ?`), [`neurologist-${NECKER}`]);
      await t.dataSource.query(q(`DELETE FROM users WHERE username = ?`), [`haematologist-${NECKER}`]);
      const before = authenticator.cacheMs;
      authenticator.cacheMs = 0;
      try {
        expect(await status(moved)).toBe(401);
        expect(await status(gone)).toBe(401);
      } finally {
        authenticator.cacheMs = before;
      }
    });

    it('refuses a correctly signed token without exp, and one whose version is not the user\'s', async () => {
      const user = (await t.http().get('/api/v1/medicines').set(bearer(pui))).status;
      expect(user).toBe(200);
      const claims = { sub: 'x', username: `pui-${NECKER}`, role: 'pharmacist', establishment: NECKER, specialty: null, ver: 0 };
      const rows: { id: string }[] = await t.dataSource.query(DB_KIND === 'postgres' ? 'SELECT id FROM users WHERE username = $1' : 'SELECT id FROM users WHERE username = ?', [`pui-${NECKER}`]);
      const sub = rows[0]!.id;
      const noExp = jsonwebtoken.sign({ ...claims, sub }, t.config.jwtSecret, { algorithm: 'HS256' });
      expect(await status(noExp)).toBe(401);
      const withExp = jsonwebtoken.sign({ ...claims, sub }, t.config.jwtSecret, { algorithm: 'HS256', expiresIn: 600 });
      expect(await status(withExp)).toBe(200); // the same claims with an expiry are accepted: only exp made the difference
      const oldVersion = jsonwebtoken.sign({ ...claims, sub, ver: 7 }, t.config.jwtSecret, { algorithm: 'HS256', expiresIn: 600 });
      expect(await status(oldVersion)).toBe(401);
    });
  });

  describe('#12.5 no state change through the session cookie on the API or the queue dashboard', () => {
    it('refuses a cookie-authenticated state change on the API, even same-origin', async () => {
      const res = await t.http().post('/api/v1/patients').set('Cookie', `${SESSION_COOKIE}=${pui}`).set('Origin', origin()).set('Host', host()).send({ nir: '1', birthDate: '1970-01-01', sex: 'F', weightKg: 70 });
      expect(res.status).toBe(401);
      expect(await count('patients')).toBe(patientsBefore);
    });

    it('still lets a page link read the API with the cookie (printable report)', async () => {
      expect((await t.http().get('/api/v1/medicines').set('Cookie', `${SESSION_COOKIE}=${pui}`)).status).toBe(200);
    });

    it('applies the same-origin guard to /admin/queues', async () => {
      const agency = await t.token('agency');
      const cross = await t.http().post('/admin/queues/api/queues/jobs/clean').set('Cookie', `${SESSION_COOKIE}=${agency}`).set('Origin', 'https://evil.example').set('Host', host());
      expect(cross.status).toBe(403);
      expect(cross.body.code).toBe('CROSS_SITE_REQUEST');
      expect((await t.http().get('/admin/queues').set('Cookie', `${SESSION_COOKIE}=${agency}`)).status).toBe(200);
    });
  });

  describe('#12.10 junk earns 4xx, not 500', () => {
    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('answers /static/%s with a 404', async (name) => {
      const res = await t.http().get(`/static/${name}`);
      expect(res.status).toBe(404);
    });

    it.each(['1e21', '1e3', '-1', '0x10', '9999999999999999999999'])('answers a list with a cursor decoding to %s with a 400 naming the cursor', async (text) => {
      const cursor = Buffer.from(text, 'utf8').toString('base64url');
      for (const path of ['/api/v1/patients', '/api/v1/establishments', '/api/v1/recaps']) {
        const res = await t.http().get(`${path}?cursor=${cursor}`).set(bearer(pui));
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'cursor', reason: 'is not a valid cursor' }]);
      }
    });
  });

  describe('#12.4 no identifier-like value is echoed', () => {
    const NIR = withNirKey('1850578006084');
    const CORSICAN = withNirKey('185052A006084');
    const SPACED = `${NIR.slice(0, 1)} ${NIR.slice(1, 3)} ${NIR.slice(3, 5)} ${NIR.slice(5, 7)} ${NIR.slice(7, 10)} ${NIR.slice(10, 13)} ${NIR.slice(13)}`;
    const digitsOf = (text: string): string => text.replace(/[^0-9AB]/g, '');
    const expectNoEcho = (text: string): void => {
      for (const value of [NIR, CORSICAN, NIR.slice(0, 13), CORSICAN.slice(0, 13)]) expect(digitsOf(text)).not.toContain(value);
    };

    it('masks a NIR typed in the medicine or administrations column of a recap, with spaces or Corsican, also in the stored Idempotency-Key answer', async () => {
      const patients = await t.http().get('/api/v1/patients?limit=1').set(bearer(pui));
      const pseudonym = patients.body.items[0].pseudonym as string;
      const csv = `${HEADER}\n${NIR},2023-04,${pseudonym},2023-04-03,1\nNULOJIX,2023-04,${pseudonym},${SPACED},1\n${CORSICAN},2023-04,${pseudonym},2023-04-03,1\nNULOJIX,2023-04,${pseudonym},${CORSICAN},1\n`;
      const send = () => t.http().post('/api/v1/recaps').set(bearer(pui)).set('Idempotency-Key', 'mask-nir-1').attach('file', Buffer.from(csv), { filename: 'recap.csv', contentType: 'text/csv' });
      const res = await send();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors.length).toBeGreaterThan(0);
      expectNoEcho(res.text);
      const replay = await send();
      expectNoEcho(replay.text);
      const stored: Record<string, unknown>[] = await t.dataSource.query('SELECT * FROM idempotency_keys');
      expectNoEcho(JSON.stringify(stored));
    });

    it('masks a NIR in a JSON recap, in an unknown field name and in a path', async () => {
      const json = await t.http().post('/api/v1/recaps').set(bearer(pui)).send({ medicine: CORSICAN, period: '2023-04', patients: [{ patient: 'x', administrations: [SPACED], vials: 1 }] });
      expect(json.status).toBeLessThan(500);
      expectNoEcho(json.text);
      const field = await t.http().post('/api/v1/patients').set(bearer(pui)).send({ nir: NIR, birthDate: '1985-05-01', sex: 'M', weightKg: 70, [NIR]: 1 });
      expect(field.status).toBe(400);
      expectNoEcho(field.text);
      const path = await t.http().get(`/api/v1/patients/${NIR}`).set(bearer(pui));
      expect(path.status).toBe(404);
      expectNoEcho(path.text);
    });

    it('does not re-display a NIR typed in the patients page form', async () => {
      const badKey = `${NIR.slice(0, 13)}00`;
      const res = await t.http().post('/etablissement/patients').set('Cookie', `${SESSION_COOKIE}=${pui}`).set('Origin', origin()).set('Host', host()).type('form').send({ nir: badKey, birthDate: '1985-05-01', sex: 'M', weightKg: '70' });
      expect(res.status).toBe(400);
      expect(res.text).not.toContain(badKey);
    });

    it('does not re-display the password on the sign-in page', async () => {
      const res = await t.http().post('/connexion').set('Origin', origin()).set('Host', host()).type('form').send({ username: 'agency', password: 'secret-typed-here-42' });
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('secret-typed-here-42');
    });
  });

  describe('#12.10 a NUL character is a 400, never a driver error', () => {
    it('refuses %00 in a path or query and \\u0000 in a JSON body', async () => {
      const agency = await t.token('agency');
      for (const path of ['/api/v1/establishments/%00', '/api/v1/medicines/NULOJIX%00', '/api/v1/patients?cursor=%00']) {
        const res = await t.http().get(path).set(bearer(agency));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('NUL_CHARACTER');
      }
      const body = await t.http().post('/api/v1/establishments').set(bearer(agency)).set('Content-Type', 'application/json').send('{"finess":"759900012","name":"a\\u0000b","region":"r","category":"CHU","transplantCentre":true}');
      expect(body.status).toBe(400);
      expect(body.body.errors).toEqual([{ field: 'body', reason: 'must not contain a NUL character' }]);
    });
  });
});
