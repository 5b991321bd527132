import { DEMONSTRAMAB } from '../../src/demo/live-shortage-demo';
import { TestApp, bearer, startTestApp } from '../support/test-app';

/**
 * The live shortage of the demo (issue 17): started on any date, Démonstramab (fictitious) is capped
 * in the current period with quotas, waiting and urgent requests, orders to decide, last month's
 * recaps received and missing, and last month's reconciliation with discrepancies.
 */
describe.each([
  ['the first of a month', '2026-12-01T09:30:00+01:00', '2026-12', '2026-11'],
  ['mid-month', '2027-03-17T15:00:00+01:00', '2027-03', '2027-02'],
])('live shortage demo started on %s', (_label, now, current, previous) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CONTINGENT_DEMO_LIVE: 'true', CONTINGENT_NOW: now });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is capped in the current period, with centre quotas, granted and waitlisted quota requests', async () => {
    const agency = bearer(await t.token('agency'));
    const res = await t.http().get(`/api/v1/medicines/${DEMONSTRAMAB}/allocations/${current}`).set(agency);
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('capped');
    expect(res.body.nationalCapacity).toBe(20);
    const slots = res.body.centres.reduce((s: number, c: { slots: number }) => s + c.slots, 0);
    expect(slots).toBe(14);
    const requests = await t.http().get('/api/v1/initiation-requests').query({ medicine: DEMONSTRAMAB, limit: 100 }).set(agency);
    expect(requests.status).toBe(200);
    const thisMonth = requests.body.items.filter((r: { period: string }) => r.period === current);
    const statuses = thisMonth.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`);
    expect(statuses).toEqual(expect.arrayContaining(['quota:granted', 'quota:waitlisted', 'urgent:pending_review', 'urgent:granted']));
    expect((await t.http().get(`/api/v1/medicines/${DEMONSTRAMAB}/allocations/${previous}`).set(agency)).status).toBe(200);
  });

  it('puts urgent requests with deadlines, one overdue, in the committee queue', async () => {
    const res = await t.http().get('/api/v1/committee/queue').set(bearer(await t.token('committee-2')));
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((r: { medicine: string }) => r.medicine === DEMONSTRAMAB);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((r: { deadline: string | null }) => typeof r.deadline === 'string')).toBe(true);
    expect(mine.some((r: { deadline: string }) => new Date(r.deadline) < new Date(now))).toBe(true);
  });

  it('has orders for the lab to decide, one flagged above need', async () => {
    const res = await t.http().get('/api/v1/orders').query({ medicine: DEMONSTRAMAB, period: current, limit: 100 }).set(bearer(await t.token('lab')));
    expect(res.status).toBe(200);
    const statuses = res.body.items.map((o: { status: string }) => o.status).sort();
    expect(statuses).toEqual(['flagged', 'submitted', 'submitted']);
  });

  it("has last month's recaps received and missing, and its reconciliation with discrepancies", async () => {
    const agency = bearer(await t.token('agency'));
    const recaps = await t.http().get('/api/v1/recaps').query({ medicine: DEMONSTRAMAB, period: previous, limit: 100 }).set(agency);
    expect(recaps.status).toBe(200);
    expect(recaps.body.items).toHaveLength(10);
    const rec = await t.http().get(`/api/v1/reconciliations/${DEMONSTRAMAB}/${previous}`).set(agency);
    expect(rec.status).toBe(200);
    const kinds = new Set(rec.body.discrepancies.map((d: { kind: string }) => d.kind));
    for (const kind of ['RECAP_MISSING', 'UNDECLARED_PATIENT', 'MISSING_FROM_RECAP', 'STOPPED_BUT_ORDERED']) expect(kinds).toContain(kind);
  });

  it('has compassionate-access requests of today at each step', async () => {
    const res = await t.http().get('/api/v1/access-requests').query({ limit: 100 }).set(bearer(await t.token('agency')));
    expect(res.status).toBe(200);
    const today = res.body.items.filter((r: { submittedOn: string }) => r.submittedOn === now.slice(0, 10));
    const statuses = today.map((r: { medicine: string; status: string }) => `${r.medicine}:${r.status}`).sort();
    expect(statuses).toEqual(['QALSODY:authorised', 'QALSODY:meeting_review', 'QALSODY:meeting_review', 'QALSODY:submitted', 'REZUROCK:countersigned', 'REZUROCK:submitted'].sort());
  });
});
