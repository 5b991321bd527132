import { TREATMENT_FACTS, TreatmentFacts } from '../../src/common/contracts/treatment-facts';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

/**
 * Declarations of SPEC §5 through HTTP: a start from a grant and a direct start where the policy
 * needs no request, a stop, a transfer that moves the treatment with the patient's pseudonym, and
 * who sees what of it afterwards.
 */
const NECKER = withFinessKey('75990001');
const TENON = withFinessKey('75990002');
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

describe(`treatments (${DB_KIND})`, () => {
  let t: TestApp;
  let n = 0;
  const as = async (user: string) => bearer(await t.token(user));
  const count = async (sql: string, params: unknown[]) => Number((await t.dataSource.query(DB_KIND === 'postgres' ? sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`) : sql, params))[0].n);

  async function patient(finess: string, weightKg = 70): Promise<string> {
    n += 1;
    const res = await t.http().post('/api/v1/patients').set(await as(`pui-${finess}`)).send({ nir: withNirKey(`1700475${String(400000 + n)}`), birthDate: '1970-04-01', sex: 'M', weightKg });
    expect(res.status).toBe(201);
    return res.body.pseudonym as string;
  }

  const start = async (user: string, body: object) => t.http().post('/api/v1/treatments').set(await as(user)).send(body);
  /** Version 5 keeps initiations registered on the platform: the start goes through a request, granted at once. */
  async function registeredStart(finess: string, p: string, startDate: string, weightKg: number) {
    const r = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${finess}`)).send({ medicine: M, indication: 'kidney-transplant', patient: p, justification: 'Greffe rénale.', weightKg });
    expect(r.body.status).toBe('granted');
    return start(`pui-${finess}`, { request: r.body.id, startDate, weightKg });
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('starting', () => {
    it('refuses a direct start that needs a request (capped 2023-05-15, urgent rescue), naming the version and the kind, writing nothing', async () => {
      const p = await patient(NECKER);
      const res = await start(`pui-${NECKER}`, { medicine: M, indication: 'rescue', patient: p, startDate: '2023-05-15', weightKg: 70 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'REQUEST_REQUIRED', errors: [{ field: 'request' }] });
      expect(res.body.detail).toContain('policy version 4');
      expect(res.body.detail).toContain('rescue (urgent)');
      expect(await count('SELECT COUNT(*) AS n FROM treatments WHERE patient = ?', [p])).toBe(0);
    });

    it('starts directly where the policy needs no request (unrestricted, no platform registration, 2024-01), links the patient, audits it', async () => {
      t.clock.set(new Date('2024-01-20T10:00:00+01:00'));
      const p = await patient(NECKER, 82);
      const res = await start(`prescriber-${NECKER}`, { medicine: M, indication: 'kidney-transplant', patient: p, startDate: '2024-01-12', weightKg: 82 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(String), status: 'active', patient: p, medicine: M, establishment: NECKER, startDate: '2024-01-12', weightKg: 82, policyVersion: 6, request: null, transfers: [] });
      const audit = await t.http().get(`/api/v1/audit?entityId=${res.body.id}`).set(await as('agency'));
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['treatment.started']);
      const again = await start(`pui-${NECKER}`, { medicine: M, indication: 'kidney-transplant', patient: p, startDate: '2024-01-15', weightKg: 82 });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('TREATMENT_ALREADY_ACTIVE');
      const details = await t.http().get(`/api/v1/patients/${p}`).set(await as(`pui-${NECKER}`));
      expect(details.body.treatments.map((x: { id: string }) => x.id)).toEqual([res.body.id]);
      t.clock.set(new Date('2023-11-10T10:00:00+01:00'));
    });

    it('starts from a granted request (the request names medicine, indication and patient) and marks it started', async () => {
      const p = await patient(NECKER);
      const r = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${NECKER}`)).send({ medicine: M, indication: 'rescue', patient: p, justification: 'Impasse thérapeutique.', weightKg: 70 });
      expect(r.status).toBe(201);
      expect(r.body.status).toBe('granted');
      const res = await start(`pui-${NECKER}`, { request: r.body.id, startDate: '2023-11-10', weightKg: 70 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'active', request: r.body.id, patient: p, indication: 'rescue', establishment: NECKER });
      const after = await t.http().get(`/api/v1/initiation-requests/${r.body.id}`).set(await as(`prescriber-${NECKER}`));
      expect(after.body.status).toBe('started');
    });

    it('refuses a body that mixes both forms or misses a field, and bad dates and weights, writing nothing', async () => {
      const p = await patient(NECKER);
      const before = await count('SELECT COUNT(*) AS n FROM treatments', []);
      const mixed = await start(`pui-${NECKER}`, { request: 'x', medicine: M, startDate: '2023-11-01', weightKg: 70 });
      expect(mixed.status).toBe(400);
      expect(mixed.body.errors).toEqual([{ field: 'medicine', reason: 'must be absent when starting from a request (the request names it)' }]);
      const missing = await start(`pui-${NECKER}`, { medicine: M, patient: p, startDate: '2023-11-01', weightKg: 70 });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([{ field: 'indication', reason: 'is required without a request' }]);
      const future = await start(`pui-${NECKER}`, { medicine: M, indication: 'kidney-transplant', patient: p, startDate: '2023-11-11', weightKg: 70 });
      expect(future.status).toBe(422);
      expect(future.body).toMatchObject({ code: 'TREATMENT_DATE_IN_FUTURE', errors: [{ field: 'startDate' }] });
      const weight = await start(`pui-${NECKER}`, { medicine: M, indication: 'kidney-transplant', patient: p, startDate: '2023-11-01', weightKg: -4 });
      expect(weight.status).toBe(422);
      expect(weight.body).toMatchObject({ code: 'TREATMENT_WEIGHT_INVALID', errors: [{ field: 'weightKg', reason: 'must be a positive number of kg, at most 400' }] });
      const unknownIndication = await start(`pui-${NECKER}`, { medicine: M, indication: 'headache', patient: p, startDate: '2023-11-01', weightKg: 70 });
      expect(unknownIndication.status).toBe(422);
      expect(unknownIndication.body.code).toBe('INDICATION_UNKNOWN');
      expect(await count('SELECT COUNT(*) AS n FROM treatments', [])).toBe(before);
    });

    it('hides another establishment\'s patient (404) and forbids the lab and the committee (403)', async () => {
      const lyonPatient = await patient(LYON);
      const res = await start(`pui-${NECKER}`, { medicine: M, indication: 'kidney-transplant', patient: lyonPatient, startDate: '2023-11-01', weightKg: 70 });
      expect(res.status).toBe(404);
      expect((await start('lab', { medicine: M, indication: 'kidney-transplant', patient: lyonPatient, startDate: '2023-11-01', weightKg: 70 })).status).toBe(403);
      expect((await t.http().get('/api/v1/treatments').set(await as('committee-1'))).status).toBe(403);
    });
  });

  describe('stop and transfer', () => {
    let stopped: string;
    let moved: string;
    let movedPatient: string;

    beforeAll(async () => {
      t.clock.set(new Date('2023-11-10T10:00:00+01:00'));
      const a = await registeredStart(NECKER, await patient(NECKER, 64), '2023-10-03', 64);
      movedPatient = await patient(NECKER, 80);
      const b = await registeredStart(NECKER, movedPatient, '2023-10-05', 80);
      expect([a.status, b.status]).toEqual([201, 201]);
      stopped = a.body.id;
      moved = b.body.id;
    });

    it('stops with a date and a reason, audited; a second stop is a 409', async () => {
      const res = await t.http().post(`/api/v1/treatments/${stopped}/stop`).set(await as(`prescriber-${NECKER}`)).send({ date: '2023-11-08', reason: 'adverse_event' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'stopped', stopDate: '2023-11-08', stopReason: 'adverse_event' });
      const again = await t.http().post(`/api/v1/treatments/${stopped}/stop`).set(await as(`pui-${NECKER}`)).send({ date: '2023-11-09', reason: 'other' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('TREATMENT_NOT_ACTIVE');
      const audit = await t.http().get(`/api/v1/audit?entityId=${stopped}`).set(await as('agency'));
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['treatment.started', 'treatment.stopped']);
      expect(audit.body.items[1]).toMatchObject({ before: { status: 'active' }, after: { status: 'stopped', stopReason: 'adverse_event' } });
    });

    it('refuses a stop before the start and an unknown reason', async () => {
      const before = await t.http().post(`/api/v1/treatments/${moved}/stop`).set(await as(`pui-${NECKER}`)).send({ date: '2023-10-01', reason: 'death' });
      expect(before.status).toBe(422);
      expect(before.body).toMatchObject({ code: 'STOP_BEFORE_START', errors: [{ field: 'date' }] });
      const reason = await t.http().post(`/api/v1/treatments/${moved}/stop`).set(await as(`pui-${NECKER}`)).send({ date: '2023-11-01', reason: 'bored' });
      expect(reason.status).toBe(400);
      expect(reason.body.errors[0]).toMatchObject({ field: 'reason' });
    });

    it('refuses a transfer to an unknown establishment and forbids a prescriber from transferring', async () => {
      const unknown = await t.http().post(`/api/v1/treatments/${moved}/transfer`).set(await as(`pui-${NECKER}`)).send({ date: '2023-11-10', toEstablishment: withFinessKey('33990999') });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'TRANSFER_ESTABLISHMENT_UNKNOWN', errors: [{ field: 'toEstablishment' }] });
      const prescriber = await t.http().post(`/api/v1/treatments/${moved}/transfer`).set(await as(`prescriber-${NECKER}`)).send({ date: '2023-11-10', toEstablishment: LYON });
      expect(prescriber.status).toBe(403);
    });

    it('transfers: the treatment moves with the pseudonym, and each establishment sees its part of the history', async () => {
      const res = await t.http().post(`/api/v1/treatments/${moved}/transfer`).set(await as(`pui-${NECKER}`)).send({ date: '2023-11-10', toEstablishment: LYON });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'transferred', establishment: LYON, transferredOn: '2023-11-10', patient: movedPatient });

      const atLyon = await t.http().get(`/api/v1/treatments/${moved}`).set(await as(`pui-${LYON}`));
      expect(atLyon.status).toBe(200);
      expect(atLyon.body).toMatchObject({ status: 'active', establishment: LYON, startDate: '2023-10-05', transfers: [{ date: '2023-11-10', from: NECKER, to: LYON }] });
      // The receiving establishment now sees the patient (same pseudonym); no new initiation was declared.
      expect((await t.http().get(`/api/v1/patients/${movedPatient}`).set(await as(`pui-${LYON}`))).status).toBe(200);
      expect(await count('SELECT COUNT(*) AS n FROM treatments WHERE patient = ?', [movedPatient])).toBe(1);

      const atNecker = await t.http().get(`/api/v1/treatments/${moved}`).set(await as(`pui-${NECKER}`));
      expect(atNecker.body).toMatchObject({ status: 'transferred', establishment: LYON, transferredOn: '2023-11-10' });
      // Necker may read its part, not change the treatment any more.
      const stopAtNecker = await t.http().post(`/api/v1/treatments/${moved}/stop`).set(await as(`pui-${NECKER}`)).send({ date: '2023-11-10', reason: 'other' });
      expect(stopAtNecker.status).toBe(404);
      expect((await t.http().get(`/api/v1/treatments/${moved}`).set(await as(`pui-${TENON}`))).status).toBe(404);

      const audit = await t.http().get(`/api/v1/audit?entityId=${moved}`).set(await as('agency'));
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['treatment.started', 'treatment.transferred']);
    });

    it('a later stop at the receiving establishment stays hidden from the one left', async () => {
      t.clock.set(new Date('2023-11-20T10:00:00+01:00'));
      const res = await t.http().post(`/api/v1/treatments/${moved}/stop`).set(await as(`pui-${LYON}`)).send({ date: '2023-11-20', reason: 'patient_wish' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'stopped', establishment: LYON });
      const atNecker = await t.http().get(`/api/v1/treatments/${moved}`).set(await as(`pui-${NECKER}`));
      expect(atNecker.body).toMatchObject({ status: 'transferred', stopDate: null, stopReason: null });
      t.clock.set(new Date('2023-11-10T10:00:00+01:00'));
    });

    it('lists scoped by establishment and filtered by status, paginated', async () => {
      const transferred = await t.http().get(`/api/v1/treatments?medicine=${M}&status=transferred`).set(await as(`pui-${NECKER}`));
      expect(transferred.status).toBe(200);
      expect(transferred.body.items.map((x: { id: string }) => x.id)).toEqual([moved]);
      const stoppedHere = await t.http().get(`/api/v1/treatments?medicine=${M}&status=stopped&limit=500`).set(await as(`pui-${NECKER}`));
      expect(stoppedHere.body.items.map((x: { id: string }) => x.id)).toContain(stopped);
      expect(stoppedHere.body.items.map((x: { id: string }) => x.id)).not.toContain(moved);
      const all = await t.http().get(`/api/v1/treatments?limit=2`).set(await as(`pui-${NECKER}`));
      expect(all.body.items).toHaveLength(2);
      expect(typeof all.body.nextCursor).toBe('string');
      const everything = await t.http().get(`/api/v1/treatments?limit=500`).set(await as(`pui-${NECKER}`));
      expect(everything.body.items.every((x: { establishment: string; status: string }) => x.establishment === NECKER || x.status === 'transferred')).toBe(true);
      const lab = await t.http().get(`/api/v1/treatments?status=transferred`).set(await as('lab'));
      expect(lab.body.items.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[moved, 'stopped']]);
      expect((await t.http().get(`/api/v1/treatments?status=paused`).set(await as('lab'))).status).toBe(400);
    });

    it('gives reconciliation the facts of a period in one read each (TREATMENT_FACTS)', async () => {
      const facts = t.app.get<TreatmentFacts>(TREATMENT_FACTS);
      const nov = await facts.treatmentsInPeriod(M, '2023-11');
      const byId = new Map(nov.map((f) => [f.id, f]));
      expect(byId.get(moved)).toMatchObject({ establishment: LYON, status: 'stopped', stopDate: '2023-11-20', weightKg: 80, transfers: [{ date: '2023-11-10', from: NECKER, to: LYON }] });
      expect(byId.get(stopped)).toMatchObject({ establishment: NECKER, status: 'stopped', stopDate: '2023-11-08', stopReason: 'adverse_event', transfers: [] });
      // Demo treatments (started 2021–2022) are there too; a treatment stopped before the period is
      // given with its stop date (reconciliation tells STOPPED_BUT_ORDERED from it); none started after the period.
      expect(nov.length).toBeGreaterThan(100);
      const dec = await facts.treatmentsInPeriod(M, '2023-12');
      expect(dec.find((f) => f.id === stopped)).toMatchObject({ status: 'stopped', stopDate: '2023-11-08' });
      expect(await facts.treatmentsInPeriod(M, '2020-12')).toEqual([]);
    });
  });
});
