import { ALLOCATION_HOOKS, AllocationHooks } from '../../src/common/contracts/allocation-hooks';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

describe(`allocation: initiation requests, centre quotas, allocations (${DB_KIND})`, () => {
  let t: TestApp;
  let nextNir = 0;
  const as = async (user: string) => bearer(await t.token(user));
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  async function patientAt(finess: string): Promise<string> {
    nextNir += 1;
    const res = await t.http().post('/api/v1/patients').set(await as(`prescriber-${finess}`)).send({ nir: withNirKey(`2790633${String(100000 + nextNir)}`), birthDate: '1979-06-01', sex: 'F', weightKg: 64 });
    expect(res.status).toBe(201);
    return res.body.pseudonym as string;
  }

  async function submit(finess: string, indication: string, patient?: string) {
    return t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${finess}`)).send({ medicine: M, indication, patient: patient ?? (await patientAt(finess)), justification: 'Toxicité des anticalcineurines documentée.', weightKg: 64 });
  }

  async function publish(effectiveFrom: string, policy: object) {
    const res = await t.http().post(`/api/v1/medicines/${M}/policies`).set(await as('agency')).send({ effectiveFrom, ...policy });
    expect(res.status).toBe(201);
    return res.body.version as number;
  }

  async function neckerRow(period: string) {
    const res = await t.http().get(`/api/v1/medicines/${M}/allocations/${period}`).set(await as(`pui-${NECKER}`));
    expect(res.status).toBe(200);
    return res.body.centres[0] as { finess: string; slots: number; used: number };
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('grants quota requests while the centre has slots, then waitlists naming the numbers; each decision audited with its policy version', async () => {
    const row = await neckerRow('2023-05');
    expect(row.finess).toBe(NECKER);
    const granted = [];
    for (let i = row.used; i < row.slots; i++) granted.push(await submit(NECKER, 'chronic-dysfunction-cni'));
    for (const g of granted) expect(g.body).toMatchObject({ status: 'granted', period: '2023-05', policyVersion: 4, reason: { code: 'GRANTED_QUOTA' } });
    const waiting = await submit(NECKER, 'chronic-dysfunction-cni');
    expect(waiting.status).toBe(201);
    expect(waiting.body).toMatchObject({
      id: expect.any(String), status: 'waitlisted', period: '2023-05', policyVersion: 4, rank: expect.any(Number),
      reason: { code: 'CENTRE_QUOTA_EXHAUSTED', message: `centre quota for 2023-05 used: ${row.slots} of ${row.slots}; next slot expected 2023-06` },
    });
    const audit = await t.http().get(`/api/v1/audit?entityId=${waiting.body.id}`).set(await as('agency'));
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'initiation-request.submitted', after: expect.objectContaining({ status: 'waitlisted', policyVersion: 4, reason: waiting.body.reason }) })]);
  });

  it('lets the centre rank its own waiting queue; another centre gets a 404, a granted request a 409', async () => {
    const a = await submit(NECKER, 'chronic-dysfunction-cni');
    const b = await submit(NECKER, 'chronic-dysfunction-cni');
    expect(b.body.rank).toBe(a.body.rank + 1);
    const moved = await t.http().put(`/api/v1/initiation-requests/${b.body.id}/rank`).set(await as(`prescriber-${NECKER}`)).send({ rank: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body.rank).toBe(1);
    const list = await t.http().get(`/api/v1/initiation-requests?status=waitlisted&medicine=${M}`).set(await as(`prescriber-${NECKER}`));
    const ranks = (list.body.items as { id: string; rank: number }[]).sort((x, y) => x.rank - y.rank);
    expect(ranks[0]!.id).toBe(b.body.id);
    expect(ranks.map((r) => r.rank)).toEqual(ranks.map((_, i) => i + 1));
    const foreign = await t.http().put(`/api/v1/initiation-requests/${b.body.id}/rank`).set(await as(`prescriber-${LYON}`)).send({ rank: 1 });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('REQUEST_NOT_FOUND');
    const grantedOne = (await t.http().get('/api/v1/initiation-requests?status=granted').set(await as(`prescriber-${NECKER}`))).body.items[0];
    const conflict = await t.http().put(`/api/v1/initiation-requests/${grantedOne.id}/rank`).set(await as(`prescriber-${NECKER}`)).send({ rank: 1 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('RANK_NOT_CHANGEABLE');
    const bad = await t.http().put(`/api/v1/initiation-requests/${b.body.id}/rank`).set(await as(`prescriber-${NECKER}`)).send({ rank: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'rank', reason: 'must be a positive integer' }]);
  });

  it('withdrawing a granted request gives its slot to the head of the centre queue', async () => {
    const before = await neckerRow('2023-05');
    const waiting = (await t.http().get('/api/v1/initiation-requests?status=waitlisted').set(await as(`prescriber-${NECKER}`))).body.items as { id: string; rank: number }[];
    const head = waiting.sort((x, y) => x.rank - y.rank)[0]!;
    const granted = (await t.http().get('/api/v1/initiation-requests?status=granted').set(await as(`prescriber-${NECKER}`))).body.items.find((r: { kind: string }) => r.kind === 'quota');
    const res = await t.http().post(`/api/v1/initiation-requests/${granted.id}/withdraw`).set(await as(`prescriber-${NECKER}`)).send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', reason: { code: 'WITHDRAWN', message: 'withdrawn on 2023-05-15' } });
    const promoted = await t.http().get(`/api/v1/initiation-requests/${head.id}`).set(await as(`prescriber-${NECKER}`));
    expect(promoted.body).toMatchObject({ status: 'granted', rank: null, reason: { code: 'GRANTED_QUOTA' } });
    expect(await neckerRow('2023-05')).toEqual(before);
    const again = await t.http().post(`/api/v1/initiation-requests/${granted.id}/withdraw`).set(await as(`prescriber-${NECKER}`)).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REQUEST_NOT_WITHDRAWABLE');
  });

  describe('refusals: a clear 4xx problem with a reason code, nothing written', () => {
    it('an indication the policy in force does not enable (422 INDICATION_NOT_ENABLED)', async () => {
      const patient = await patientAt(NECKER);
      const n = await count('initiation_requests');
      const res = await submit(NECKER, 'kidney-transplant', patient);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'INDICATION_NOT_ENABLED', detail: 'Indication kidney-transplant is not enabled for NULOJIX by policy version 4.', errors: [{ field: 'indication', reason: 'not enabled by policy version 4' }] });
      expect(await count('initiation_requests')).toBe(n);
    });

    it('a patient of another establishment (404), an unknown medicine (404), a bad weight (400)', async () => {
      const lyonPatient = await patientAt(LYON);
      const n = await count('initiation_requests');
      const foreign = await submit(NECKER, 'chronic-dysfunction-cni', lyonPatient);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('PATIENT_NOT_FOUND');
      const unknown = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${NECKER}`)).send({ medicine: 'NOPE', indication: 'x', patient: lyonPatient, justification: 'x', weightKg: 60 });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('MEDICINE_NOT_FOUND');
      const weight = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${LYON}`)).send({ medicine: M, indication: 'tma-cni', patient: lyonPatient, justification: 'x', weightKg: -3, extra: 1 });
      expect(weight.status).toBe(400);
      expect(weight.body.errors).toEqual(expect.arrayContaining([{ field: 'weightKg', reason: 'must be a positive number' }, { field: 'extra', reason: 'is not a known field' }]));
      expect(await count('initiation_requests')).toBe(n);
    });

    it('a patient already requesting (409), then already treated once the grant started (409)', async () => {
      const patient = await patientAt(LYON);
      const first = await submit(LYON, 'tma-cni', patient);
      expect(first.body.status).toBe('pending_review');
      const n = await count('initiation_requests');
      const twice = await submit(LYON, 'rescue', patient);
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ code: 'PATIENT_ALREADY_REQUESTING', errors: [{ field: 'patient', reason: `open request ${first.body.id}` }] });
      const vote = await t.http().post(`/api/v1/initiation-requests/${first.body.id}/votes`).set(await as('committee-1')).send({ decision: 'approve', rationale: 'MAT documentée.' });
      expect(vote.body.status).toBe('granted');
      const hooks = t.app.get<AllocationHooks>(ALLOCATION_HOOKS);
      const lyonPrescriber = { userId: 'x', username: `prescriber-${LYON}`, role: 'prescriber' as const, establishment: LYON, specialty: 'nephrology' };
      const started = await t.app.get(UnitOfWork).run((manager) => hooks.startGrant(manager, lyonPrescriber, first.body.id, '00000000-0000-4000-8000-000000000001', '2023-05-16'));
      expect(started).toEqual({ requestId: first.body.id, medicine: M, indication: 'tma-cni', patient, establishment: LYON, policyVersion: 4 });
      const treated = await submit(LYON, 'rescue', patient);
      expect(treated.status).toBe(409);
      expect(treated.body.code).toBe('PATIENT_ALREADY_TREATED');
      expect(await count('initiation_requests')).toBe(n);
      const startedTwice = t.app.get(UnitOfWork).run((manager) => hooks.startGrant(manager, lyonPrescriber, first.body.id, 'treatment-2', '2023-05-16'));
      await expect(startedTwice).rejects.toMatchObject({ code: 'REQUEST_NOT_GRANTED', status: 409 });
    });

    it('roles: a pharmacist may not submit (403), the lab may not read requests (403), a prescriber sees only its own', async () => {
      expect((await t.http().post('/api/v1/initiation-requests').set(await as(`pui-${NECKER}`)).send({ medicine: M, indication: 'tma-cni', patient: 'P-X', justification: 'x', weightKg: 60 })).status).toBe(403);
      expect((await t.http().get('/api/v1/initiation-requests').set(await as('lab'))).status).toBe(403);
      const mine = await t.http().get('/api/v1/initiation-requests?limit=500').set(await as(`prescriber-${LYON}`));
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(new Set(mine.body.items.map((r: { establishment: string }) => r.establishment))).toEqual(new Set([LYON]));
      const neckerOne = (await t.http().get('/api/v1/initiation-requests').set(await as(`prescriber-${NECKER}`))).body.items[0];
      expect((await t.http().get(`/api/v1/initiation-requests/${neckerOne.id}`).set(await as(`pui-${LYON}`))).status).toBe(404);
    });
  });

  it('shows the allocation of a period: agency sees every centre, a pharmacist only its own; compute is idempotent', async () => {
    const agency = await t.http().get(`/api/v1/medicines/${M}/allocations/2023-05`).set(await as('agency'));
    expect(agency.status).toBe(200);
    expect(agency.body).toMatchObject({ medicine: M, period: '2023-05', policyVersion: 4, mode: 'capped', nationalCapacity: 50, quotaPool: 20 });
    expect(agency.body.centres.reduce((s: number, c: { slots: number }) => s + c.slots, 0)).toBe(20);
    expect(agency.body.centres[0]).toEqual({ finess: expect.any(String), followedPatients: expect.any(Number), entitlement: expect.any(Number), creditBefore: 0, slots: expect.any(Number), used: expect.any(Number), creditAfter: expect.any(Number), carriedSlots: 0 });
    const first = await t.http().post(`/api/v1/medicines/${M}/allocations/2023-05/compute`).set(await as('agency')).send({});
    const second = await t.http().post(`/api/v1/medicines/${M}/allocations/2023-05/compute`).set(await as('agency')).send({});
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body).toEqual(agency.body);
    const own = await t.http().get(`/api/v1/medicines/${M}/allocations/2023-05`).set(await as(`pui-${LYON}`));
    expect(own.body.centres.map((c: { finess: string }) => c.finess)).toEqual([LYON]);
    expect((await t.http().post(`/api/v1/medicines/${M}/allocations/2023-05/compute`).set(await as(`pui-${LYON}`)).send({})).status).toBe(403);
    const missing = await t.http().get(`/api/v1/medicines/${M}/allocations/2023-09`).set(await as('agency'));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ALLOCATION_NOT_FOUND');
    expect((await t.http().get(`/api/v1/medicines/${M}/allocations/2023-13`).set(await as('agency'))).body.code).toBe('PERIOD_INVALID');
  });

  it('carries credits into the next period: creditBefore is the previous creditAfter, slots still sum to the pool', async () => {
    t.clock.set(new Date('2023-06-01T09:00:00+02:00'));
    const may = (await t.http().get(`/api/v1/medicines/${M}/allocations/2023-05`).set(await as('agency'))).body;
    const june = await t.http().post(`/api/v1/medicines/${M}/allocations/2023-06/compute`).set(await as('agency')).send({});
    expect(june.status).toBe(200);
    const mayCredit = new Map(may.centres.map((c: { finess: string; creditAfter: number }) => [c.finess, c.creditAfter]));
    for (const c of june.body.centres) {
      expect(c.creditBefore).toBeCloseTo(mayCredit.get(c.finess) as number, 12);
      expect(c.creditAfter).toBeCloseTo(c.creditBefore + c.entitlement - c.slots, 9);
    }
    expect(june.body.centres.reduce((s: number, c: { slots: number }) => s + c.slots, 0)).toBe(20);
    // Necker's May waiting requests head the June queue: served when the period was computed.
    expect(june.body.quotaGranted).toBeGreaterThan(0);
    const audit = await t.http().get('/api/v1/audit?action=initiation-request.granted-from-queue').set(await as('agency'));
    expect(audit.body.items.filter((e: { after: { period: string } }) => e.after.period === '2023-06').length).toBe(june.body.quotaGranted);
  });

  it('a version taking effect mid-period: full monthly figures, less what the period had already granted (SPEC §3)', async () => {
    t.clock.set(new Date('2024-02-05T09:00:00+01:00'));
    // Necker's waiting queue would head the new period: withdraw it so the grant below is the period's first.
    for (const r of (await t.http().get('/api/v1/initiation-requests?status=waitlisted&limit=500').set(await as(`prescriber-${NECKER}`))).body.items) {
      expect((await t.http().post(`/api/v1/initiation-requests/${r.id}/withdraw`).set(await as(`prescriber-${NECKER}`)).send({})).status).toBe(200);
    }
    const v7 = await publish('2024-02-05', { mode: 'capped', monthlyCap: 50, quotaPool: 20, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }, { code: 'tma-cni', kind: 'urgent' }] });
    const granted = await submit(NECKER, 'chronic-dysfunction-cni');
    expect(granted.body).toMatchObject({ status: 'granted', policyVersion: v7, period: '2024-02' });
    const before = (await t.http().get(`/api/v1/medicines/${M}/allocations/2024-02`).set(await as('agency'))).body;
    t.clock.set(new Date('2024-02-20T09:00:00+01:00'));
    const v8 = await publish('2024-02-20', { mode: 'capped', monthlyCap: 40, quotaPool: 10, indications: [{ code: 'chronic-dysfunction-cni', kind: 'quota' }, { code: 'tma-cni', kind: 'urgent' }] });
    const after = await t.http().post(`/api/v1/medicines/${M}/allocations/2024-02/compute`).set(await as('agency')).send({});
    expect(after.body).toMatchObject({ policyVersion: v8, nationalCapacity: 40, quotaPool: 10, quotaGranted: before.quotaGranted, urgentGranted: before.urgentGranted });
    expect(after.body.centres.reduce((s: number, c: { slots: number }) => s + c.slots, 0)).toBe(10);
    const byFiness = new Map(before.centres.map((c: { finess: string; used: number; creditBefore: number }) => [c.finess, c]));
    for (const c of after.body.centres) {
      const old = byFiness.get(c.finess) as { used: number; creditBefore: number };
      expect(c.used).toBe(old.used);
      expect(c.creditBefore).toBe(old.creditBefore);
      expect(c.slots).toBeGreaterThanOrEqual(c.used);
    }
    const recomputed = await t.http().get(`/api/v1/audit?entityId=${M}/2024-02&action=allocation.recomputed`).set(await as('agency'));
    expect(recomputed.body.items).toEqual([expect.objectContaining({ before: expect.objectContaining({ policyVersion: v7 }), after: expect.objectContaining({ policyVersion: v8 }) })]);
    const next = await submit(NECKER, 'chronic-dysfunction-cni');
    expect(next.body.policyVersion).toBe(v8);
  });

  it('freed-stock: an approved urgent request waits for capacity; the lab supply and a declared stop serve the queue', async () => {
    t.clock.set(new Date('2024-03-01T09:00:00+01:00'));
    const v9 = await publish('2024-03-01', { mode: 'freed-stock', indications: [{ code: 'tma-cni', kind: 'urgent' }] });
    const hooks = t.app.get<AllocationHooks>(ALLOCATION_HOOKS);
    await t.app.get(UnitOfWork).run(async (manager) => {
      await expect(hooks.requiresRequest(manager, M, 'tma-cni', '2024-03-01')).resolves.toBe(true);
      await expect(hooks.requiresRequest(manager, M, 'tma-cni', '2024-01-15')).resolves.toBe(false);
    });
    const decide = async () => {
      const r = await submit(LYON, 'tma-cni');
      return (await t.http().post(`/api/v1/initiation-requests/${r.body.id}/votes`).set(await as('committee-1')).send({ decision: 'approve', rationale: 'MAT sous tacrolimus.' })).body;
    };
    const first = await decide();
    expect(first).toMatchObject({ status: 'waitlisted', policyVersion: v9, reason: { code: 'NATIONAL_CAPACITY_EXHAUSTED', message: 'national capacity for 2024-03 used: 0 of 0; the request heads the 2024-04 queue' } });
    const alert = await t.http().get(`/api/v1/audit?entityId=${first.id}&action=agency.alert.urgent-waitlisted`).set(await as('agency'));
    expect(alert.body.items).toHaveLength(1);

    expect((await t.http().post(`/api/v1/medicines/${M}/initiation-supply`).set(await as('agency')).send({ period: '2024-03', initiations: 1 })).status).toBe(403);
    const supply = await t.http().post(`/api/v1/medicines/${M}/initiation-supply`).set(await as('lab')).send({ period: '2024-03', initiations: 1 });
    expect(supply.status).toBe(201);
    expect(supply.body).toEqual({ medicine: M, period: '2024-03', initiations: 1, extraCapacity: 1, nationalCapacity: 1, granted: [first.id] });
    expect((await t.http().get(`/api/v1/initiation-requests/${first.id}`).set(await as('agency'))).body).toMatchObject({ status: 'granted', reason: { code: 'GRANTED_URGENT', message: 'granted after committee approval: national initiation 1 of 1 for 2024-03' } });

    const second = await decide();
    expect(second.status).toBe('waitlisted');
    const pharmacist = { userId: 'x', username: `pui-${LYON}`, role: 'pharmacist' as const, establishment: LYON, specialty: null };
    const stop = { treatmentId: 'treatment-stopped-1', medicine: M, establishment: LYON, date: '2024-03-01' };
    await t.app.get(UnitOfWork).run((manager) => hooks.treatmentStopped(manager, pharmacist, stop));
    await t.app.get(UnitOfWork).run((manager) => hooks.treatmentStopped(manager, pharmacist, stop));
    expect((await t.http().get(`/api/v1/initiation-requests/${second.id}`).set(await as('agency'))).body.status).toBe('granted');
    const march = (await t.http().get(`/api/v1/medicines/${M}/allocations/2024-03`).set(await as('agency'))).body;
    expect(march).toMatchObject({ mode: 'freed-stock', freedCapacity: 1, extraCapacity: 1, nationalCapacity: 2, urgentGranted: 2 });
  });

  it('the jobs are registered and expire grants not started within startWithinDays, releasing the slot', async () => {
    const { JobRegistry } = await import('../../src/common/contracts/job-registry');
    const jobs = t.app.get(JobRegistry);
    expect(jobs.names()).toEqual(expect.arrayContaining(['allocation.compute', 'committee.overdue', 'grants.expire', 'freed-stock.serve-queue']));
    t.clock.set(new Date('2024-04-15T09:00:00+02:00'));
    const expired = (await jobs.get('grants.expire')!({})) as { expired: string[] };
    expect(expired.expired.length).toBeGreaterThan(0);
    const one = await t.http().get(`/api/v1/initiation-requests/${expired.expired[0]}`).set(await as('agency'));
    expect(one.body).toMatchObject({ status: 'expired', reason: { code: 'GRANT_EXPIRED' } });
    expect(((await jobs.get('grants.expire')!({})) as { expired: string[] }).expired).toEqual([]);
    const computed = await jobs.get('allocation.compute')!({ period: '2024-04' });
    expect(computed).toEqual([{ medicine: M, period: '2024-04', policyVersion: expect.any(Number), mode: 'freed-stock' }]);
  });
});
