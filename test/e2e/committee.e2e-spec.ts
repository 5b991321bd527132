import { AuditService } from '../../src/audit/audit.service';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { SYSTEM_ACTOR } from '../../src/common/domain/roles';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

const TENON = withFinessKey('75990002'); // committee-2's establishment
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

describe(`committee: urgent requests, votes, national capacity (${DB_KIND})`, () => {
  let t: TestApp;
  let nextNir = 0;
  const as = async (user: string) => bearer(await t.token(user));

  async function urgent(finess: string, indication = 'tma-cni') {
    nextNir += 1;
    const patient = await t.http().post('/api/v1/patients').set(await as(`prescriber-${finess}`)).send({ nir: withNirKey(`1720869${String(200000 + nextNir)}`), birthDate: '1972-08-01', sex: 'M', weightKg: 81 });
    expect(patient.status).toBe(201);
    const res = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${finess}`)).send({ medicine: M, indication, patient: patient.body.pseudonym, justification: 'MAT sous tacrolimus à J10.', weightKg: 81 });
    expect(res.status).toBe(201);
    return res.body;
  }
  const vote = async (member: string, id: string, decision: 'approve' | 'reject', rationale = 'Critères de l’indication remplis.') =>
    t.http().post(`/api/v1/initiation-requests/${id}/votes`).set(await as(member)).send({ decision, rationale });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('an urgent request waits for the committee, with its deadline; the queue is oldest first, pseudonymised, without the member’s own establishment', async () => {
    const r = await urgent(TENON);
    expect(r).toMatchObject({ status: 'pending_review', policyVersion: 4, deadline: '2023-05-17T08:00:00.000Z', reason: { code: 'PENDING_COMMITTEE_REVIEW', message: 'awaiting the expert committee: 1 vote(s) needed by 2023-05-17T08:00:00.000Z' } });
    const own = await t.http().get('/api/v1/committee/queue').set(await as('committee-2'));
    expect(own.status).toBe(200);
    expect(own.body.items.map((i: { id: string }) => i.id)).not.toContain(r.id);
    const other = await t.http().get('/api/v1/committee/queue').set(await as('committee-1'));
    const item = other.body.items.find((i: { id: string }) => i.id === r.id);
    expect(item).toEqual({ id: r.id, medicine: M, patient: expect.stringMatching(/^P-/), indication: 'tma-cni', justification: 'MAT sous tacrolimus à J10.', weightKg: 81, submittedAt: '2023-05-15T08:00:00.000Z', deadline: '2023-05-17T08:00:00.000Z', overdue: false, votesRequired: 1, votes: [], votedByMe: false });
    const times = other.body.items.map((i: { submittedAt: string }) => i.submittedAt);
    expect(times).toEqual([...times].sort());
    expect(JSON.stringify(other.body)).not.toMatch(/nir/i);
    expect((await t.http().get('/api/v1/committee/queue').set(await as(`prescriber-${LYON}`))).status).toBe(403);
  });

  it('a member of the same establishment gets a 404 on the request and on voting; a member of another approves and it is granted', async () => {
    const r = await urgent(TENON);
    expect((await t.http().get(`/api/v1/initiation-requests/${r.id}`).set(await as('committee-2'))).status).toBe(404);
    const own = await vote('committee-2', r.id, 'approve');
    expect(own.status).toBe(404);
    expect(own.body.code).toBe('REQUEST_NOT_FOUND');
    expect((await vote(`prescriber-${LYON}`, r.id, 'approve')).status).toBe(403);
    const empty = await vote('committee-1', r.id, 'approve', '');
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'rationale', reason: 'must not be empty' }]);
    const blank = await vote('committee-1', r.id, 'approve', '   ');
    expect(blank.status).toBe(422);
    expect(blank.body.code).toBe('RATIONALE_REQUIRED');
    const ok = await vote('committee-1', r.id, 'approve');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ id: r.id, status: 'granted', policyVersion: 4, reason: { code: 'GRANTED_URGENT' }, votes: [{ decision: 'approve', rationale: 'Critères de l’indication remplis.', votedAt: expect.any(String) }] });
    const twice = await vote('committee-1', r.id, 'approve');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_VOTED');
    const decided = await vote('committee-3', r.id, 'reject');
    expect(decided.status).toBe(409);
    expect(decided.body.code).toBe('NOT_PENDING_REVIEW');
    const audit = await t.http().get(`/api/v1/audit?entityId=${r.id}`).set(await as('agency'));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['initiation-request.submitted', 'committee.voted', 'initiation-request.decided']);
    expect(audit.body.items[2].after).toMatchObject({ status: 'granted', policyVersion: 4, reason: ok.body.reason, approvals: 1 });
  });

  it('a reject vote rejects, with its reason', async () => {
    const r = await urgent(LYON, 'rescue');
    const res = await vote('committee-2', r.id, 'reject', 'Pas d’impasse thérapeutique documentée.');
    expect(res.body).toMatchObject({ status: 'rejected', reason: { code: 'COMMITTEE_REJECTED', message: 'rejected by the expert committee: 1 reject vote(s) of 1 needed' } });
  });

  it('needs the policy’s number of approvals; approved with no capacity left, it waits heading the next period’s queue, and is granted there first', async () => {
    t.clock.set(new Date('2024-03-04T09:00:00+01:00'));
    const published = await t.http().post(`/api/v1/medicines/${M}/policies`).set(await as('agency')).send({ effectiveFrom: '2024-03-04', mode: 'capped', monthlyCap: 1, quotaPool: 0, indications: [{ code: 'tma-cni', kind: 'urgent' }], committee: { votesRequired: 2, deadlineHours: 24 } });
    expect(published.status).toBe(201);
    const a = await urgent(LYON);
    expect(a.deadline).toBe('2024-03-05T08:00:00.000Z');
    expect((await vote('committee-1', a.id, 'approve')).body).toMatchObject({ status: 'pending_review' });
    expect((await vote('committee-2', a.id, 'approve')).body).toMatchObject({ status: 'granted', reason: { message: 'granted after committee approval: national initiation 1 of 1 for 2024-03' } });
    const b = await urgent(LYON);
    await vote('committee-1', b.id, 'approve');
    const waiting = await vote('committee-3', b.id, 'approve');
    expect(waiting.body).toMatchObject({ status: 'waitlisted', period: '2024-03', reason: { code: 'NATIONAL_CAPACITY_EXHAUSTED', message: 'national capacity for 2024-03 used: 1 of 1; the request heads the 2024-04 queue' } });
    const alerts = await t.http().get('/api/v1/audit?action=agency.alert.urgent-waitlisted').set(await as('agency'));
    expect(alerts.body.items.map((e: { entityId: string }) => e.entityId)).toContain(b.id);

    t.clock.set(new Date('2024-04-01T09:00:00+02:00'));
    const c = await urgent(LYON);
    expect(c.status).toBe('pending_review');
    await vote('committee-1', c.id, 'approve');
    const late = await vote('committee-2', c.id, 'approve');
    // April's allocation was created on C's decision: B, waiting since March, was served first and took April's one initiation.
    expect(late.body).toMatchObject({ status: 'waitlisted', reason: { code: 'NATIONAL_CAPACITY_EXHAUSTED' } });
    const served = await t.http().get(`/api/v1/initiation-requests/${b.id}`).set(await as(`prescriber-${LYON}`));
    expect(served.body).toMatchObject({ status: 'granted', period: '2024-04', reason: { code: 'GRANTED_URGENT' } });
  });

  it('reports overdue reviews every day, once a day (job committee.overdue)', async () => {
    const pending = await urgent(LYON);
    t.clock.set(new Date('2024-04-03T09:00:00+02:00'));
    const job = t.app.get(JobRegistry).get('committee.overdue')!;
    const report = (await job({})) as { date: string; overdue: { id: string }[] };
    expect(report.date).toBe('2024-04-03');
    expect(report.overdue.map((o) => o.id)).toContain(pending.id);
    await job({});
    const events = await t.http().get('/api/v1/audit?action=committee.overdue-reported').set(await as('agency'));
    expect(events.body.items.filter((e: { entityId: string }) => e.entityId === 'committee-overdue/2024-04-03')).toHaveLength(1);
    const queue = await t.http().get('/api/v1/committee/queue').set(await as('committee-1'));
    expect(queue.body.items.find((i: { id: string }) => i.id === pending.id)).toMatchObject({ overdue: true, votesRequired: 2 });
  });

  it('counts an overdue report still waiting for the audit sequencer as written (no second one that day)', async () => {
    const audit = t.app.get(AuditService);
    const entityId = 'committee-overdue/2099-01-01';
    await t.app.get(UnitOfWork).run(async (manager) => {
      await audit.record(manager, SYSTEM_ACTOR, { action: 'committee.overdue-reported', entity: 'committee', entityId, after: { date: '2099-01-01', overdue: [] }, establishment: null });
      // Not chained yet: until this transaction commits the event waits in audit_pending (PostgreSQL) or with the run (SQLite).
      expect(Number((await manager.query("SELECT COUNT(*) AS n FROM audit_events WHERE entity_id = 'committee-overdue/2099-01-01'"))[0].n)).toBe(0);
      expect(await audit.hasEvent(manager, 'committee', entityId)).toBe(true);
      expect(await audit.hasEvent(manager, 'committee', 'committee-overdue/2099-01-02')).toBe(false);
    });
    expect(await audit.hasEvent(t.dataSource.manager, 'committee', entityId)).toBe(true);
  });
});
