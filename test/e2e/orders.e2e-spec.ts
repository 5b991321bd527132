import { TREATMENT_FACTS, TreatmentFacts } from '../../src/common/contracts/treatment-facts';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

/**
 * A pharmacy's month (SPEC §5 Order, §6): Necker starts three belatacept treatments, stops one,
 * transfers one to Lyon, orders November 2023 one vial above the need, is flagged, and the lab
 * reduces the order to the need. The clock is 2023-11-10, under the unrestricted version 5
 * (2023-10-02: every indication open, order tolerance 0%).
 *
 * Belatacept induction: 10 mg/kg on days 1, 5, 14, 28, 56, 84 (day N = start + N − 1 days); 250 mg vials.
 *   A, 70 kg, day 1 = 2023-10-20: day 14 = 11-02, day 28 = 11-16 (day 56 = 12-14).
 *       700 mg → ceil(700 / 250) = 3 vials each → November: 2 × 3 = 6 vials.
 *   B, 80 kg, day 1 = 2023-10-05: day 28 = 11-01, day 56 = 11-29.
 *       800 mg → ceil(800 / 250) = 4 vials each. Transferred to Lyon on 11-10:
 *       Necker counts 11-01 only (4 vials), Lyon counts 11-29 (4 vials).
 *   C, 64 kg, day 1 = 2023-10-03: days 5, 14, 28 = 10-07, 10-16, 10-30; day 56 = 11-27.
 *       Stopped 11-08 (adverse event): nothing in November or later.
 *   Necker's November need = 6 (A) + 4 (B) = 10 vials; ordering 11 is 1 vial above it.
 */
const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

