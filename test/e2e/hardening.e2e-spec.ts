import { withFinessKey } from '../../src/establishments/domain/finess';
import { SESSION_COOKIE } from '../../src/auth/auth.guard';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const HEADER = 'medicine,period,patient,administrations,vials';

/** A multipart body whose file part never reaches its closing boundary. */
function truncatedMultipart(boundary: string): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="period"\r\n\r\n2023-04\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="recap.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\nNULOJIX,2023-04,`);
}

describe(`hardening (${DB_KIND})`, () => {
  let t: TestApp;
  let pui: string;

  beforeAll(async () => {
    t = await startTestApp();
    pui = await t.token(`pui-${NECKER}`);
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
        .set('Origin', `http://${t.app.getHttpServer().address().address}:${t.app.getHttpServer().address().port}`)
        .set('Host', `${t.app.getHttpServer().address().address}:${t.app.getHttpServer().address().port}`)
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
});
