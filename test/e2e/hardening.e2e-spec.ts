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
});
