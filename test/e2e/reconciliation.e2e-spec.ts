import { SYSTEM_ACTOR } from '../../src/common/domain/roles';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { EntityManager } from 'typeorm';
import { OrderFact, PeriodFactTables, TreatmentFact, TreatmentFacts } from '../../src/common/contracts/treatment-facts';
import { valuesList } from '../../src/common/database/sql-values';
import { periodBounds } from '../../src/common/domain/period';
import { DEMO_CENTRES } from '../../src/demo/demo-centres';
import { demoNir } from '../../src/demo/demo-seeder.service';
import { withFinessKey } from '../../src/common/domain/finess';
import { JOB_BACKEND } from '../../src/jobs/backends/job-backend';
import { InProcessBackend } from '../../src/jobs/backends/in-process.backend';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { DISCREPANCY_KINDS, ReconcileOrder, ReconcileOrderStatus, ReconcileTreatment, reconcile } from '../../src/reconciliation/domain/reconcile';
import { SESSION_COOKIE } from '../../src/auth/authenticator';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

/** The statuses the pure reference knows; another one counts as refused, as in the SQL. */
const ORDER_STATUSES: readonly ReconcileOrderStatus[] = ['submitted', 'flagged', 'confirmed', 'reduced', 'refused'];

/** A treatment fact as the pure `reconcile` (the reference of the SQL) takes it. */
function toReconcileTreatment(t: TreatmentFact): ReconcileTreatment {
  return {
    patient: t.patient, establishment: t.establishment, startDate: t.startDate, stopDate: t.stopDate,
    transfers: t.transfers.map((x) => ({ date: x.date, fromEstablishment: x.from, toEstablishment: x.to })),
  };
}

