import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(180_000);

/**
 * SPEC §3: the reference timeline of Nulojix replayed through HTTP, each policy version taking
 * effect on its date: 2022-08 freed stock with the committee, 2023-02-14 widened indications,
 * 2023-05-09 the monthly cap with centre quotas, 2023-10-02 limits lifted with declarations and
 * order justification kept, 2024-01-11 the monthly recap that finds a patient moved between two
 * establishments without a declared transfer.
 */
const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

describe(`the Nulojix timeline end to end (${DB_KIND})`, () => {
  let t: TestApp;
  let n = 0;
  const as = async (user: string) => bearer(await t.token(user));
  const at = (iso: string) => t.clock.set(new Date(iso));

  async function patient(finess: string, body13?: string, weightKg = 70): Promise<string> {
    n += 1;
    const nir = withNirKey(body13 ?? `1650169${String(300000 + n)}`);
    const res = await t.http().post('/api/v1/patients').set(await as(`prescriber-${finess}`)).send({ nir, birthDate: '1965-01-15', sex: 'M', weightKg });
    expect([200, 201]).toContain(res.status);
    return res.body.pseudonym as string;
  }

  const request = async (finess: string, indication: string, pseudonym: string) =>
    t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${finess}`)).send({ medicine: M, indication, patient: pseudonym, justification: 'Dossier complet, discuté en RCP.', weightKg: 70 });

  const vote = async (member: string, id: string, decision: 'approve' | 'reject') =>
    t.http().post(`/api/v1/initiation-requests/${id}/votes`).set(await as(member)).send({ decision, rationale: 'Indication urgente documentée.' });

  beforeAll(async () => {
    t = await startTestApp({ CONTINGENT_NOW: '2022-07-20T10:00:00+02:00' });
  });
  afterAll(async () => {
    await t.close();
  });

  let activeAtNecker: string;
  let stoppedPatient: string;
  let waitingUrgent: string;

  it('2022-07, unrestricted (version 1): an initiation is granted at once and declared as a treatment', async () => {
    const p = await patient(NECKER);
    stoppedPatient = p;
    const r = await request(NECKER, 'kidney-transplant', p);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'granted', period: '2022-07', policyVersion: 1 });
    const started = await t.http().post('/api/v1/treatments').set(await as(`pui-${NECKER}`)).send({ request: r.body.id, startDate: '2022-07-20', weightKg: 70 });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'active' });
    activeAtNecker = started.body.id;
    const after = await t.http().get(`/api/v1/initiation-requests/${r.body.id}`).set(await as(`prescriber-${NECKER}`));
    expect(after.body.status).toBe('started');
  });

  it('2022-08, freed stock (version 2): urgent requests go to the committee; with no stock freed an approved one waits', async () => {
    at('2022-08-10T10:00:00+02:00');
    const notYet = await request(LYON, 'rescue', await patient(LYON));
    expect(notYet.status).toBe(422);
    expect(notYet.body.code).toBe('INDICATION_NOT_ENABLED');
    const urgent = await request(LYON, 'pnf-cni', await patient(LYON));
    expect(urgent.status).toBe(201);
    expect(urgent.body).toMatchObject({ status: 'pending_review', period: '2022-08', policyVersion: 2 });
    const queue = await t.http().get('/api/v1/committee/queue').set(await as('committee-1'));
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(urgent.body.id);
    const decided = await vote('committee-1', urgent.body.id, 'approve');
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({ status: 'waitlisted', reason: { code: 'NATIONAL_CAPACITY_EXHAUSTED' } });
    waitingUrgent = urgent.body.id;
  });

  it('2022-08: a declared stop frees one initiation and serves the waiting urgent request', async () => {
    const stop = await t.http().post(`/api/v1/treatments/${activeAtNecker}/stop`).set(await as(`pui-${NECKER}`)).send({ date: '2022-08-10', reason: 'adverse_event' });
    expect([200, 201]).toContain(stop.status);
    expect(stop.body.status).toBe('stopped');
    const served = await t.http().get(`/api/v1/initiation-requests/${waitingUrgent}`).set(await as(`prescriber-${LYON}`));
    expect(served.body).toMatchObject({ status: 'granted', period: '2022-08' });
    const allocation = await t.http().get(`/api/v1/medicines/${M}/allocations/2022-08`).set(await as('agency'));
    expect(allocation.body).toMatchObject({ mode: 'freed-stock', policyVersion: 2, urgentGranted: 1, nationalCapacity: 1 });
  });

  it('2023-02-14 (version 3): the rescue indication is enabled from its first day, not the day before', async () => {
    at('2023-02-13T10:00:00+01:00');
    expect((await request(LYON, 'rescue', await patient(LYON))).body.code).toBe('INDICATION_NOT_ENABLED');
    at('2023-02-14T10:00:00+01:00');
    const rescue = await request(LYON, 'rescue', await patient(LYON));
    expect(rescue.status).toBe(201);
    expect(rescue.body).toMatchObject({ status: 'pending_review', policyVersion: 3 });
  });

  it('2023-05-09 (version 4): 50 a month, the quota pool of 20 split by followed patients, urgent first', async () => {
    at('2023-05-09T09:00:00+02:00');
    const computed = await t.http().post(`/api/v1/medicines/${M}/allocations/2023-05/compute`).set(await as('agency'));
    expect([200, 201]).toContain(computed.status);
    const a = computed.body as { mode: string; policyVersion: number; nationalCapacity: number; quotaPool: number; urgentGranted: number; quotaGranted: number; centres: { finess: string; followedPatients: number; entitlement: number; slots: number; used: number }[] };
    expect(a).toMatchObject({ mode: 'capped', policyVersion: 4, nationalCapacity: 50, quotaPool: 20 });
    expect(a.centres.reduce((s, c) => s + c.slots, 0)).toBe(20);
    const total = a.centres.reduce((s, c) => s + c.followedPatients, 0);
    for (const c of a.centres) {
      expect(c.entitlement).toBeCloseTo((20 * c.followedPatients) / total, 9);
      expect(Math.abs(c.slots - c.entitlement)).toBeLessThan(1);
    }
    const biggest = [...a.centres].sort((x, y) => y.followedPatients - x.followedPatients)[0]!;
    expect(biggest.finess).toBe(NECKER);
    expect(biggest.slots).toBe(Math.max(...a.centres.map((c) => c.slots)));
    expect(a.urgentGranted + a.quotaGranted).toBeLessThanOrEqual(50);
    expect(a.quotaGranted).toBeLessThanOrEqual(20);

    const q = await request(NECKER, 'chronic-dysfunction-cni', await patient(NECKER));
    expect(q.status).toBe(201);
    expect(['granted', 'waitlisted']).toContain(q.body.status);
    expect(q.body.policyVersion).toBe(4);
    const after = await t.http().get(`/api/v1/medicines/${M}/allocations/2023-05`).set(await as('agency'));
    expect(after.body.quotaGranted).toBeLessThanOrEqual(20);
    expect(after.body.urgentGranted + after.body.quotaGranted).toBeLessThanOrEqual(50);
  });

  it('2023-10-02 (version 5): limits lifted, yet declarations and order justification are kept', async () => {
    at('2023-10-02T10:00:00+02:00');
    const p = await patient(NECKER);
    const r = await request(NECKER, 'chronic-dysfunction-cni', p);
    expect(r.body).toMatchObject({ status: 'granted', policyVersion: 5 });
    const started = await t.http().post('/api/v1/treatments').set(await as(`pui-${NECKER}`)).send({ request: r.body.id, startDate: '2023-10-02', weightKg: 70 });
    expect(started.status).toBe(201);
    const unjustified = await t.http().post('/api/v1/orders').set(await as(`pui-${NECKER}`)).send({ medicine: M, period: '2023-10', quantity: 3, lines: [] });
    expect(unjustified.status).toBeGreaterThanOrEqual(400);
    expect(unjustified.status).toBeLessThan(500);
    const justified = await t.http().post('/api/v1/orders').set(await as(`pui-${NECKER}`)).send({ medicine: M, period: '2023-10', quantity: 9, lines: [{ patient: p }] });
    expect(justified.status).toBe(201);
    // 70 kg × 10 mg/kg = 700 mg → 3 vials, on days 1, 5, 14 and 28: 02, 06, 15 and 29 October → 12 vials.
    expect(justified.body).toMatchObject({ need: 12, status: 'submitted' });
  });

  it('2024-01-11 (version 6): the monthly recap finds a patient moved between two establishments without a declared transfer', async () => {
    at('2024-01-15T10:00:00+01:00');
    const body = '1650175400777';
    const moved = await patient(NECKER, body);
    const r = await request(NECKER, 'kidney-transplant', moved);
    expect(r.body).toMatchObject({ status: 'granted', policyVersion: 6 });
    expect((await t.http().post('/api/v1/treatments').set(await as(`pui-${NECKER}`)).send({ request: r.body.id, startDate: '2024-01-15', weightKg: 70 })).status).toBe(201);
    // The patient then turns up at Lyon, registered again there: same NIR, same pseudonym.
    expect(await patient(LYON, body)).toBe(moved);
    at('2024-02-05T10:00:00+01:00');
    for (const finess of [NECKER, LYON]) {
      // Necker also lists the patient whose treatment it stopped in August 2022.
      const extra = finess === NECKER ? [{ patient: stoppedPatient, administrations: 1, vials: 2 }] : [];
      const recap = await t.http().post('/api/v1/recaps').set(await as(`pui-${finess}`)).send({ medicine: M, period: '2024-01', patients: [{ patient: moved, administrations: 2, vials: 6 }, ...extra] });
      expect(recap.status).toBe(201);
    }
    at('2024-02-12T10:00:00+01:00');
    const run = await t.http().post(`/api/v1/reconciliations/${M}/2024-01/run`).set(await as('agency'));
    expect([200, 201]).toContain(run.status);
    const duplicates = (run.body.discrepancies as { kind: string; establishment: string; patient: string }[]).filter((d) => d.kind === 'DUPLICATE_ACROSS_ESTABLISHMENTS' && d.patient === moved);
    expect(duplicates.map((d) => d.establishment).sort()).toEqual([NECKER, LYON].sort());
    const stopped = (run.body.discrepancies as { kind: string; establishment: string; patient: string; detail: string }[]).filter((d) => d.patient === stoppedPatient);
    expect(stopped).toEqual([expect.objectContaining({ kind: 'STOPPED_BUT_ORDERED', establishment: NECKER, detail: expect.stringContaining('2022-08-10') })]);
  });
});
