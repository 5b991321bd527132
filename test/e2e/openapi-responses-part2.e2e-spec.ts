import { withFinessKey } from '../../src/common/domain/finess';

import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');

/** The operations of the allocation, orders, treatments, recaps, reconciliation and compassionate-access modules (#13). */
const OPERATIONS = [
  'POST /api/v1/initiation-requests',
  'GET /api/v1/initiation-requests',
  'GET /api/v1/initiation-requests/{id}',
  'POST /api/v1/initiation-requests/{id}/votes',
  'PUT /api/v1/initiation-requests/{id}/rank',
  'POST /api/v1/initiation-requests/{id}/withdraw',
  'GET /api/v1/committee/queue',
  'GET /api/v1/medicines/{code}/allocations/{period}',
  'POST /api/v1/medicines/{code}/allocations/{period}/compute',
  'POST /api/v1/medicines/{code}/initiation-supply',
  'POST /api/v1/orders',
  'GET /api/v1/orders',
  'GET /api/v1/orders/{id}',
  'POST /api/v1/orders/{id}/confirm',
  'POST /api/v1/orders/{id}/reduce',
  'POST /api/v1/orders/{id}/refuse',
  'POST /api/v1/treatments',
  'GET /api/v1/treatments',
  'GET /api/v1/treatments/{id}',
  'POST /api/v1/treatments/{id}/stop',
  'POST /api/v1/treatments/{id}/transfer',
  'POST /api/v1/recaps',
  'GET /api/v1/recaps',
  'GET /api/v1/recaps/{id}',
  'GET /api/v1/reconciliations/{medicine}/{period}',
  'POST /api/v1/reconciliations/{medicine}/{period}/run',
  'GET /api/v1/medicines/{code}/access-scheme',
  'GET /api/v1/medicines/{code}/criteria',
  'POST /api/v1/medicines/{code}/criteria',
  'GET /api/v1/medicines/{code}/reports',
  'POST /api/v1/medicines/{code}/switch',
  'POST /api/v1/access-requests',
  'GET /api/v1/access-requests',
  'GET /api/v1/access-requests/{id}',
  'POST /api/v1/access-requests/{id}/countersign',
  'POST /api/v1/access-requests/{id}/meeting',
  'POST /api/v1/access-requests/{id}/decision',
  'POST /api/v1/access-requests/{id}/renew',
  'POST /api/v1/access-requests/{id}/forms',
] as const;

type Json = Record<string, unknown>;
interface Operation {
  parameters?: { name: string; in: string; schema?: Json }[];
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
  'x-problem-codes'?: Record<string, string[]>;
}

