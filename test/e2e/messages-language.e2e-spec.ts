import { withNirKey } from '../../src/patients/domain/nir';
import { SESSION_COOKIE } from '../../src/auth/auth.guard';
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
    // A 404 names the unknown medicine in its params and says why in each language.
    const lab = bearer(await t.token('lab'));
    const missingEn = await t.http().get('/api/v1/medicines/NOPE').set(lab);
    const missingFr = await t.http().get('/api/v1/medicines/NOPE').set(lab).set('Accept-Language', 'fr');
    expect(missingEn.body).toMatchObject({ code: 'MEDICINE_NOT_FOUND', params: { medicine: 'NOPE' }, errors: [{ field: 'medicine', reason: 'is not a known medicine' }] });
    expect(missingFr.body).toMatchObject({ code: 'MEDICINE_NOT_FOUND', params: { medicine: 'NOPE' }, detail: 'Médicament NOPE inconnu.', errors: [{ field: 'medicine', reason: 'n’est pas un médicament connu' }] });
  });

  it('renders a problem with its figures in both languages from the same code and params, English when Accept-Language is absent', async () => {
    const agency = bearer(await t.token('agency'));
    const en = await t.http().get('/api/v1/medicines/NULOJIX/allocations/2031-07').set(agency);
    const fr = await t.http().get('/api/v1/medicines/NULOJIX/allocations/2031-07').set(agency).set('Accept-Language', 'fr-FR,fr;q=0.9');
    expect(en.status).toBe(404);
    expect(fr.status).toBe(404);
    expect(en.body).toMatchObject({ code: 'ALLOCATION_NOT_FOUND', params: { medicine: 'NULOJIX', period: '2031-07' } });
    expect(fr.body).toMatchObject({ code: en.body.code, params: en.body.params });
    expect(en.body.detail).toMatch(/^The NULOJIX allocation of 2031-07 has not been computed yet/);
    expect(fr.body.detail).toMatch(/^L’allocation de NULOJIX pour juillet 2031 n’est pas encore calculée/);
  });

  it('shows a refusal on a page in French with its figures, from the same code and params as the API', async () => {
    const username = await firstPrescriber(t);
    const token = await t.token(username);
    const patient = await t.http().post('/api/v1/patients').set(bearer(token)).send({ nir: withNirKey('2900675123456'), birthDate: '1990-06-11', sex: 'F', weightKg: 64 });
    expect(patient.status).toBe(201);
    const open = (await t.http().post('/api/v1/initiation-requests').set(bearer(token)).send({ medicine: 'NULOJIX', indication: 'chronic-dysfunction-cni', patient: patient.body.pseudonym, justification: 'Dysfonction chronique documentée.', weightKg: 64 })).body;
    expect(['pending_review', 'waitlisted', 'granted']).toContain(open.status);
    expect((await t.http().post(`/api/v1/initiation-requests/${open.id}/withdraw`).set(bearer(token))).status).toBe(200);
    const api = await t.http().post(`/api/v1/initiation-requests/${open.id}/withdraw`).set(bearer(token)).set('Accept-Language', 'fr');
    expect(api.body).toMatchObject({ code: 'REQUEST_NOT_WITHDRAWABLE', params: { requestId: open.id, status: 'withdrawn' } });
    const address = t.app.getHttpServer().address() as { address: string; port: number };
    const host = `${address.address}:${address.port}`;
    const page = await t.http().post(`/etablissement/demandes/${open.id}/retrait`).set('Cookie', `${SESSION_COOKIE}=${token}`).set('Origin', `http://${host}`).set('Host', host).type('form').send({});
    expect(page.status).toBe(409);
    expect(page.text).toContain(`La demande ${open.id} est retirée : seule une demande en attente, en file ou accordée (non commencée) peut être retirée.`);
    expect(page.text).toContain(api.body.detail);
    expect(page.text).not.toContain('REQUEST_NOT_WITHDRAWABLE');
  });

  it('renders a validation problem naming its fields in French, and a 405 with its methods', async () => {
    const pui = bearer(await t.token(await firstPrescriber(t)));
    const fr = await t.http().post('/api/v1/initiation-requests').set(pui).set('Accept-Language', 'fr').send({});
    expect(fr.status).toBe(400);
    expect(fr.body.code).toBe('VALIDATION_FAILED');
    expect(fr.body.params.fields).toEqual(expect.arrayContaining(['medicine', 'patient']));
    expect(fr.body.detail).toMatch(/^Certaines valeurs ne sont pas valides : .*medicine/);
    const notAllowed = await t.http().delete('/api/v1/initiation-requests').set(pui).set('Accept-Language', 'fr');
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', params: { method: 'DELETE' } });
    expect(notAllowed.body.detail).toMatch(/^La méthode DELETE n’est pas acceptée ici ; méthodes acceptées : /);
  });
});

describe('NIR against the form (sex, birth year and month)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a NIR whose sex or birth digits contradict the form, naming the fields in French, without quoting the NIR; nothing is stored', async () => {
    const pui = bearer(await t.token(await firstPharmacist(t)));
    const nir = withNirKey('1840575123456');
    const before = Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM patients'))[0].n);
    const fr = await t.http().post('/api/v1/patients').set(pui).set('Accept-Language', 'fr').send({ nir, birthDate: '1985-06-01', sex: 'F', weightKg: 70 });
    expect(fr.status).toBe(400);
    expect(fr.body.code).toBe('NIR_MISMATCH');
    expect(fr.body.detail).toBe('Le NIR ne correspond pas au formulaire : sexe et date de naissance.');
    expect(fr.body.params).toEqual({ fields: ['sex', 'birthDate'] });
    expect(fr.body.errors).toEqual([
      { field: 'sex', reason: 'ne correspond pas au sexe indiqué par le NIR (1er chiffre)' },
      { field: 'birthDate', reason: 'ne correspond pas à l’année et au mois de naissance indiqués par le NIR (chiffres 2 à 5)' },
    ]);
    expect(JSON.stringify(fr.body)).not.toContain(nir.slice(0, 7));
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM patients'))[0].n)).toBe(before);
    const ok = await t.http().post('/api/v1/patients').set(pui).send({ nir, birthDate: '1984-05-20', sex: 'M', weightKg: 70 });
    expect(ok.status).toBe(201);
  });
});

async function firstPharmacist(t: TestApp): Promise<string> {
  const rows: { username: string }[] = await t.dataSource.query("SELECT username FROM users WHERE role = 'pharmacist' ORDER BY username LIMIT 1");
  return rows[0]?.username ?? '';
}

async function firstPrescriber(t: TestApp): Promise<string> {
  const rows: { username: string }[] = await t.dataSource.query("SELECT username FROM users WHERE role = 'prescriber' AND specialty = 'nephrology' ORDER BY username LIMIT 1");
  return rows[0]?.username ?? '';
}
