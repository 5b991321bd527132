import { canonicalJson } from '../../src/common/domain/canonical-json';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';
// Every statement sent: through SQLite's query runner (TypeORM's better-sqlite3 driver), through the pg client's
// query on PostgreSQL (TypeORM's runner and the statements prepared by name both send there).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BetterSqlite3QueryRunner } = require('typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg');

jest.setTimeout(120_000);

/** Statements sent while `recording`, by the connection (query runner or pg client) that sent them. */
const sent = new Map<object, string[]>();
/** The statements sent prepared by name (PostgreSQL). */
const named = new Set<string>();
let recording = false;
for (const Sender of [BetterSqlite3QueryRunner, Client] as { prototype: { query: (sql: unknown, ...rest: unknown[]) => Promise<unknown> } }[]) {
  const query = Sender.prototype.query;
  Sender.prototype.query = function (this: object, sql: unknown, ...rest: unknown[]) {
    const text = typeof sql === 'string' ? sql : (sql as { text?: string } | null)?.text;
    if (recording && text !== undefined) {
      const flat = text.replace(/\s+/g, ' ').trim();
      sent.set(this, [...(sent.get(this) ?? []), flat]);
      if ((sql as { name?: string } | null)?.name) named.add(flat);
    }
    return query.call(this, sql, ...rest);
  };
}

