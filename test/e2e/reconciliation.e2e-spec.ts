import { SYSTEM_ACTOR } from '../../src/common/domain/roles';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { OrderFact, TreatmentFact, TreatmentFacts } from '../../src/common/contracts/treatment-facts';
import { DEMO_CENTRES } from '../../src/demo/demo-centres';
import { demoNir } from '../../src/demo/demo-seeder.service';
import { withFinessKey } from '../../src/common/domain/finess';
import { JOB_BACKEND } from '../../src/jobs/backends/job-backend';
import { InProcessBackend } from '../../src/jobs/backends/in-process.backend';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');
const NECKER_NIR_0 = demoNir('75', DEMO_CENTRES.findIndex((c) => c.body === '75990001'), 0);

/**
 * Treatments and orders as the TREATMENT_FACTS contract gives them, standing in for the
 * treatments/orders module so that the reconciliation is checked end to end on its own.
 */
class FixtureFacts implements TreatmentFacts {
  treatments: TreatmentFact[] = [];
  orders: OrderFact[] = [];
  async treatmentsInPeriod(medicine: string): Promise<TreatmentFact[]> {
    return this.treatments.filter((t) => t.medicine === medicine);
  }
  async ordersInPeriod(medicine: string, period: string): Promise<OrderFact[]> {
    return this.orders.filter((o) => o.medicine === medicine && o.period === period);
  }
}

function treatment(patient: string, establishment: string): TreatmentFact {
  return { id: `t-${patient}`, patient, medicine: 'NULOJIX', establishment, status: 'active', startDate: '2023-01-10', stopDate: null, stopReason: null, weightKg: 70, transfers: [] };
}

