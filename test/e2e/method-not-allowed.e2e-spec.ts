import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

describe(`unsupported methods and the documented error answers (${DB_KIND})`, () => {
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

  it('documents every operation with its problem+json answers, the Idempotency-Key header on writes, and the health schema', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }>; parameters?: { name: string; in: string }[] }>>;
      components: { schemas: Record<string, unknown>; responses: Record<string, { content: Record<string, unknown> }> };
    };
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(Object.keys(doc.components.responses.Problem503!.content)).toEqual(['application/problem+json']);
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        operations += 1;
        for (const status of ['400', '401', '403', '404', '405', '422', '500', '503']) expect([path, method, status, operation.responses[status]]).toEqual([path, method, status, expect.anything()]);
        if (method === 'post' || method === 'put') expect(operation.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header')).toBe(true);
      }
    }
    expect(operations).toBeGreaterThan(40);
    const health = doc.paths['/api/v1/health']!.get!;
    expect(health.responses['200']!.content!['application/json']!.schema!.$ref).toBe('#/components/schemas/HealthDto');
    expect(health.responses['503']!.content!['application/json']!.schema!.$ref).toBe('#/components/schemas/HealthDto');
  });
});