const TRANSACTION_CONTROL = /^(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;
const NECKER = withFinessKey('75990001');

/**
 * Issue 15: a decision reads what it needs by key in one statement (the policy in force, the patient's visibility,
 * their current requests and treatment, the counters), takes the slot or the queue's rank by conditional update,
 * writes the request and its audit event — at most six statements in its transaction, BEGIN and COMMIT aside, on
 * both databases. On PostgreSQL the event is chained after the COMMIT by the sequencer, in batches (counted apart).
 */
describe(`a decision's statements (${DB_KIND})`, () => {
  let t: TestApp;
  let nir = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function decide(
    finess: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: string; statements: string[]; inTransaction: boolean; body: { id: string; rank: number | null; status: string } }> {
    const token = bearer(await t.token(`prescriber-${finess}`));
    const patient = await t.http().post('/api/v1/patients').set(token).send({ nir: withNirKey(`1850575${String(200000 + nir++)}`), birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
    expect(patient.status).toBe(201);
    sent.clear();
    recording = true;
    const res = await t.http().post('/api/v1/initiation-requests').set(token).set(headers).send({ medicine: 'NULOJIX', indication: 'chronic-dysfunction-cni', patient: patient.body.pseudonym, justification: 'Toxicité chronique.', weightKg: 70 });
    recording = false;
    expect(res.status).toBe(201);
    // The decision's transaction: of the connection that wrote the request, from its BEGIN to its COMMIT (a pooled
    // PostgreSQL connection runs the sequencer's transaction next).
    const transactions = [...sent.values()].flatMap((statements) => {
      const split: string[][] = [];
      for (const s of statements) {
        if (/^(BEGIN|START TRANSACTION)/i.test(s) || split.length === 0) split.push([]);
        split[split.length - 1]!.push(s);
      }
      return split;
    });
    // The request's insert, and on PostgreSQL the read before it, outside the transaction (`UnitOfWork.runAlone`).
    const writes = transactions.find((statements) => statements.some((s) => /INSERT INTO "?initiation_requests"?/.test(s)))!;
    const read = transactions.find((statements) => statements.some((s) => s.includes('AS d_visible')))!;
    const own = read === writes ? writes : [...read, ...writes];
    return { status: res.body.status as string, statements: own.filter((s) => !TRANSACTION_CONTROL.test(s)), inTransaction: writes.some((s) => TRANSACTION_CONTROL.test(s)), body: res.body };
  }

  it('waitlists in at most six statements: one read, the rank, the request, its audit event (PostgreSQL: the three writes in one)', async () => {
    await decide(NECKER); // the process's first write reads the audit head once
    const { status, statements, inTransaction, body } = await decide(NECKER);
    expect(status).toBe('waitlisted');
    // PostgreSQL: no transaction block, the one write commits as it runs (the centre's rank row locked by it alone).
    expect(inTransaction).toBe(DB_KIND !== 'postgres');
    // The event holds the rank the request took (written by SQL in the same statement on PostgreSQL), and the chain holds.
    const agency = bearer(await t.token('agency'));
    const events = await t.http().get(`/api/v1/audit?entity=initiation-request&entityId=${body.id}`).set(agency);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ action: 'initiation-request.submitted', after: { status: 'waitlisted', rank: body.rank } });
    expect(body.rank).toEqual(expect.any(Number));
    expect((await t.http().post('/api/v1/audit/verify').set(agency).send({})).body.ok).toBe(true);
    // Stored as the canonical JSON text `record` stores (sorted keys, no spaces).
    const [stored] = await t.dataSource.query<{ after: string }[]>(`SELECT after FROM audit_events WHERE entity_id = ${DB_KIND === 'postgres' ? '$1' : '?'}`, [body.id]);
    expect(stored!.after).toBe(canonicalJson(JSON.parse(stored!.after)));
    expect(statements.length).toBeLessThanOrEqual(6);
    // SQLite: read, rank, request, then the audit head and event; PostgreSQL: read, then the rank, the request and
    // its pending event in one statement (the centre's counter row locked by the last statement before the COMMIT).
    expect(statements).toHaveLength(DB_KIND === 'postgres' ? 2 : 5);
    expect(statements.filter((s) => s.startsWith('SELECT'))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('INSERT INTO waitlist_ranks'))).toHaveLength(1);
    expect(statements.some((s) => /advisory/.test(s))).toBe(false);
    expect(statements.some((s) => /audit_(events|pending)/.test(s))).toBe(true);
    // PostgreSQL parses and plans each of them once per connection: they are sent as named prepared statements.
    if (DB_KIND === 'postgres') expect(statements.filter((s) => !named.has(s))).toEqual([]);
  });

  it('waitlists in a transaction under an Idempotency-Key (its answer is stored with the request, in the same COMMIT)', async () => {
    const { status, statements, inTransaction, body } = await decide(NECKER, { 'Idempotency-Key': 'decision-statements-waitlisted-1' });
    expect(status).toBe('waitlisted');
    expect(inTransaction).toBe(true);
    expect(statements.filter((s) => s.includes('INSERT INTO waitlist_ranks'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('SELECT') && s.includes('AS d_visible'))).toHaveLength(1);
    expect(body.rank).toEqual(expect.any(Number));
  });

  it('grants in at most six statements: one read, the two counters, the request, its audit event', async () => {
    // A new month under a capped version with room (pool 200), the most of it for one centre that follows many patients.
    t.clock.set(new Date('2024-03-04T09:00:00+01:00'));
    const agency = bearer(await t.token('agency'));
    const policy = await t.http().post('/api/v1/medicines/NULOJIX/policies').set(agency).send({
      effectiveFrom: '2024-03-04', mode: 'capped', monthlyCap: 400, quotaPool: 200, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }, { code: 'tma-cni', kind: 'urgent' }],
    });
    expect(policy.status).toBe(201);
    const finess = withFinessKey('13990001');
    expect((await t.http().put(`/api/v1/establishments/${finess}/followed-patients/2024-03`).set(agency).send({ count: 5000 })).status).toBe(200);
    await decide(finess);
    const { status, statements, inTransaction } = await decide(finess);
    expect(status).toBe('granted');
    expect(inTransaction).toBe(true);
    expect(statements.length).toBeLessThanOrEqual(6);
    expect(statements).toHaveLength(DB_KIND === 'postgres' ? 5 : 6);
    expect(statements.filter((s) => s.startsWith('SELECT'))).toHaveLength(1);
    expect(statements.filter((s) => /^UPDATE (period|centre)_allocations/i.test(s.replace(/"/g, '')))).toHaveLength(2);
    if (DB_KIND === 'postgres') expect(statements.filter((s) => !named.has(s))).toEqual([]);
  });
});
