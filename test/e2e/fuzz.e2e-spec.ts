import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { sample } from 'openapi-sampler';
import type { Response } from 'supertest';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

/**
 * The fuzz suite of issue #12: every operation of the app's own OpenAPI document, tried with junk
 * bodies (deep, huge, wrong types, NIR-planted, truncated JSON and multipart, bad encodings), junk
 * path parameters and cursors, as anonymous, each role and another establishment. No answer may be
 * a 5xx, carry a stack trace or echo a planted identifier, and /health must keep answering.
 * Counts per kind go to test-artifacts/fuzz-summary-<db>.json.
 */
const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');
const NIR = withNirKey('2750699123456');
const CORSICAN = withNirKey('185052B006084');
const SPACED = NIR.replace(/^(\d)(\d{2})(\d{2})(\d{2})(\d{3})(\d{3})(\d{2})$/, '$1 $2 $3 $4 $5 $6 $7');
const PLANTED = [NIR, CORSICAN, SPACED];
const PLANTED_DIGITS = [NIR, CORSICAN, NIR.slice(0, 13), CORSICAN.slice(0, 13)];
const STACK = /\bat [\w$.<>]+ \(|node_modules|\.ts:\d+:\d+|\bTypeError\b|\bQueryFailedError\b|SQLITE_|duplicate key value/;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const JUNK_PARAMS = ['%2e%2e%2f%2e%2e%2fetc%2fpasswd', '__proto__', '1e21', "'%20OR%201%3D1--", 'x'.repeat(300), '-1', '%F0%9F%98%80', encodeURIComponent(SPACED), NIR, '%00'];
const JUNK_CURSORS = [b64('1e21'), b64('-1'), '!!!', b64('0x10'), b64('9'.repeat(30)), 'a'.repeat(2000)];
const JUNK_LIMITS = ['abc', '-5', '1e9', '0', '99999999999999999999'];

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  params: string[];
  bodySchema: unknown;
  multipart: boolean;
  hasQuery: boolean;
}

interface Tally {
  tried: number;
  failed: number;
  statuses: Record<string, number>;
}

type ParamSchema = { type?: string; minimum?: number; maximum?: number; enum?: unknown[]; pattern?: string };
type Spec = { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: ParamSchema }[]; requestBody?: { content?: Record<string, { schema?: unknown }> } }>>; components?: unknown };

function operationsOf(spec: Spec): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const content = op.requestBody?.content ?? {};
      out.push({ method: method as Operation['method'], path, params, bodySchema: content['application/json']?.schema ?? null, multipart: 'multipart/form-data' in content, hasQuery: (op.parameters ?? []).some((p) => p.in === 'query') });
    }
  }
  return out;
}

/** A plausible value for a path parameter, so that a route's body is reached past its lookups. */
function plausible(name: string): string {
  if (/finess|establishment/i.test(name)) return NECKER;
  if (/period/i.test(name)) return '2023-05';
  if (/code|medicine/i.test(name)) return 'NULOJIX';
  if (/pseudonym/i.test(name)) return 'P-0000000000';
  if (/name/i.test(name)) return 'allocation.compute';
  return '00000000-0000-4000-8000-000000000000';
}

function fill(path: string, params: string[], value: (name: string) => string): string {
  return params.reduce((p, name) => p.replace(`{${name}}`, value(name)), path);
}

/** Every string of a sample replaced by a planted identifier, every number by a string, and so on. */
function mutate(value: unknown, how: 'plant' | 'types'): unknown {
  if (typeof value === 'string') return how === 'plant' ? PLANTED[value.length % PLANTED.length] : 12345;
  if (typeof value === 'number') return how === 'plant' ? value : NIR;
  if (typeof value === 'boolean') return how === 'plant' ? value : 'yes';
  if (Array.isArray(value)) return how === 'plant' ? value.map((v) => mutate(v, how)) : { 0: value[0] ?? null };
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mutate(v, how)]));
  return how === 'plant' ? NIR : [];
}