describe(`reconciliation (${DB_KIND})`, () => {
  let t: TestApp;
  const facts = new FixtureFacts();
  let recapPatients: Map<string, string[]>;
  let missingCentre: string;
  const idle = () => t.app.get<InProcessBackend>(JOB_BACKEND).idle();
  const get = async (username: string, period = '2023-04') => t.http().get(`/api/v1/reconciliations/NULOJIX/${period}`).set(bearer(await t.token(username)));

  beforeAll(async () => {
    t = await startTestApp();
    const lines: { establishment: string; patient: string }[] = await t.dataSource.query(
      "SELECT r.establishment AS establishment, l.patient AS patient FROM recap_lines l JOIN recaps r ON r.id = l.recap_id WHERE r.medicine = 'NULOJIX' AND r.period = '2023-04' ORDER BY l.line",
    );
    recapPatients = new Map();
    for (const l of lines) recapPatients.set(l.establishment, [...(recapPatients.get(l.establishment) ?? []), l.patient]);
    const march: { establishment: string }[] = await t.dataSource.query("SELECT establishment FROM recaps WHERE medicine = 'NULOJIX' AND period = '2023-03' ORDER BY establishment");
    missingCentre = march.map((r) => r.establishment).find((e) => !recapPatients.has(e)) as string;
    // Every recap patient is declared where its recap lists it, except at Lyon, whose first patient is not.
    for (const [establishment, patients] of recapPatients) {
      for (const patient of patients) if (!(establishment === LYON && patient === patients[0])) facts.treatments.push(treatment(patient, establishment));
    }
    // Necker treats a fifth patient that its recap leaves out.
    const neckerAll = await t.http().get('/api/v1/patients?limit=10').set(bearer(await t.token(`pui-${NECKER}`)));
    const fifth = neckerAll.body.items.map((p: { pseudonym: string }) => p.pseudonym).find((p: string) => !(recapPatients.get(NECKER) ?? []).includes(p));
    facts.treatments.push(treatment(fifth, NECKER));
    facts.orders.push(
      { id: 'o1', establishment: NECKER, medicine: 'NULOJIX', period: '2023-04', status: 'confirmed', quantity: 60, need: 12, lines: [] },
      { id: 'o2', establishment: missingCentre, medicine: 'NULOJIX', period: '2023-04', status: 'submitted', quantity: 8, need: 8, lines: [] },
      { id: 'o3', establishment: LYON, medicine: 'NULOJIX', period: '2023-04', status: 'refused', quantity: 500, need: 8, lines: [] },
    );
    t.app.get(JobRegistry).register('reconciliation.run', async (payload) => {
      const result = await t.app.get(ReconciliationService).reconcileWith(SYSTEM_ACTOR, payload.medicine as string, payload.period as string, facts);
      return { discrepancies: result.discrepancies.length };
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no result before it runs (404 problem)', async () => {
    const res = await get('lab');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('RECONCILIATION_NOT_FOUND');
  });

  it('finds each kind of discrepancy, naming the establishment, the patient and why', async () => {
    await t.app.get(ReconciliationService).reconcileWith(SYSTEM_ACTOR, 'NULOJIX', '2023-04', facts);
    const res = await get('lab');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ medicine: 'NULOJIX', period: '2023-04', runAt: expect.any(String) });
    const d: { kind: string; establishment: string; patient: string | null; detail: string }[] = res.body.discrepancies;
    const lyonFirst = (recapPatients.get(LYON) ?? [])[0];
    expect(d).toContainEqual({ kind: 'UNDECLARED_PATIENT', establishment: LYON, patient: lyonFirst, detail: expect.stringContaining('no treatment of this patient is declared') });
    expect(d).toContainEqual({ kind: 'MISSING_FROM_RECAP', establishment: NECKER, patient: expect.any(String), detail: expect.stringContaining('is not in the 2023-04 recap (4 patients listed)') });
    expect(d).toContainEqual({ kind: 'ORDER_EXCEEDS_NEED', establishment: NECKER, patient: null, detail: expect.stringContaining('1 order for 2023-04 total 60 vials') });
    expect(d).toContainEqual({ kind: 'ORDER_WITHOUT_RECAP', establishment: missingCentre, patient: null, detail: '1 order for 2023-04 total 8 vials, but no recap was received for the period.' });
    expect(d).toContainEqual({ kind: 'RECAP_MISSING', establishment: missingCentre, patient: null, detail: expect.stringContaining('No 2023-04 recap was received') });
    expect(d.filter((x) => x.establishment === LYON && x.kind.startsWith('ORDER'))).toEqual([]); // a refused order does not count
  });

  it('gives the same rows when run again, never duplicated', async () => {
    const before = (await get('lab')).body;
    await t.app.get(ReconciliationService).reconcileWith(SYSTEM_ACTOR, 'NULOJIX', '2023-04', facts);
    const after = (await get('lab')).body;
    expect(after.discrepancies).toEqual(before.discrepancies);
    const rows = await t.dataSource.query("SELECT COUNT(*) AS n FROM reconciliation_discrepancies WHERE medicine = 'NULOJIX' AND period = '2023-04'");
    expect(Number(rows[0].n)).toBe(after.discrepancies.length);
    const audit = await t.http().get('/api/v1/audit?entityId=NULOJIX:2023-04').set(bearer(await t.token('agency')));
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'reconciliation.run')).toHaveLength(2);
  });

  it('shows a pharmacist only its own establishment\'s discrepancies, and no prescriber or committee member', async () => {
    const own = await get(`pui-${NECKER}`);
    expect(own.status).toBe(200);
    expect(own.body.discrepancies.length).toBeGreaterThan(0);
    expect(own.body.discrepancies.every((x: { establishment: string }) => x.establishment === NECKER)).toBe(true);
    expect((await get(`prescriber-${NECKER}`)).status).toBe(403);
    expect((await get('committee-1')).status).toBe(403);
  });

  it('runs again when a late recap arrives, and then finds the patient counted twice', async () => {
    // Lyon lists Necker's patient by NIR after the 10 May deadline.
    const res = await t.http().post('/api/v1/recaps').set(bearer(await t.token(`pui-${LYON}`))).send({
      medicine: 'NULOJIX', period: '2023-04',
      patients: [...(recapPatients.get(LYON) ?? []).map((patient) => ({ patient, administrations: 1, vials: 2 })), { patient: NECKER_NIR_0, administrations: 1, vials: 2 }],
    });
    expect(res.status).toBe(201);
    expect(res.body.reconciliationJob).toEqual(expect.stringContaining('+recap-'));
    await idle();
    const after = (await get('agency')).body.discrepancies as { kind: string; establishment: string; patient: string | null }[];
    const twice = after.filter((x) => x.kind === 'DUPLICATE_ACROSS_ESTABLISHMENTS');
    expect(twice.map((x) => x.establishment).sort()).toEqual([NECKER, LYON].sort());
    expect(new Set(twice.map((x) => x.patient)).size).toBe(1);
  });

  it('refuses a period that has not ended, a malformed one, and any role but the agency; without TREATMENT_FACTS a run is a 503 problem', async () => {
    const agency = await t.token('agency');
    const notEnded = await t.http().post('/api/v1/reconciliations/NULOJIX/2023-05/run').set(bearer(agency));
    expect(notEnded.status).toBe(422);
    expect(notEnded.body.code).toBe('RECONCILIATION_PERIOD_NOT_ENDED');
    expect((await t.http().post('/api/v1/reconciliations/NULOJIX/2023-4/run').set(bearer(agency))).status).toBe(400);
    expect((await t.http().post('/api/v1/reconciliations/NULOJIX/2023-04/run').set(bearer(await t.token('lab')))).status).toBe(403);
    const run = await t.http().post('/api/v1/reconciliations/NULOJIX/2023-04/run').set(bearer(agency));
    if (t.app.get(ReconciliationService).factsAvailable) {
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ medicine: 'NULOJIX', period: '2023-04', discrepancies: expect.any(Array) });
    } else {
      expect(run.status).toBe(503);
      expect(run.body).toMatchObject({ code: 'RECONCILIATION_FACTS_UNAVAILABLE', status: 503 });
    }
  });
});