describe(`orders: a pharmacy's month (${DB_KIND})`, () => {
  let t: TestApp;
  let n = 0;
  const as = async (user: string) => bearer(await t.token(user));
  const PUI = `pui-${NECKER}`;
  const count = async (sql: string, params: unknown[]) =>
    Number((await t.dataSource.query(DB_KIND === 'postgres' ? sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`) : sql, params))[0].n);
  const ordersAt = (finess: string) => count('SELECT COUNT(*) AS n FROM orders WHERE establishment = ?', [finess]);

  async function patient(finess: string, weightKg: number): Promise<string> {
    n += 1;
    const res = await t.http().post('/api/v1/patients').set(await as(`pui-${finess}`)).send({ nir: withNirKey(`2680133${String(500000 + n)}`), birthDate: '1968-01-15', sex: 'F', weightKg });
    expect(res.status).toBe(201);
    return res.body.pseudonym as string;
  }

  /** Version 5 keeps initiations registered on the platform: each start goes through a request, granted at once. */
  async function startAtNecker(p: string, startDate: string, weightKg: number): Promise<string> {
    const r = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${NECKER}`)).send({ medicine: M, indication: 'kidney-transplant', patient: p, justification: 'Greffe rénale.', weightKg });
    expect(r.body.status).toBe('granted');
    const res = await t.http().post('/api/v1/treatments').set(await as(PUI)).send({ request: r.body.id, startDate, weightKg });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const order = async (user: string, body: object, headers: Record<string, string> = {}) => t.http().post('/api/v1/orders').set(await as(user)).set(headers).send(body);

  let a: string;
  let b: string;
  let c: string;
  let november: string;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set(new Date('2023-11-10T10:00:00+01:00'));
    [a, b, c] = [await patient(NECKER, 70), await patient(NECKER, 80), await patient(NECKER, 64)];
    await startAtNecker(a, '2023-10-20', 70);
    const treatmentB = await startAtNecker(b, '2023-10-05', 80);
    const treatmentC = await startAtNecker(c, '2023-10-03', 64);
    const stop = await t.http().post(`/api/v1/treatments/${treatmentC}/stop`).set(await as(PUI)).send({ date: '2023-11-08', reason: 'adverse_event' });
    expect(stop.status).toBe(200);
    const transfer = await t.http().post(`/api/v1/treatments/${treatmentB}/transfer`).set(await as(PUI)).send({ date: '2023-11-10', toEstablishment: LYON });
    expect(transfer.status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('computes each line\'s administrations and vials, and flags an order one vial above the need', async () => {
    const res = await order(PUI, { medicine: M, period: '2023-11', quantity: 11, lines: [{ patient: a }, { patient: b }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'flagged',
      establishment: NECKER,
      period: '2023-11',
      quantity: 11,
      need: 10,
      tolerated: 10,
      policyVersion: 5,
      lines: [
        { patient: a, administrations: ['2023-11-02', '2023-11-16'], vials: 6 },
        { patient: b, administrations: ['2023-11-01'], vials: 4 },
      ],
      flags: [{ code: 'ORDER_EXCEEDS_NEED', message: 'ordered 11 vials, need 10 (tolerance 0%): 1 vial above need' }],
      decision: null,
    });
    november = res.body.id;
  });

  it('lets the lab reduce it to the need with a reason, audited, and the pharmacy sees the outcome', async () => {
    const above = await t.http().post(`/api/v1/orders/${november}/reduce`).set(await as('lab')).send({ quantity: 12, reason: 'too much' });
    expect(above.status).toBe(422);
    expect(above.body).toMatchObject({ code: 'REDUCE_ABOVE_ORDERED', errors: [{ field: 'quantity', reason: 'must be less than 11' }] });
    expect((await t.http().get(`/api/v1/orders/${november}`).set(await as('lab'))).body.status).toBe('flagged');

    const reduced = await t.http().post(`/api/v1/orders/${november}/reduce`).set(await as('lab')).send({ quantity: 10, reason: 'One vial above the justified need.' });
    expect(reduced.status).toBe(200);
    expect(reduced.body).toMatchObject({ status: 'reduced', quantity: 11, decision: { quantity: 10, reason: 'One vial above the justified need.' } });

    const seen = await t.http().get(`/api/v1/orders/${november}`).set(await as(PUI));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: 'reduced', decision: { quantity: 10 }, lines: [{ patient: a, vials: 6 }, { patient: b, vials: 4 }] });

    const again = await t.http().post(`/api/v1/orders/${november}/confirm`).set(await as('lab')).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ORDER_ALREADY_DECIDED');

    const audit = await t.http().get(`/api/v1/audit?entityId=${november}`).set(await as('agency'));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['order.flagged', 'order.reduced']);
    expect(audit.body.items[1]).toMatchObject({ role: 'lab', establishment: NECKER, before: { status: 'flagged', quantity: 11 }, after: { status: 'reduced', deliveredQuantity: 10 } });
  });

  it('counts the transferred patient at Lyon from the transfer date on; a retry with the same Idempotency-Key returns the same order', async () => {
    const key = { 'Idempotency-Key': 'lyon-2023-11-order' };
    const body = { medicine: M, period: '2023-11', quantity: 4, lines: [{ patient: b }] };
    const first = await order(`pui-${LYON}`, body, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'submitted', need: 4, flags: [], lines: [{ patient: b, administrations: ['2023-11-29'], vials: 4 }] });
    const retry = await order(`pui-${LYON}`, body, key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(await ordersAt(LYON)).toBe(1);
    const confirmed = await t.http().post(`/api/v1/orders/${first.body.id}/confirm`).set(await as('lab')).send({});
    expect(confirmed.body).toMatchObject({ status: 'confirmed', decision: { quantity: 4, reason: null } });
  });

  it('refuses bad input with a clear problem and writes nothing', async () => {
    const before = await ordersAt(NECKER);
    const zero = await order(PUI, { medicine: M, period: '2023-12', quantity: 0, lines: [{ patient: a }] });
    expect(zero.status).toBe(422);
    expect(zero.body).toMatchObject({ code: 'ORDER_QUANTITY_INVALID', errors: [{ field: 'quantity' }] });
    expect((await order(PUI, { medicine: M, period: '2023-12', quantity: -3, lines: [{ patient: a }] })).body.code).toBe('ORDER_QUANTITY_INVALID');
    const past = await order(PUI, { medicine: M, period: '2023-10', quantity: 3, lines: [{ patient: a }] });
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ code: 'ORDER_PERIOD_OUT_OF_WINDOW', errors: [{ field: 'period', reason: 'must be a period YYYY-MM from 2023-11 to 2024-01' }] });
    expect((await order(PUI, { medicine: M, period: '2024-02', quantity: 3, lines: [{ patient: a }] })).body.code).toBe('ORDER_PERIOD_OUT_OF_WINDOW');
    const duplicate = await order(PUI, { medicine: M, period: '2023-11', quantity: 10, lines: [{ patient: a }, { patient: b }] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'ORDER_DUPLICATE', existing: november });
    const unknown = await order(PUI, { medicine: M, period: '2023-12', quantity: 3, lines: [{ patient: a }, { patient: 'P-ZZZZZZZZZZ' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'ORDER_LINE_PATIENT_UNKNOWN', errors: [{ field: 'lines[1].patient' }] });
    // A patient treated at Lyon gets the same answer as an unknown one (existence is not leaked).
    const lyonPatient = await patient(LYON, 75);
    const lyonRequest = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${LYON}`)).send({ medicine: M, indication: 'kidney-transplant', patient: lyonPatient, justification: 'Greffe rénale.', weightKg: 75 });
    const started = await t.http().post('/api/v1/treatments').set(await as(`pui-${LYON}`)).send({ request: lyonRequest.body.id, startDate: '2023-11-01', weightKg: 75 });
    expect(started.status).toBe(201);
    const elsewhere = await order(PUI, { medicine: M, period: '2023-12', quantity: 3, lines: [{ patient: a }, { patient: lyonPatient }] });
    expect(elsewhere.body).toMatchObject({ code: 'ORDER_LINE_PATIENT_UNKNOWN', errors: [{ field: 'lines[1].patient' }] });
    const noLines = await order(PUI, { medicine: M, period: '2023-12', quantity: 3, lines: [] });
    expect(noLines.body.code).toBe('ORDER_JUSTIFICATION_REQUIRED');
    const twice = await order(PUI, { medicine: M, period: '2023-12', quantity: 6, lines: [{ patient: a }, { patient: a }] });
    expect(twice.body).toMatchObject({ code: 'ORDER_DUPLICATE_LINE', errors: [{ field: 'lines[1].patient' }] });
    const notANumber = await order(PUI, { medicine: M, period: '2023-12', quantity: 'ten', lines: [{ patient: a }] });
    expect(notANumber.status).toBe(400);
    expect(notANumber.body.errors).toContainEqual({ field: 'quantity', reason: 'must be an integer' });
    expect((await order(PUI, { medicine: 'ASPIRIN', period: '2023-12', quantity: 3, lines: [{ patient: a }] })).status).toBe(404);
    expect(await ordersAt(NECKER)).toBe(before);
    expect(await count('SELECT COUNT(*) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.establishment = ?', [NECKER])).toBe(2);
  });

  it('flags a line for a stopped patient; once the lab refuses, the period may be ordered again', async () => {
    // December: C stopped on 11-08 (0 vials, flagged); A's day 56 = 12-14 → 3 vials.
    const res = await order(PUI, { medicine: M, period: '2023-12', quantity: 3, lines: [{ patient: a }, { patient: c }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'flagged',
      need: 3,
      lines: [{ patient: a, administrations: ['2023-12-14'], vials: 3 }, { patient: c, administrations: [], vials: 0 }],
      flags: [{ code: 'PATIENT_STOPPED', line: 1, patient: c, message: `lines[1]: patient ${c} stopped (adverse_event) on 2023-11-08, before 2023-12: 0 vials` }],
    });
    const noReason = await t.http().post(`/api/v1/orders/${res.body.id}/refuse`).set(await as('lab')).send({ reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('DECISION_REASON_REQUIRED');
    const refused = await t.http().post(`/api/v1/orders/${res.body.id}/refuse`).set(await as('lab')).send({ reason: 'Justification names a stopped patient.' });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: 'refused', decision: { quantity: 0, reason: 'Justification names a stopped patient.' } });
    const replacement = await order(PUI, { medicine: M, period: '2023-12', quantity: 3, lines: [{ patient: a }] });
    expect(replacement.status).toBe(201);
    expect(replacement.body).toMatchObject({ status: 'submitted', need: 3, flags: [] });
    expect((await order(PUI, { medicine: M, period: '2023-12', quantity: 3, lines: [{ patient: a }] })).status).toBe(409);
  });

  it('keeps other establishments out (404) and the wrong roles out (403)', async () => {
    expect((await t.http().get(`/api/v1/orders/${november}`).set(await as(`pui-${LYON}`))).status).toBe(404);
    expect((await t.http().post('/api/v1/orders').set(await as('lab')).send({ medicine: M, period: '2023-11', quantity: 1, lines: [{ patient: a }] })).status).toBe(403);
    expect((await t.http().post('/api/v1/orders').set(await as(`prescriber-${NECKER}`)).send({ medicine: M, period: '2023-11', quantity: 1, lines: [{ patient: a }] })).status).toBe(403);
    expect((await t.http().post(`/api/v1/orders/${november}/confirm`).set(await as(PUI)).send({})).status).toBe(403);
    expect((await t.http().post(`/api/v1/orders/${november}/refuse`).set(await as('agency')).send({ reason: 'x' })).status).toBe(403);
    expect((await t.http().get('/api/v1/orders').set(await as('committee-1'))).status).toBe(403);
    expect((await t.http().post('/api/v1/orders/00000000-0000-4000-8000-000000000000/confirm').set(await as('lab')).send({})).status).toBe(404);
  });

  it('lists a period\'s orders for the lab by establishment and status; a pharmacy sees its own', async () => {
    const lab = await t.http().get(`/api/v1/orders?medicine=${M}&period=2023-11&limit=500`).set(await as('lab'));
    expect(lab.status).toBe(200);
    const rows = lab.body.items.map((o: { establishment: string; status: string; need: number; quantity: number }) => [o.establishment, o.status, o.quantity, o.need]);
    expect(rows).toEqual(expect.arrayContaining([[NECKER, 'reduced', 11, 10], [LYON, 'confirmed', 4, 4]]));
    const byEstablishment = await t.http().get(`/api/v1/orders?period=2023-11&establishment=${NECKER}`).set(await as('agency'));
    expect(byEstablishment.body.items.map((o: { id: string }) => o.id)).toEqual([november]);
    expect(byEstablishment.body.items[0].flags[0].code).toBe('ORDER_EXCEEDS_NEED');
    const refused = await t.http().get(`/api/v1/orders?status=refused`).set(await as('lab'));
    expect(refused.body.items.map((o: { establishment: string; period: string }) => `${o.establishment} ${o.period}`)).toEqual([`${NECKER} 2023-12`]);
    const own = await t.http().get('/api/v1/orders?limit=500').set(await as(PUI));
    expect(new Set(own.body.items.map((o: { establishment: string }) => o.establishment))).toEqual(new Set([NECKER]));
    expect(own.body.items).toHaveLength(3);
    const other = await t.http().get(`/api/v1/orders?establishment=${LYON}`).set(await as(PUI));
    expect(other.body).toEqual({ items: [], nextCursor: null });
    const page = await t.http().get('/api/v1/orders?limit=1').set(await as('lab'));
    expect(page.body.items).toHaveLength(1);
    expect(typeof page.body.nextCursor).toBe('string');
  });

  it('gives reconciliation the orders of a period, with the reduced quantity and the lines', async () => {
    const facts = t.app.get<TreatmentFacts>(TREATMENT_FACTS);
    const orders = await facts.ordersInPeriod(M, '2023-11');
    expect(orders.find((o) => o.id === november)).toEqual({
      id: november, establishment: NECKER, medicine: M, period: '2023-11', status: 'reduced', quantity: 10, need: 10,
      lines: [{ patient: a, vials: 6 }, { patient: b, vials: 4 }],
    });
    const december = await facts.ordersInPeriod(M, '2023-12');
    expect(december.filter((o) => o.establishment === NECKER).map((o) => o.status).sort()).toEqual(['refused', 'submitted']);
  });
});