/** An order status the reconciliation does not know is left out, like a refused order. */
function toReconcileOrder(o: OrderFact): ReconcileOrder {
  const status = (ORDER_STATUSES as readonly string[]).includes(o.status) ? (o.status as ReconcileOrderStatus) : 'refused';
  return { establishment: o.establishment, status, quantityVials: o.quantity, needVials: o.need, lines: o.lines };
}

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
  /** The same facts, written into the run's tables as the orders module would copy its own. */
  async stagePeriodFacts(manager: EntityManager, medicine: string, period: string, tables: PeriodFactTables): Promise<void> {
    const postgres = manager.connection.options.type === 'postgres';
    const insert = async (table: string, columns: string[], rows: unknown[][]): Promise<void> => {
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesList(postgres, chunk.length, columns.length)}`, chunk.flat());
      }
    };
    const treatments = (await this.treatmentsInPeriod(medicine)).filter((x) => x.startDate <= periodBounds(period).last);
    await insert(tables.treatments, ['id', 'patient', 'establishment', 'start_date', 'stop_date'], treatments.map((x) => [x.id, x.patient, x.establishment, x.startDate, x.stopDate]));
    await insert(tables.transfers, ['treatment_id', 'seq', 'date', 'from_establishment', 'to_establishment'], treatments.flatMap((x) => x.transfers.map((tr, i) => [x.id, i + 1, tr.date, tr.from, tr.to])));
    const orders = await this.ordersInPeriod(medicine, period);
    await insert(tables.orders, ['id', 'establishment', 'status', 'quantity', 'need'], orders.map((o) => [o.id, o.establishment, o.status, o.quantity, o.need]));
    await insert(tables.orderLines, ['order_id', 'patient', 'vials'], orders.flatMap((o) => o.lines.map((l) => [o.id, l.patient, l.vials])));
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
      return { discrepancies: result.discrepancies };
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
    const d: { kind: string; establishment: string; patient: string | null; detail: string; params: object }[] = res.body.discrepancies;
    const lyonFirst = (recapPatients.get(LYON) ?? [])[0];
    expect(d).toContainEqual({ kind: 'UNDECLARED_PATIENT', establishment: LYON, patient: lyonFirst, detail: expect.stringContaining('no treatment of this patient is declared'), params: expect.any(Object) });
    expect(d).toContainEqual({ kind: 'MISSING_FROM_RECAP', establishment: NECKER, patient: expect.any(String), detail: expect.stringContaining('is not in the 2023-04 recap (4 patients listed)'), params: expect.any(Object) });
    expect(d).toContainEqual({ kind: 'ORDER_EXCEEDS_NEED', establishment: NECKER, patient: null, detail: expect.stringContaining('1 order for 2023-04 total 60 vials'), params: expect.any(Object) });
    expect(d).toContainEqual({ kind: 'ORDER_WITHOUT_RECAP', establishment: missingCentre, patient: null, detail: '1 order for 2023-04 total 8 vials, but no recap was received for the period.', params: expect.any(Object) });
    expect(d).toContainEqual({ kind: 'RECAP_MISSING', establishment: missingCentre, patient: null, detail: expect.stringContaining('No 2023-04 recap was received'), params: expect.any(Object) });
    expect(d.filter((x) => x.establishment === LYON && x.kind.startsWith('ORDER'))).toEqual([]); // a refused order does not count
  });

  it('states each discrepancy with its figures in French or English by Accept-Language (code and params unchanged)', async () => {
    const lab = await t.token('lab');
    const en = await t.http().get('/api/v1/reconciliations/NULOJIX/2023-04').set(bearer(lab));
    const fr = await t.http().get('/api/v1/reconciliations/NULOJIX/2023-04').set(bearer(lab)).set('Accept-Language', 'fr-FR,fr;q=0.9');
    type Row = { kind: string; establishment: string; patient: string | null; detail: string; params: Record<string, unknown> };
    const pick = (rows: Row[], kind: string, establishment: string): Row => rows.find((x) => x.kind === kind && x.establishment === establishment) as Row;
    expect(pick(fr.body.discrepancies, 'ORDER_EXCEEDS_NEED', NECKER).params).toEqual(pick(en.body.discrepancies, 'ORDER_EXCEEDS_NEED', NECKER).params);
    expect(pick(en.body.discrepancies, 'ORDER_WITHOUT_RECAP', missingCentre).detail).toBe('1 order for 2023-04 total 8 vials, but no recap was received for the period.');
    expect(pick(fr.body.discrepancies, 'ORDER_WITHOUT_RECAP', missingCentre).detail).toBe('1 commande pour avril 2023, 8 flacons au total, mais aucun récapitulatif n’a été reçu pour la période.');
    const exceeds = pick(en.body.discrepancies, 'ORDER_EXCEEDS_NEED', NECKER);
    expect(exceeds.params).toMatchObject({ orders: 1, vials: 60, base: 'recap' });
    const { baseVials, limitVials, tolerancePct } = exceeds.params as { baseVials: number; limitVials: number; tolerancePct: number };
    expect(exceeds.detail).toBe(`1 order for 2023-04 total 60 vials, above the ${baseVials} vials of the recap plus the ${tolerancePct}% tolerance (at most ${limitVials} vials).`);
    expect(pick(fr.body.discrepancies, 'ORDER_EXCEEDS_NEED', NECKER).detail).toBe(
      `1 commande pour avril 2023, 60 flacons au total, au-delà des ${baseVials} flacons du récapitulatif plus la tolérance de ${tolerancePct} % (au plus ${limitVials} flacons).`,
    );
    const missing = pick(en.body.discrepancies, 'MISSING_FROM_RECAP', NECKER);
    expect(missing.params).toEqual({ patient: missing.patient, from: '2023-01-10', listed: 4 });
    expect(pick(fr.body.discrepancies, 'MISSING_FROM_RECAP', NECKER).detail).toBe(
      `${missing.patient} est déclaré en traitement ici depuis le 10/01/2023 sans arrêt ni transfert avant la fin de avril 2023, mais ne figure pas dans le récapitulatif de avril 2023 (4 patients listés).`,
    );
    const undeclared = pick(fr.body.discrepancies, 'UNDECLARED_PATIENT', LYON);
    expect(undeclared.detail).toMatch(new RegExp(`^${undeclared.patient} figure dans le récapitulatif de avril 2023 \\(\\d+ administrations?, \\d+ flacons?\\) mais aucun traitement de ce patient n’est déclaré ici sur la période : aucun traitement de ce patient n’est déclaré\\.$`));
    expect(JSON.stringify(fr.body)).not.toMatch(/\b\d{13}\b/); // never a NIR
  });

  it('shows the same sentences with their figures on the lab\'s and the pharmacy\'s pages, in French by default and in English', async () => {
    const page = async (path: string, username: string) => {
      const res = await t.http().get(path).set('Cookie', `${SESSION_COOKIE}=${await t.token(username)}`).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      return res.text.replace(/&#39;|&rsquo;/g, '’').replace(/&quot;/g, '"');
    };
    const fr = await page('/laboratoire/rapprochement?medicine=NULOJIX&period=2023-04', 'lab');
    expect(fr).toContain('1 commande pour avril 2023, 8 flacons au total, mais aucun récapitulatif n’a été reçu pour la période.');
    expect(fr).toContain('1 commande pour avril 2023, 60 flacons au total, au-delà des');
    expect(fr).not.toContain('total 60 vials');
    const en = await page('/laboratoire/rapprochement?medicine=NULOJIX&period=2023-04&lang=en', 'lab');
    expect(en).toContain('1 order for 2023-04 total 8 vials, but no recap was received for the period.');
    const own = await page('/etablissement/ecarts?medicine=NULOJIX&period=2023-04', `pui-${NECKER}`);
    expect(own).toMatch(/est déclaré en traitement ici depuis le 10\/01\/2023 sans arrêt ni transfert avant la fin de avril 2023, mais ne figure pas dans le récapitulatif de avril 2023 \(4 patients listés\)/);
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
  it('gives exactly the rows of the pure reconcile (its reference) on random treatments, transfers, stops and orders', async () => {
    const service = t.app.get(ReconciliationService);
    const recapRows: { establishment: string; patient: string | null; administrations: number | string | null; vials: number | string | null }[] = await t.dataSource.query(
      "SELECT r.establishment AS establishment, l.patient AS patient, l.administrations AS administrations, l.vials AS vials FROM recaps r LEFT JOIN recap_lines l ON l.recap_id = r.id WHERE r.medicine = 'NULOJIX' AND r.period = '2023-04'",
    );
    const recaps = new Map<string, { patient: string; administrations: number; vials: number }[]>();
    for (const r of recapRows) {
      const list = recaps.get(r.establishment) ?? [];
      if (r.patient !== null) list.push({ patient: r.patient, administrations: Number(r.administrations), vials: Number(r.vials) });
      recaps.set(r.establishment, list);
    }
    const march: { establishment: string }[] = await t.dataSource.query("SELECT establishment FROM recaps WHERE medicine = 'NULOJIX' AND period = '2023-03'");
    const centres = [...new Set([...recaps.keys(), missingCentre, NECKER, LYON])].sort();
    const patients = [...new Set([...recaps.values()].flat().map((l) => l.patient))];
    const tolerance = (await t.dataSource.query("SELECT order_tolerance_pct AS pct FROM reconciliation_runs WHERE medicine = 'NULOJIX' AND period = '2023-04'"))[0].pct;
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const dates = ['2022-12-20', '2023-03-31', '2023-04-01', '2023-04-12', '2023-04-30', '2023-05-02'];
    const seen = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const random = new FixtureFacts();
      patients.forEach((patient, i) => {
        if (rnd(6) === 0) return;
        const start = rnd(3) === 0 ? '2022-11-02' : (dates[rnd(4)] as string);
        const stop = rnd(3) === 0 ? (dates.filter((x) => x > start)[0] ?? null) : null;
        let at = centres[rnd(centres.length)] as string;
        const transfers: TreatmentFact['transfers'] = [];
        for (const date of dates.filter((x) => x > start && (stop === null || x < stop))) {
          if (rnd(4) !== 0) continue;
          const to = centres[rnd(centres.length)] as string;
          if (to === at) continue;
          transfers.push({ date, from: at, to });
          at = to;
        }
        random.treatments.push({ ...treatment(patient, at), id: `r${round}-${i}`, startDate: start, stopDate: stop, status: stop ? 'stopped' : 'active', transfers });
      });
      centres.forEach((establishment, i) => {
        if (rnd(3) === 0) return;
        const lines = patients.filter(() => rnd(8) === 0).map((patient) => ({ patient, vials: 1 + rnd(4) }));
        const statuses = ['submitted', 'flagged', 'confirmed', 'reduced', 'refused', 'cancelled'];
        random.orders.push({ id: `ro${round}-${i}`, establishment, medicine: 'NULOJIX', period: '2023-04', status: statuses[rnd(statuses.length)] as string, quantity: rnd(40), need: rnd(30), lines });
      });
      await service.reconcileWith(SYSTEM_ACTOR, 'NULOJIX', '2023-04', random);
      const stored = (await get('agency')).body.discrepancies;
      const expected = reconcile({
        period: '2023-04', orderTolerancePct: Number(tolerance), expectedEstablishments: march.map((r) => r.establishment),
        recaps: [...recaps].map(([establishment, list]) => ({ establishment, patients: list })),
        treatments: random.treatments.map(toReconcileTreatment), orders: random.orders.map(toReconcileOrder),
      });
      expect(stored).toEqual(expected);
      for (const x of expected) seen.add(x.kind);
    }
    expect([...seen].sort()).toEqual([...DISCREPANCY_KINDS].sort());
    await service.reconcileWith(SYSTEM_ACTOR, 'NULOJIX', '2023-04', facts);
  });
});
