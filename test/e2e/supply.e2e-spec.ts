import { withFinessKey } from '../../src/common/domain/finess';
import { BELATACEPT_SCHEDULE_6, administrationsInPeriod, vialsNeeded } from '../../src/medicines/domain/dosing-schedule';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');

interface Row { start_date: string; weight_kg: number | string; stop_date: string | null }

describe(`supply and projection (${DB_KIND})`, () => {
  let t: TestApp;
  const count = async (table: string, where = '1 = 1'): Promise<number> =>
    Number((await t.dataSource.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))[0]?.n);
  const post = async (body: object, username = 'lab') => t.http().post('/api/v1/medicines/NULOJIX/supply').set(bearer(await t.token(username))).send(body);
  const projection = async (query = '', username = 'agency', lang?: string) => {
    const req = t.http().get(`/api/v1/medicines/NULOJIX/projection${query}`).set(bearer(await t.token(username)));
    return lang ? req.set('Accept-Language', lang) : req;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has the demo declaration of the current period', async () => {
    const res = await t.http().get('/api/v1/medicines/NULOJIX/supply').set(bearer(await t.token('agency')));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ medicine: 'NULOJIX', version: 1, at: '2023-05-01', declaredBy: 'demo' });
    expect(res.body.expected).toHaveLength(11);
    expect(res.body.expected[0]).toEqual({ period: '2023-06', units: expect.any(Number) });
  });

  it('lets the lab declare a new version, audited with the previous one as before', async () => {
    const auditBefore = await count('audit_events', "action = 'supply.declare'");
    const res = await post({ stockUnits: 5000, at: '2023-05-15', pharmacyStockUnits: 400, expected: [{ period: '2023-07', units: 900 }, { period: '2023-06', units: 1200 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ medicine: 'NULOJIX', version: 2, stockUnits: 5000, at: '2023-05-15', pharmacyStockUnits: 400, declaredBy: 'lab' });
    expect(res.body.expected).toEqual([{ period: '2023-06', units: 1200 }, { period: '2023-07', units: 900 }]);
    const events = await t.dataSource.query<{ entity_id: string; before: string | null; after: string }[]>("SELECT entity_id, before, after FROM audit_events WHERE action = 'supply.declare' ORDER BY seq");
    expect(events).toHaveLength(auditBefore + 1);
    const last = events[events.length - 1]!;
    expect(JSON.parse(last.after)).toMatchObject({ version: 2, stockUnits: 5000 });
    expect(JSON.parse(last.before ?? 'null')).toMatchObject({ version: 1, declaredBy: 'demo' });
    const current = await t.http().get('/api/v1/medicines/NULOJIX/supply').set(bearer(await t.token('lab')));
    expect(current.body).toEqual(res.body);
    const versions = await t.http().get('/api/v1/medicines/NULOJIX/supply/versions').set(bearer(await t.token('agency')));
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body.nextCursor).toBeNull();
  });

  it('projects the continuing patients’ need from the declared treatments, with the cap and its sentence', async () => {
    await post({ stockUnits: 5000, at: '2023-05-15', pharmacyStockUnits: 400, expected: [{ period: '2023-06', units: 1200 }, { period: '2023-07', units: 900 }] });
    const res = await projection('?horizon=6');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({ medicine: 'NULOJIX', horizon: 6, at: '2023-05-15', stockUnits: 5000, pharmacyStockUnits: 400, supplyVersion: 3 });
    expect(body.periods.map((p: { period: string }) => p.period)).toEqual(['2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10']);
    for (const p of body.periods) expect(Object.keys(p)).toEqual(expect.arrayContaining(['period', 'continuationUnits', 'initiationUnits', 'supplyUnits', 'stockAfter']));
    // The continuing patients of the demo, each administration's vials from the stock date on (6 mg/kg from 2022-08).
    const rows = await t.dataSource.query<Row[]>("SELECT start_date, weight_kg, stop_date FROM treatments WHERE medicine = 'NULOJIX' AND (stop_date IS NULL OR stop_date > '2023-05-15')");
    expect(rows.length).toBeGreaterThan(100);
    expect(body.activeTreatments).toBe(rows.length);
    const may = rows.reduce((sum, r) => sum + vialsNeeded(administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_6, startDate: r.start_date, weightKg: Number(r.weight_kg), period: '2023-05', activeFrom: '2023-05-15', stopDate: r.stop_date })), 0);
    // No stop is expected in the first period: its need is exactly the administrations'.
    expect(body.periods[0].continuationUnits).toBe(may);
    // Stock bookkeeping: 5000 + 400 in pharmacies (the sentence states the total on hand), then supply − continuations − initiations at the pace.
    let stock = 5400;
    for (const p of body.periods) {
      stock += p.supplyUnits - p.continuationUnits - p.initiationUnits;
      expect(p.stockAfter).toBe(stock);
    }
    expect(body.periods[1].supplyUnits).toBe(1200);
    // The pace is the published cap in force (50 from the 2022-08 version on).
    expect(body.pace).toEqual({ initiationsPerPeriod: body.policyMonthlyCap, source: 'policy-cap' });
    expect(body.sustainableMonthlyInitiations).toBeGreaterThan(0);
    expect(body.stopRate.monthly).toBeGreaterThanOrEqual(0);
    expect(body.explanation).toMatch(/^With 5,400 units on 15 May 2023 and 2,100 expected from May 2023 to October 2023, the \d+ continuing patients/);
    expect(body.explanation).toContain(`the stock sustains ${body.sustainableMonthlyInitiations} initiations a month`);
    const fr = await projection('?horizon=6', 'lab', 'fr-FR,fr;q=0.9');
    expect(fr.status).toBe(200);
    expect(fr.body.explanation).toMatch(/^Avec 5\u202f400 unités au 15\/05\/2023/);
    expect(fr.body.sustainableMonthlyInitiations).toBe(body.sustainableMonthlyInitiations);
    const cap = await projection('');
    expect(cap.body.horizon).toBe(12);
    expect(cap.body.periods).toHaveLength(12);
  });

  it('never lowers the cap for more stock, and gives none when continuations alone run out', async () => {
    await post({ stockUnits: 5000, at: '2023-05-15', expected: [] });
    const base = (await projection('?horizon=6')).body;
    await post({ stockUnits: 50_000, at: '2023-05-15', expected: [] });
    const more = (await projection('?horizon=6')).body;
    expect(more.sustainableMonthlyInitiations).toBeGreaterThan(base.sustainableMonthlyInitiations);
    await post({ stockUnits: 10, at: '2023-05-15', expected: [] });
    const short = (await projection('?horizon=6')).body;
    expect(short.sustainableMonthlyInitiations).toBe(0);
    expect(short.continuationStockOutPeriod).toBe('2023-05');
    expect(short.stockOutPeriod).toBe('2023-05');
    expect(short.explanationCode).toBe('PROJECTION_CONTINUATIONS_SHORT');
  });

  it('lets the lab write, the agency and the lab read, and no other role (SPEC §1)', async () => {
    for (const username of [`pui-${NECKER}`, `prescriber-${NECKER}`, 'committee-1']) {
      expect((await t.http().get('/api/v1/medicines/NULOJIX/supply').set(bearer(await t.token(username)))).status).toBe(403);
      expect((await t.http().get('/api/v1/medicines/NULOJIX/supply/versions').set(bearer(await t.token(username)))).status).toBe(403);
      expect((await projection('', username)).status).toBe(403);
      expect((await post({ stockUnits: 1, at: '2023-05-15', expected: [] }, username)).status).toBe(403);
    }
    expect((await post({ stockUnits: 1, at: '2023-05-15', expected: [] }, 'agency')).status).toBe(403);
    expect((await t.http().get('/api/v1/medicines/NULOJIX/projection')).status).toBe(401);
    expect((await t.http().get('/api/v1/medicines/NOPE/projection').set(bearer(await t.token('lab')))).status).toBe(404);
    expect((await post({ stockUnits: 1, at: '2023-05-15', expected: [] }).then(async () => t.http().post('/api/v1/medicines/NOPE/supply').set(bearer(await t.token('lab'))).send({ stockUnits: 1, at: '2023-05-15', expected: [] }))).status).toBe(404);
  });

  it('refuses bad input with a problem naming the field, writing nothing', async () => {
    const rows = await count('supply_declarations');
    const audits = await count('audit_events');
    const cases: [object, number, string][] = [
      [{ stockUnits: -1, at: '2023-05-15', expected: [] }, 400, 'stockUnits'],
      [{ stockUnits: 1.5, at: '2023-05-15', expected: [] }, 400, 'stockUnits'],
      [{ stockUnits: 10, at: '15/05/2023', expected: [] }, 400, 'at'],
      [{ stockUnits: 10, at: '2023-05-15', expected: [{ period: '2023-13', units: 5 }] }, 400, 'expected[0].period'],
      [{ stockUnits: 10, at: '2023-05-15', expected: [{ period: '2023-06', units: -5 }] }, 400, 'expected[0].units'],
      [{ stockUnits: 10, at: '2023-05-15', expected: [], extra: 1 }, 400, 'extra'],
      [{ stockUnits: 10, at: '2023-05-16', expected: [] }, 422, 'at'],
      [{ stockUnits: 10, at: '2023-02-30', expected: [] }, 422, 'at'],
      [{ stockUnits: 10, at: '2023-05-15', expected: [{ period: '2023-04', units: 5 }] }, 422, 'expected[0].period'],
      [{ stockUnits: 10, at: '2023-05-15', expected: [{ period: '2023-06', units: 5 }, { period: '2023-06', units: 7 }] }, 422, 'expected[1].period'],
      [{ stockUnits: 10, at: '2023-05-15', expected: [], pharmacyStockUnits: 'many' }, 400, 'pharmacyStockUnits'],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const horizon = await projection('?horizon=0');
    expect(horizon.status).toBe(400);
    expect(horizon.body.errors.map((e: { field: string }) => e.field)).toEqual(['horizon']);
    expect((await projection('?horizon=37')).status).toBe(400);
    expect(await count('supply_declarations')).toBe(rows);
    expect(await count('audit_events')).toBe(audits);
  });
});