/** The demo data on 2026-11-24 (every module has rows then): each answer checked against the document, closed objects. */
describe(`OpenAPI answers of allocation, orders, treatments, recaps, reconciliation, compassionate access (${DB_KIND})`, () => {
  let t: TestApp;
  let doc: Json;
  beforeAll(async () => {
    t = await startTestApp({ CONTINGENT_NOW: '2026-11-24T10:00:00+01:00' });
    doc = (await t.http().get('/api/docs-json')).body as Json;
  });
  afterAll(async () => {
    await t.close();
  });
  const as = async (username: string) => bearer(await t.token(username));
  const operation = (op: string): Operation => {
    const [method, path] = op.split(' ') as [string, string];
    return (doc.paths as Record<string, Record<string, Operation>>)[path]?.[method.toLowerCase()] as Operation;
  };
  const documented = (res: { status: number; headers: Record<string, string>; body: unknown; text: string }, method: string, url: string): void => {
    expect(t.openApi.problems({ method, url, status: res.status, contentType: res.headers['content-type'], text: res.text, body: res.body, headers: res.headers })).toEqual([]);
  };

  it('documents every operation with a success schema and its problem codes by status', () => {
    for (const op of OPERATIONS) {
      const o = operation(op);
      expect({ op, documented: o !== undefined }).toEqual({ op, documented: true });
      const success = Object.entries(o.responses).filter(([status]) => status.startsWith('2'));
      expect({ op, successes: success.length }).toEqual({ op, successes: 1 });
      const content = success[0]?.[1].content ?? {};
      expect({ op, json: content['application/json']?.schema !== undefined }).toEqual({ op, json: true });
      const codes = o['x-problem-codes'] ?? {};
      expect({ op, problemStatuses: Object.keys(codes).length > 0 }).toEqual({ op, problemStatuses: true });
      for (const list of Object.values(codes)) for (const code of list) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });

  const check = (method: string, url: string, status: number, contentType: string, body: unknown): string[] =>
    t.openApi.problems({ method, url, status, contentType, text: JSON.stringify(body), body, headers: {} });

  it('refuses an answer the document does not describe: an undeclared field, a problem code not listed for its status', () => {
    const problem = { type: 'https://contingent.example/problems/order-not-found', title: 'Not Found', status: 404, detail: 'no order', instance: '/api/v1/orders/x', code: 'ORDER_NOT_FOUND' };
    expect(check('get', '/api/v1/orders/x', 404, 'application/problem+json', problem)).toEqual([]);
    expect(check('get', '/api/v1/orders/x', 404, 'application/problem+json', { ...problem, code: 'RECAP_NOT_FOUND' })).toHaveLength(1);
    const reconciliation = { medicine: 'NULOJIX', period: '2026-10', runAt: '2026-11-24T09:00:00.000Z', discrepancies: [] };
    expect(check('get', '/api/v1/reconciliations/NULOJIX/2026-10', 200, 'application/json', reconciliation)).toEqual([]);
    expect(check('get', '/api/v1/reconciliations/NULOJIX/2026-10', 200, 'application/json', { ...reconciliation, extra: 1 })).toHaveLength(1);
    expect(check('get', '/api/v1/reconciliations/NULOJIX/2026-10', 200, 'application/json', { ...reconciliation, period: '2026-13' })).toHaveLength(1);
  });

  it('gives path periods and ids their patterns, and list queries their limit and cursor', () => {
    const period = operation('GET /api/v1/medicines/{code}/allocations/{period}').parameters?.find((p) => p.name === 'period');
    expect(period?.schema).toMatchObject({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });
    expect(operation('GET /api/v1/orders/{id}').parameters?.find((p) => p.name === 'id')?.schema).toMatchObject({ format: 'uuid' });
    for (const op of ['GET /api/v1/initiation-requests', 'GET /api/v1/orders', 'GET /api/v1/treatments', 'GET /api/v1/recaps', 'GET /api/v1/access-requests', 'GET /api/v1/committee/queue']) {
      const names = (operation(op).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect({ op, names: names.filter((n) => n === 'limit' || n === 'cursor').sort() }).toEqual({ op, names: ['cursor', 'limit'] });
    }
    const report = operation('GET /api/v1/medicines/{code}/reports').responses['200']?.content ?? {};
    expect(Object.keys(report).sort()).toEqual(['application/json', 'text/csv', 'text/html']);
  });

  it('answers the allocation, committee and initiation-request reads as documented', async () => {
    const compute = await t.http().post('/api/v1/medicines/NULOJIX/allocations/2026-11/compute').set(await as('agency')).send({});
    documented(compute, 'post', '/api/v1/medicines/NULOJIX/allocations/2026-11/compute');
    const allocation = await t.http().get('/api/v1/medicines/NULOJIX/allocations/2026-11').set(await as(`pui-${NECKER}`));
    expect(allocation.status).toBe(200);
    documented(allocation, 'get', '/api/v1/medicines/NULOJIX/allocations/2026-11');
    const list = await t.http().get('/api/v1/initiation-requests?limit=20').set(await as('agency'));
    expect(list.body.items.length).toBeGreaterThan(0);
    documented(list, 'get', '/api/v1/initiation-requests?limit=20');
    const one = await t.http().get(`/api/v1/initiation-requests/${list.body.items[0].id}`).set(await as('agency'));
    documented(one, 'get', `/api/v1/initiation-requests/${list.body.items[0].id}`);
    const queue = await t.http().get('/api/v1/committee/queue').set(await as('committee-1'));
    expect(queue.status).toBe(200);
    documented(queue, 'get', '/api/v1/committee/queue');
    const badPeriod = await t.http().get('/api/v1/medicines/NULOJIX/allocations/2026-13').set(await as('agency'));
    expect(badPeriod.status).toBe(400);
    documented(badPeriod, 'get', '/api/v1/medicines/NULOJIX/allocations/2026-13');
  });

  it('answers the treatment, order, recap and reconciliation reads as documented', async () => {
    for (const [kind, detail] of [
      ['treatments', true],
      ['orders', true],
      ['recaps', true],
    ] as const) {
      const list = await t.http().get(`/api/v1/${kind}?limit=10`).set(await as('agency'));
      expect({ kind, status: list.status, some: list.body.items.length > 0 }).toEqual({ kind, status: 200, some: true });
      documented(list, 'get', `/api/v1/${kind}?limit=10`);
      if (detail) {
        const one = await t.http().get(`/api/v1/${kind}/${list.body.items[0].id}`).set(await as('agency'));
        expect(one.status).toBe(200);
        documented(one, 'get', `/api/v1/${kind}/${list.body.items[0].id}`);
      }
    }
    const run = await t.http().post('/api/v1/reconciliations/NULOJIX/2026-10/run').set(await as('agency')).send({});
    expect(run.status).toBe(200);
    documented(run, 'post', '/api/v1/reconciliations/NULOJIX/2026-10/run');
    const reconciliation = await t.http().get('/api/v1/reconciliations/NULOJIX/2026-10').set(await as(`pui-${NECKER}`));
    documented(reconciliation, 'get', '/api/v1/reconciliations/NULOJIX/2026-10');
    const missing = await t.http().get('/api/v1/orders/00000000-0000-4000-8000-999999999999').set(await as('agency'));
    expect(missing.status).toBe(404);
    documented(missing, 'get', '/api/v1/orders/00000000-0000-4000-8000-999999999999');
  });

  it('answers the compassionate-access reads and the report in JSON and CSV as documented', async () => {
    const scheme = await t.http().get('/api/v1/medicines/REZUROCK/access-scheme').set(await as('agency'));
    documented(scheme, 'get', '/api/v1/medicines/REZUROCK/access-scheme');
    const criteria = await t.http().get('/api/v1/medicines/REZUROCK/criteria').set(await as('agency'));
    expect(criteria.body.items.length).toBeGreaterThan(0);
    documented(criteria, 'get', '/api/v1/medicines/REZUROCK/criteria');
    const list = await t.http().get('/api/v1/access-requests?limit=50').set(await as('agency'));
    expect(list.body.items.length).toBeGreaterThan(0);
    documented(list, 'get', '/api/v1/access-requests?limit=50');
    for (const item of (list.body.items as { id: string }[]).slice(0, 5)) {
      const one = await t.http().get(`/api/v1/access-requests/${item.id}`).set(await as('agency'));
      documented(one, 'get', `/api/v1/access-requests/${item.id}`);
    }
    const url = '/api/v1/medicines/REZUROCK/reports?from=2023-09-26&to=2026-10-31&cutoff=2026-11-15';
    const json = await t.http().get(url).set(await as('agency'));
    expect(json.status).toBe(200);
    documented(json, 'get', url);
    const csv = await t.http().get(url).set(await as('agency')).set('Accept', 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    documented(csv, 'get', url);
  });
});
