import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

describe(`unsupported methods (${DB_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 405 with Allow for a known path and another method, and 404 for an unknown path', async () => {
    const del = await t.http().delete('/api/v1/health');
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD');
    expect(del.headers['content-type']).toContain('application/problem+json');
    expect(del.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    const put = await t.http().put('/api/v1/medicines/NULOJIX/allocations/2023-05/compute').set(bearer(await t.token('agency'))).send({});
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('POST');
    const unknown = await t.http().delete('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });
});
