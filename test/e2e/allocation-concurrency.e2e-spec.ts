import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { startSecondInstance } from '../support/second-instance';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(180_000);

const NECKER = withFinessKey('75990001');
const PRESCRIBER = `prescriber-${NECKER}`;

/** A period with exactly 20 quota slots, all at one centre: a capped version (pool 20) from today, every other centre following no patients. */
async function twentySlotPeriod(t: TestApp, today: string): Promise<void> {
  t.clock.set(new Date(`${today}T09:00:00+02:00`));
  const agency = bearer(await t.token('agency'));
  const policy = await t.http().post('/api/v1/medicines/NULOJIX/policies').set(agency).send({
    effectiveFrom: today, mode: 'capped', monthlyCap: 50, quotaPool: 20, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }, { code: 'tma-cni', kind: 'urgent' }],
  });
  expect(policy.status).toBe(201);
  const period = today.slice(0, 7);
  // The demo's waiting request at this centre would head the new period's queue: withdraw it, so the race is for all 20 slots.
  const prescriber = bearer(await t.token(PRESCRIBER));
  const waiting = await t.http().get('/api/v1/initiation-requests?status=waitlisted').set(prescriber);
  for (const r of waiting.body.items as { id: string }[]) expect((await t.http().post(`/api/v1/initiation-requests/${r.id}/withdraw`).set(prescriber).send({})).status).toBe(200);
  const centres = await t.http().get('/api/v1/establishments?limit=500').set(agency);
  for (const c of centres.body.items as { finess: string }[]) {
    const res = await t.http().put(`/api/v1/establishments/${c.finess}/followed-patients/${period}`).set(agency).send({ count: c.finess === NECKER ? 3000 : 0 });
    expect(res.status).toBe(200);
  }
}

async function registerPatients(t: TestApp, from: number, n: number): Promise<string[]> {
  const token = bearer(await t.token(PRESCRIBER));
  const out: string[] = [];
  for (let i = from; i < from + n; i++) {
    const res = await t.http().post('/api/v1/patients').set(token).send({ nir: withNirKey(`1850575${String(100000 + i)}`), birthDate: '1985-05-01', sex: 'M', weightKg: 70 });
    expect(res.status).toBe(201);
    out.push(res.body.pseudonym);
  }
  return out;
}

function body(patient: string) {
  return { medicine: 'NULOJIX', indication: 'chronic-dysfunction-cni', patient, justification: 'Toxicité chronique des anticalcineurines.', weightKg: 70 };
}

async function countersOf(t: TestApp, period: string): Promise<{ quotaGranted: number; used: number; granted: number }> {
  const p = DB_KIND === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  const [row] = await t.dataSource.query(`SELECT quota_granted FROM period_allocations WHERE medicine = ${p[0]} AND period = ${p[1]}`, ['NULOJIX', period]);
  const [centre] = await t.dataSource.query(`SELECT SUM(used) AS used FROM centre_allocations WHERE medicine = ${p[0]} AND period = ${p[1]}`, ['NULOJIX', period]);
  const [granted] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM initiation_requests WHERE medicine = ${p[0]} AND period = ${p[1]} AND status = 'granted'`, ['NULOJIX', period]);
  return { quotaGranted: Number(row.quota_granted), used: Number(centre.used), granted: Number(granted.n) };
}

describe(`no over-allocation: 200 concurrent requests for 20 slots, one instance (${DB_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('grants exactly 20 and waitlists 180 with their reason; the counters agree', async () => {
    await twentySlotPeriod(t, '2024-03-04');
    const patients = await registerPatients(t, 0, 200);
    const token = bearer(await t.token(PRESCRIBER));
    const answers = await Promise.all(patients.map((p) => t.http().post('/api/v1/initiation-requests').set(token).send(body(p))));
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const granted = answers.filter((a) => a.body.status === 'granted');
    const waitlisted = answers.filter((a) => a.body.status === 'waitlisted');
    expect(granted).toHaveLength(20);
    expect(waitlisted).toHaveLength(180);
    expect(new Set(waitlisted.map((a) => a.body.reason.code))).toEqual(new Set(['CENTRE_QUOTA_EXHAUSTED']));
    expect(waitlisted[0]!.body.reason.message).toMatch(/^centre quota for 2024-03 used: 20 of 20; next slot expected 2024-\d\d$/);
    expect(new Set(granted.map((a) => a.body.policyVersion))).toEqual(new Set([7]));
    expect(await countersOf(t, '2024-03')).toEqual({ quotaGranted: 20, used: 20, granted: 20 });
    // The centre's queue numbers the 180 in the order they were decided, each rank once, none skipped: 2…181, after
    // the rank 1 of the demo's request withdrawn above (a queue's ranks are not given twice).
    expect(waitlisted.map((a) => a.body.rank).sort((a, b) => a - b)).toEqual(Array.from({ length: 180 }, (_, i) => i + 2));
  });

  it('of 20 concurrent requests for one patient, decides one: the others are refused naming it, nothing else written', async () => {
    const [patient] = await registerPatients(t, 500, 1);
    const token = bearer(await t.token(PRESCRIBER));
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.http().post('/api/v1/initiation-requests').set(token).send(body(patient!))));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(new Set(refused.map((a) => a.status))).toEqual(new Set([409]));
    expect(new Set(refused.map((a) => a.body.code))).toEqual(new Set(['PATIENT_ALREADY_REQUESTING']));
    for (const a of refused) expect(a.body.errors).toEqual([{ field: 'patient', reason: `open request ${created[0]!.body.id}` }]);
    const p = DB_KIND === 'postgres' ? '$1' : '?';
    const [rows] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM initiation_requests WHERE patient = ${p}`, [patient]);
    expect(Number(rows.n)).toBe(1);
    const [events] = await t.dataSource.query(`SELECT (SELECT COUNT(*) FROM audit_events WHERE action = 'initiation-request.submitted' AND entity_id = ${p}) + (SELECT COUNT(*) FROM audit_pending WHERE action = 'initiation-request.submitted' AND entity_id = ${p}) AS n`, DB_KIND === 'postgres' ? [created[0]!.body.id] : [created[0]!.body.id, created[0]!.body.id]);
    expect(Number(events.n)).toBe(1);
  });
});

if (DB_KIND === 'postgres') {
  describe('no over-allocation: two app instances on one PostgreSQL database', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('grants exactly 20 of 200 requests split across both instances', async () => {
      await twentySlotPeriod(t, '2024-03-04');
      const patients = await registerPatients(t, 1000, 200);
      const second = await startSecondInstance(t);
      try {
        const token = bearer(await t.token(PRESCRIBER));
        const answers = await Promise.all(patients.map((p, i) => (i % 2 === 0 ? t.http() : second.http()).post('/api/v1/initiation-requests').set(token).send(body(p))));
        expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
        expect(answers.filter((a) => a.body.status === 'granted')).toHaveLength(20);
        expect(answers.filter((a) => a.body.status === 'waitlisted')).toHaveLength(180);
        // Both instances granted some: the race really was between two processes' pools.
        const byInstance = [0, 1].map((k) => answers.filter((a, i) => i % 2 === k && a.body.status === 'granted').length);
        expect(byInstance[0]! + byInstance[1]!).toBe(20);
        expect(await countersOf(t, '2024-03')).toEqual({ quotaGranted: 20, used: 20, granted: 20 });
      } finally {
        await second.close();
      }
    });
  });
}
