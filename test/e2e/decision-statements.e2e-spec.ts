import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';
// The drivers' query runners, to see every statement a decision sends (TypeORM exports neither from its index).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BetterSqlite3QueryRunner } = require('typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');

jest.setTimeout(120_000);

/** Statements sent while `recording`, by the query runner that sent them. */
const sent = new Map<object, string[]>();
let recording = false;
for (const Runner of [BetterSqlite3QueryRunner, PostgresQueryRunner] as { prototype: { query: (sql: string, ...rest: unknown[]) => Promise<unknown> } }[]) {
  const query = Runner.prototype.query;
  Runner.prototype.query = function (this: object, sql: string, ...rest: unknown[]) {
    if (recording) sent.set(this, [...(sent.get(this) ?? []), sql.replace(/\s+/g, ' ').trim()]);
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

  async function decide(finess: string): Promise<{ status: string; statements: string[] }> {
    const token = bearer(await t.token(`prescriber-${finess}`));
    const patient = await t.http().post('/api/v1/patients').set(token).send({ nir: withNirKey(`1850575${String(200000 + nir++)}`), birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
    expect(patient.status).toBe(201);
    sent.clear();
    recording = true;
    const res = await t.http().post('/api/v1/initiation-requests').set(token).send({ medicine: 'NULOJIX', indication: 'chronic-dysfunction-cni', patient: patient.body.pseudonym, justification: 'Toxicité chronique.', weightKg: 70 });
    recording = false;
    expect(res.status).toBe(201);
    // The decision's transaction: the runner that wrote the request.
    const own = [...sent.values()].find((statements) => statements.some((s) => s.startsWith('INSERT INTO "initiation_requests"')))!;
    return { status: res.body.status as string, statements: own.filter((s) => !TRANSACTION_CONTROL.test(s)) };
  }

  it('waitlists in at most six statements: one read, the rank, the request, its audit event', async () => {
    await decide(NECKER); // the process's first write reads the audit head once
    const { status, statements } = await decide(NECKER);
    expect(status).toBe('waitlisted');
    expect(statements.length).toBeLessThanOrEqual(6);
    expect(statements.filter((s) => s.startsWith('SELECT'))).toHaveLength(1);
    expect(statements.filter((s) => /^INSERT INTO waitlist_ranks/.test(s))).toHaveLength(1);
    expect(statements.some((s) => /advisory/.test(s))).toBe(false);
    expect(statements.some((s) => /audit_(events|pending)/.test(s))).toBe(true);
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
    const { status, statements } = await decide(finess);
    expect(status).toBe('granted');
    expect(statements.length).toBeLessThanOrEqual(6);
    expect(statements.filter((s) => s.startsWith('SELECT'))).toHaveLength(1);
    expect(statements.filter((s) => /^UPDATE (period|centre)_allocations/i.test(s.replace(/"/g, '')))).toHaveLength(2);
  });
});
