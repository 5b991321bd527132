import { TestApp, bearer, startTestApp } from '../support/test-app';

/** The API's sentences by Accept-Language (issue 17): English when absent, French on request, code and parameters unchanged. */
describe('API sentences by Accept-Language', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('renders decision reasons in French for Accept-Language: fr, the same code and parameters as in English', async () => {
    const agency = bearer(await t.token('agency'));
    const en = await t.http().get('/api/v1/initiation-requests').query({ medicine: 'NULOJIX', limit: 100 }).set(agency);
    const fr = await t.http().get('/api/v1/initiation-requests').query({ medicine: 'NULOJIX', limit: 100 }).set(agency).set('Accept-Language', 'fr-FR,fr;q=0.9');
    expect(en.status).toBe(200);
    expect(fr.status).toBe(200);
    const granted = en.body.items.find((r: { reason: { code: string } }) => r.reason.code === 'GRANTED_QUOTA');
    const same = fr.body.items.find((r: { id: string }) => r.id === granted.id);
    expect(granted.reason.message).toMatch(/^granted: centre quota slot \d+ of \d+ for 2023-05$/);
    expect(same.reason.code).toBe(granted.reason.code);
    expect(same.reason.params).toEqual(granted.reason.params);
    expect(same.reason.message).toBe(`accordée : place ${granted.reason.params.used} sur ${granted.reason.params.slots} du quota du centre pour mai 2023`);
    const pending = fr.body.items.find((r: { reason: { code: string } }) => r.reason.code === 'PENDING_COMMITTEE_REVIEW');
    expect(pending.reason.message).toMatch(/^en attente du comité d’experts : 1 vote nécessaire avant le \d{2}\/\d{2}\/2023 \d{2}:\d{2}$/);
  });

  it('renders a problem in French (detail from the code, field reasons), with the code and fields unchanged', async () => {
    const pui = bearer(await t.token(await firstPrescriber(t)));
    const body = { medicine: 'NULOJIX', indication: 'chronic-dysfunction-cni', patient: 'P-NOTAPATIENT', justification: '', weightKg: -3 };
    const en = await t.http().post('/api/v1/initiation-requests').set(pui).send(body);
    const fr = await t.http().post('/api/v1/initiation-requests').set(pui).set('Accept-Language', 'fr').send(body);
    expect(fr.status).toBe(en.status);
    expect(fr.body.code).toBe(en.body.code);
    expect(fr.body.errors.map((e: { field: string }) => e.field)).toEqual(en.body.errors.map((e: { field: string }) => e.field));
    expect(JSON.stringify(en.body.errors)).toMatch(/must/);
    expect(JSON.stringify(fr.body.errors)).not.toMatch(/\bmust\b/);
    expect(fr.body.detail).not.toBe(en.body.detail);
  });
});

async function firstPrescriber(t: TestApp): Promise<string> {
  const rows: { username: string }[] = await t.dataSource.query("SELECT username FROM users WHERE role = 'prescriber' AND specialty = 'nephrology' ORDER BY username LIMIT 1");
  return rows[0]?.username ?? '';
}
