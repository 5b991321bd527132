import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(180_000);

/**
 * The Nulojix page (seeds/003) read against the demo policies: indication (1) widened on
 * 2023-02-14 without dropping primary non-function, and the lightening of 2024-01-11 as data
 * (registrationRequired, orderJustificationRequired) that initiations and orders honour.
 */
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

describe(`Nulojix policy fields from the agency's page (${DB_KIND})`, () => {
  let t: TestApp;
  let n = 0;
  const as = async (user: string) => bearer(await t.token(user));
  const at = (iso: string) => t.clock.set(new Date(iso));

  async function patient(): Promise<string> {
    n += 1;
    const res = await t.http().post('/api/v1/patients').set(await as(`prescriber-${LYON}`)).send({ nir: withNirKey(`1700269${String(400000 + n)}`), birthDate: '1970-02-01', sex: 'M', weightKg: 70 });
    expect([200, 201]).toContain(res.status);
    return res.body.pseudonym as string;
  }
  const request = async (indication: string, p: string) =>
    t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${LYON}`)).send({ medicine: M, indication, patient: p, justification: 'Non-reprise de fonction du greffon.', weightKg: 70 });
  const order = async (period: string, lines: { patient: string }[]) =>
    t.http().post('/api/v1/orders').set(await as(`pui-${LYON}`)).send({ medicine: M, period, quantity: 6, lines });
  const directStart = async (p: string, startDate: string) =>
    t.http().post('/api/v1/treatments').set(await as(`pui-${LYON}`)).send({ medicine: M, indication: 'kidney-transplant', patient: p, startDate, weightKg: 70 });

  beforeAll(async () => {
    t = await startTestApp({ CONTINGENT_NOW: '2023-03-01T10:00:00+01:00' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps primary non-function enabled from 2023-02-14 on: "Switch précoce sur non-fonction primaire et dysfonction précoce potentiellement relative aux inhibiteurs de la calcineurine"', async () => {
    const policies = (await t.http().get(`/api/v1/medicines/${M}/policies`).set(await as('agency'))).body.items as { version: number; mode: string; indications: { code: string; kind: string }[] }[];
    for (const v of policies.filter((p) => p.version >= 2 && p.mode !== 'unrestricted')) {
      expect({ version: v.version, pnf: v.indications.find((i) => i.code === 'pnf-cni')?.kind }).toEqual({ version: v.version, pnf: 'urgent' });
    }
    for (const v of policies.filter((p) => p.version >= 3 && p.mode !== 'unrestricted')) {
      expect(v.indications.find((i) => i.code === 'early-dysfunction-cni')?.kind).toBe('urgent');
    }
    const v3 = await request('pnf-cni', await patient());
    expect(v3.status).toBe(201);
    expect(v3.body).toMatchObject({ status: 'pending_review', policyVersion: 3 });
    at('2023-06-01T10:00:00+02:00');
    const v4 = await request('pnf-cni', await patient());
    expect(v4.status).toBe(201);
    expect(v4.body).toMatchObject({ status: 'pending_review', policyVersion: 4 });
  });

  it('version 6 differs from version 5 in data: "il est mis fin : À l\'enregistrement des initiations … Et à la transmission … d\'une justification du volume commandé"', async () => {
    const policies = (await t.http().get(`/api/v1/medicines/${M}/policies`).set(await as('lab'))).body.items as { version: number; effectiveFrom: string; registrationRequired: boolean; orderJustificationRequired: boolean }[];
    const pick = (v: number) => policies.filter((p) => p.version === v).map(({ version, effectiveFrom, registrationRequired, orderJustificationRequired }) => ({ version, effectiveFrom, registrationRequired, orderJustificationRequired }));
    expect(pick(3)).toEqual([{ version: 3, effectiveFrom: '2023-02-14', registrationRequired: true, orderJustificationRequired: true }]);
    expect(pick(5)).toEqual([{ version: 5, effectiveFrom: '2023-10-02', registrationRequired: true, orderJustificationRequired: true }]);
    expect(pick(6)).toEqual([{ version: 6, effectiveFrom: '2024-01-11', registrationRequired: false, orderJustificationRequired: false }]);
  });

  it('refuses an order without lines under version 3 ("à chaque commande, d\'une justification du volume commandé") and accepts it under version 6', async () => {
    at('2023-03-01T10:00:00+01:00');
    const v3 = await order('2023-03', []);
    expect(v3.status).toBe(422);
    expect(v3.body).toMatchObject({ code: 'ORDER_JUSTIFICATION_REQUIRED', errors: [{ field: 'lines' }] });
    at('2024-01-15T10:00:00+01:00');
    const v6 = await order('2024-01', []);
    expect(v6.status).toBe(201);
    expect(v6.body).toMatchObject({ status: 'submitted', policyVersion: 6, quantity: 6, lines: [], flags: [] });
    const stored = await t.dataSource.query(`SELECT COUNT(*) AS n FROM orders WHERE id = ${DB_KIND === 'postgres' ? '$1' : '?'}`, [v6.body.id]);
    expect(Number(stored[0].n)).toBe(1);
  });

  it('needs a registered request to start under version 5 ("l\'enregistrement des demandes d\'initiations sur une plate-forme … est maintenu") and none under version 6', async () => {
    at('2023-11-10T10:00:00+01:00');
    const p5 = await patient();
    const refused = await directStart(p5, '2023-11-10');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'REQUEST_REQUIRED', errors: [{ field: 'request', reason: 'is required: initiations are registered under policy version 5' }] });
    const registered = await request('kidney-transplant', p5);
    expect(registered.body).toMatchObject({ status: 'granted', policyVersion: 5 });
    expect((await t.http().post('/api/v1/treatments').set(await as(`pui-${LYON}`)).send({ request: registered.body.id, startDate: '2023-11-10', weightKg: 70 })).status).toBe(201);
    at('2024-01-15T10:00:00+01:00');
    const started = await directStart(await patient(), '2024-01-15');
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'active', policyVersion: 6, request: null });
  });

  it('publishes the two fields, defaulting to the previous version\'s, and refuses a non-boolean naming the field', async () => {
    const bad = await t.http().post(`/api/v1/medicines/${M}/policies`).set(await as('agency')).send({ effectiveFrom: '2024-06-01', mode: 'unrestricted', indications: [], registrationRequired: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([{ field: 'registrationRequired', reason: 'must be true or false' }]));
    const kept = await t.http().post(`/api/v1/medicines/${M}/policies`).set(await as('agency')).send({ effectiveFrom: '2024-06-01', mode: 'unrestricted', indications: [{ code: 'kidney-transplant', kind: 'open' }], orderJustificationRequired: true });
    expect(kept.status).toBe(201);
    expect(kept.body).toMatchObject({ version: 7, registrationRequired: false, orderJustificationRequired: true });
  });
});