describe(`fuzz: every operation of /api/docs-json (${DB_KIND})`, () => {
  let t: TestApp;
  let spec: Spec;
  const tally: Record<string, Tally> = {};
  const failures: { kind: string; method: string; path: string; status: number; why: string }[] = [];
  let requests = 0;

  beforeAll(async () => {
    t = await startTestApp();
    spec = (await t.http().get('/api/docs-json')).body as Spec;
  });
  afterAll(async () => {
    const dir = join(__dirname, '..', '..', 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const summary = { db: DB_KIND, operations: operationsOf(spec).length, requests, kinds: tally, failures: failures.slice(0, 50) };
    writeFileSync(join(dir, `fuzz-summary-${DB_KIND}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    await t.close();
  });

  const check = (kind: string, method: string, path: string, res: Response): void => {
    requests++;
    const entry = (tally[kind] ??= { tried: 0, failed: 0, statuses: {} });
    entry.tried++;
    entry.statuses[res.status] = (entry.statuses[res.status] ?? 0) + 1;
    const text = res.text ?? '';
    const digits = text.replace(/[^0-9AB]/g, '');
    const why = res.status >= 500 ? `status ${res.status}` : STACK.test(text) ? 'stack trace or driver error in the answer' : PLANTED_DIGITS.some((d) => digits.includes(d)) ? 'a planted identifier echoed' : null;
    if (why) {
      entry.failed++;
      failures.push({ kind, method: method.toUpperCase(), path, status: res.status, why });
    }
  };

  /** Runs the calls a few at a time (the app is in this process: enough to overlap, not to drown it). */
  async function inBatches(calls: (() => Promise<void>)[], width = 6): Promise<void> {
    for (let i = 0; i < calls.length; i += width) await Promise.all(calls.slice(i, i + width).map((c) => c()));
  }

  async function healthWithin(ms: number): Promise<void> {
    const started = Date.now();
    const res = await t.http().get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(ms);
  }

  it('walks every operation with junk and keeps answering 4xx, without stack traces or identifiers', async () => {
    const started = Date.now();
    const ops = operationsOf(spec);
    expect(ops.length).toBeGreaterThan(30);
    const users = { anonymous: null, agency: 'agency', pharmacist: `pui-${NECKER}`, otherEstablishment: `pui-${LYON}`, prescriber: `prescriber-${LYON}`, lab: 'lab', committee: 'committee-1' } as const;
    const tokens: Record<string, string | null> = {};
    for (const [who, username] of Object.entries(users)) tokens[who] = username ? await t.token(username) : null;
    const as = (who: string) => (tokens[who] ? bearer(tokens[who]) : {});

    for (const op of ops) {
      const calls: (() => Promise<void>)[] = [];
      // Signing out revokes the caller's tokens (tested in hardening.e2e-spec): here anonymous and junk only.
      const revokes = op.path === '/api/v1/auth/logout';
      const request = (path: string, who: string) => t.http()[op.method](path).set(as(who));
      const body = op.bodySchema ? (sample(op.bodySchema, { skipReadOnly: true }, spec)) : {};
      const real = fill(op.path, op.params, plausible);
      const writes = op.method !== 'get' && op.method !== 'delete';

      // Every role and another establishment, with identifiers planted in every string of the body.
      for (const who of Object.keys(users)) {
        if (revokes && who !== 'anonymous') continue;
        calls.push(async () => check(`role:${who}`, op.method, op.path, await request(real, who).send(writes ? (mutate(body, 'plant') as object) : undefined)));
      }
      // Junk path parameters (each route with parameters), as the pharmacist and the agency.
      if (op.params.length > 0) {
        for (const junk of JUNK_PARAMS) {
          const who = junk.length % 2 === 0 ? 'agency' : 'pharmacist';
          calls.push(async () => check('path-params', op.method, op.path, await request(fill(op.path, op.params, () => junk), who).send(writes ? {} : undefined)));
        }
      }
      // Junk cursors and limits on the lists.
      if (op.method === 'get' && op.hasQuery) {
        for (const cursor of JUNK_CURSORS) calls.push(async () => check('cursor', op.method, op.path, await request(`${real}?cursor=${encodeURIComponent(cursor)}`, 'agency')));
        for (const limit of JUNK_LIMITS) calls.push(async () => check('limit', op.method, op.path, await request(`${real}?limit=${limit}`, 'pharmacist')));
      }
      if (writes && !revokes) {
        const json = (kind: string, payload: string, who = 'agency', headers: Record<string, string> = {}) =>
          calls.push(async () => check(kind, op.method, op.path, await request(real, who).set({ 'Content-Type': 'application/json', ...headers }).send(payload)));
        json('body:deep', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`);
        json('body:deep', '['.repeat(200_000), 'pharmacist');
        json('body:huge', JSON.stringify({ text: 'x'.repeat(1_100_000) }));
        json('body:wrong-types', JSON.stringify(mutate(body, 'types')), 'pharmacist');
        json('body:wrong-types', JSON.stringify(mutate(body, 'types')));
        json('body:wrong-types', '[1,2,3]');
        json('body:wrong-types', 'null', 'pharmacist');
        json('body:truncated-json', JSON.stringify(body).slice(0, -1) || '{');
        json('body:bad-encoding', JSON.stringify(body), 'agency', { 'Content-Encoding': 'gzip' });
        json('body:bad-encoding', JSON.stringify(body), 'pharmacist', { 'Content-Type': 'application/json; charset=x-junk' });
        json('body:bad-encoding', '{"a":"\\ud800\\u0000\uFFFF"}');
        calls.push(async () => check('body:form-encoded', op.method, op.path, await request(real, 'pharmacist').type('form').send(`nir=${NIR}&count=1`)));
        calls.push(async () =>
          check('body:truncated-multipart', op.method, op.path, await request(real, 'pharmacist').set('Content-Type', 'multipart/form-data; boundary=ZZ').send(`--ZZ\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\nmedicine,period,patient\n${CORSICAN},2023-0`)),
        );
        calls.push(async () => check('body:truncated-multipart', op.method, op.path, await request(real, 'pharmacist').set('Content-Type', 'multipart/form-data').send('--x\r\n')));
      }
      await inBatches(calls);
    }
    await healthWithin(2000);
    const failed = Object.values(tally).reduce((n, k) => n + k.failed, 0);
    expect({ failed, failures: failures.slice(0, 10) }).toEqual({ failed: 0, failures: [] });
    expect(Date.now() - started).toBeLessThan(120_000);
  });

  /**
   * Requests generated from the document's own schemas (#13): each operation's request body sampled from its
   * schema (openapi-sampler), then fast-check mutations of the sample that the document itself declares invalid
   * (a required field dropped or null, an empty string under minLength, a wrong type, an unknown field). Every
   * answer must be documented for the operation (t.http() checks status, content type and body against the
   * document, the temporary allowlist aside), and no mutation the document forbids may be answered 2xx — on
   * every operation with a body, the allowlisted ones included (their request side is generated here too).
   */
  it('answers requests generated from the document with documented statuses and bodies, refusing what it forbids', async () => {
    type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; required?: string[]; minLength?: number; additionalProperties?: unknown };
    const resolve = (schema: Schema | undefined): Schema | undefined => {
      if (!schema?.$ref) return schema;
      return (spec.components as { schemas: Record<string, Schema> }).schemas[schema.$ref.replace('#/components/schemas/', '')];
    };
    type Mutation = { kind: string; forbidden: boolean; apply: (body: Record<string, unknown>) => Record<string, unknown> };
    const mutationsOf = (schema: Schema): fc.Arbitrary<Mutation> => {
      const props = Object.entries(schema.properties ?? {});
      const required = schema.required ?? [];
      const options: fc.Arbitrary<Mutation>[] = [fc.constant({ kind: 'sample', forbidden: false, apply: (b) => b })];
      if (schema.additionalProperties === false) options.push(fc.constant({ kind: 'unknown-field', forbidden: true, apply: (b) => ({ ...b, notAField: 1 }) }));
      for (const name of required) {
        options.push(fc.constant({ kind: 'required-dropped', forbidden: true, apply: (b) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== name)) }));
        options.push(fc.constant({ kind: 'required-null', forbidden: true, apply: (b) => ({ ...b, [name]: null }) }));
      }
      for (const [name, raw] of props) {
        const prop = resolve(raw);
        if (prop?.type === 'string' && (prop.minLength ?? 0) >= 1) options.push(fc.constant({ kind: 'empty-string', forbidden: true, apply: (b) => ({ ...b, [name]: '' }) }));
        if (prop?.type === 'string' || prop?.type === 'integer' || prop?.type === 'number' || prop?.type === 'boolean') {
          options.push(fc.oneof(fc.constant([1, 2]), fc.constant({ x: 1 })).map((junk) => ({ kind: 'wrong-type', forbidden: true, apply: (b: Record<string, unknown>) => ({ ...b, [name]: junk }) })));
        }
      }
      return fc.oneof(...options);
    };
    const who = ['agency', `pui-${NECKER}`, 'lab'];
    const tokens = await Promise.all(who.map((u) => t.token(u)));
    const forbiddenAccepted: string[] = [];
    let generated = 0;
    for (const op of operationsOf(spec)) {
      if (op.path === '/api/v1/auth/logout' || !op.bodySchema) continue;
      const schema = resolve(op.bodySchema);
      if (!schema || schema.type !== 'object') continue;
      const base = sample(op.bodySchema, { skipReadOnly: true }, spec) as Record<string, unknown>;
      const mutations = fc.sample(mutationsOf(schema), { numRuns: 14, seed: op.path.length * 7919 + op.method.length });
      const path = fill(op.path, op.params, plausible);
      const calls = mutations.flatMap((m, i) => {
        const token = tokens[i % tokens.length] ?? '';
        return [
          async () => {
            generated++;
            const res = await t.http()[op.method](path).set(bearer(token)).send(m.apply(base));
            check(`schema:${m.kind}`, op.method, op.path, res);
            if (m.forbidden && res.status < 300) forbiddenAccepted.push(`${op.method.toUpperCase()} ${op.path} ${m.kind} → ${res.status}`);
          },
        ];
      });
      await inBatches(calls);
    }
    expect(generated).toBeGreaterThan(100);
    expect(forbiddenAccepted).toEqual([]);
    const failed = Object.entries(tally).filter(([kind]) => kind.startsWith('schema:')).reduce((n, [, k]) => n + k.failed, 0);
    expect({ failed, failures: failures.filter((f) => f.kind.startsWith('schema:')).slice(0, 10) }).toEqual({ failed: 0, failures: [] });
  });

  /** Query strings generated from each list's documented parameters: a sampled one is documented, one the schema forbids is refused. */
  it('answers query strings generated from the documented parameters, refusing values their schemas forbid', async () => {
    const agency = await t.token('agency');
    const lab = await t.token('lab');
    const forbiddenAccepted: string[] = [];
    let generated = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      const op = item.get;
      if (!op) continue;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query' && p.schema);
      if (query.length === 0) continue;
      const real = fill(path, (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name), plausible);
      const sampled = Object.fromEntries(query.map((p) => [p.name, String(sample(p.schema as object, {}, spec))]));
      const forbidden: [string, string][] = [];
      for (const p of query) {
        const schema = p.schema ?? {};
        if (typeof schema.minimum === 'number') forbidden.push([p.name, String(schema.minimum - 1)]);
        if (typeof schema.maximum === 'number') forbidden.push([p.name, String(schema.maximum + 1)]);
        if (schema.type === 'integer') forbidden.push([p.name, '1.5']);
        if (schema.enum) forbidden.push([p.name, 'not-one-of-them']);
        if (schema.pattern) forbidden.push([p.name, '2023-13']);
      }
      for (const token of [agency, lab]) {
        generated++;
        const res = await t.http().get(real).query(sampled).set(bearer(token));
        check('query:sample', 'get', path, res);
      }
      for (const [name, value] of forbidden) {
        generated++;
        const res = await t.http().get(real).query({ ...sampled, [name]: value }).set(bearer(agency));
        check('query:forbidden', 'get', path, res);
        if (res.status < 300) forbiddenAccepted.push(`GET ${path}?${name}=${value} → ${res.status}`);
      }
    }
    expect(generated).toBeGreaterThan(30);
    expect(forbiddenAccepted).toEqual([]);
  });

  /** The check every e2e answer goes through catches what it is there for (so a green suite means something). */
  it('fails an answer whose field, status, content type or path the document does not give', async () => {
    const ok = await t.http().get('/api/v1/health');
    const answer = { method: 'get', url: '/api/v1/health', status: 200, contentType: 'application/json; charset=utf-8', text: ok.text, body: ok.body as unknown, headers: {} };
    expect(t.openApi.problems(answer)).toEqual([]);
    expect(t.openApi.problems({ ...answer, body: { ...(ok.body as object), extra: 1 } }).join()).toMatch(/extra/);
    expect(t.openApi.problems({ ...answer, status: 418 }).join()).toMatch(/status 418 is not documented/);
    expect(t.openApi.problems({ ...answer, contentType: 'text/html' }).join()).toMatch(/content type "text\/html" is not documented/);
    expect(t.openApi.problems({ ...answer, url: '/api/v1/nowhere', status: 200 }).join()).toMatch(/not in the document/);
    expect(t.openApi.problems({ ...answer, method: 'delete' }).join()).toMatch(/DELETE is not documented/);
    expect(t.openApi.problems({ ...answer, url: '/api/v1/medicines/NULOJIX/reports' }).join()).toMatch(/reports → 200: the body does not match/);
  });

  /** The same bad period gets the same answer on every route that takes one in its path (#13): 400 PERIOD_INVALID. */
  it('answers a bad period in any path with the same 400 PERIOD_INVALID', async () => {
    const agency = await t.token('agency');
    const routes = operationsOf(spec).filter((op) => op.params.includes('period'));
    expect(routes.length).toBeGreaterThan(3);
    for (const op of routes) {
      const path = fill(op.path, op.params, (name) => (name === 'period' ? '2023-13' : plausible(name)));
      const res = await t.http()[op.method](path).set(bearer(agency)).send(op.method === 'get' ? undefined : {});
      expect({ route: `${op.method} ${op.path}`, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ route: `${op.method} ${op.path}`, status: 400, code: 'PERIOD_INVALID' });
    }
  });

  it('keeps /health answering while a junk flood is in flight', async () => {
    const pui = await t.token(`pui-${NECKER}`);
    const flood = Array.from({ length: 8 }, (_, i) =>
      t
        .http()
        .post(i % 2 ? '/api/v1/recaps' : '/api/v1/auth/login')
        .set(bearer(pui))
        .set('Content-Type', 'application/json')
        .send(`{"patients":${'['.repeat(1_000_000)}`),
    );
    const health = (async () => {
      await new Promise((r) => setTimeout(r, 10));
      await healthWithin(2000);
    })();
    const answers = await Promise.all(flood);
    await health;
    answers.forEach((res, i) => check('flood', 'post', i % 2 ? '/api/v1/recaps' : '/api/v1/auth/login', res));
    expect(answers.map((r) => r.status).every((s) => s === 400 || s === 413)).toBe(true);
  });
});
