import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(180_000);

/**
 * The compassionate-access rules read in the seeds, through HTTP: the belumosudil protocol's start
 * (seeds/000), derogations, pharmacovigilance cases and several stop reasons in the report, and the
 * schemes' dosing schedules at GET /medicines/{code}/schedules (SPEC §10).
 */
const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');

const REZUROCK_OK = {
  organScores: [{ organ: 'skin', score: 3 }, { organ: 'mouth', score: 1 }],
  priorSystemicLines: 3, priorTreatments: ['corticosteroids', 'ruxolitinib'], notEligibleForCorticosteroidsOrRuxolitinib: false,
  weightKg: 70, heightCm: 170, ageYears: 55, karnofsky: 80, stableCorticosteroidWeeks: 4, childBearingPotential: false, pregnancyTest: 'not_applicable', canBeDeferred: false,
  concomitantStrongCyp3aInducer: false, concomitantProtonPumpInhibitor: true,
};

describe(`compassionate access as the seeds say (${DB_KIND})`, () => {
  let t: TestApp;
  let n = 0;
  const as = async (user: string) => bearer(await t.token(user));
  const on = (date: string): void => t.clock.set(new Date(`${date}T10:00:00+02:00`));

  async function patient(finess: string): Promise<string> {
    n += 1;
    const res = await t.http().post('/api/v1/patients').set(await as(`pui-${finess}`)).send({ nir: withNirKey(`1600575${String(200000 + n)}`), birthDate: '1960-05-01', sex: 'M', weightKg: 70 });
    expect([200, 201]).toContain(res.status);
    return res.body.pseudonym as string;
  }
  async function submitted(finess: string, date: string, clinical: object) {
    on(date);
    const req = await t.http().post('/api/v1/access-requests').set(await as(`haematologist-${finess}`)).send({ medicine: 'REZUROCK', indication: 'cgvhd', patient: await patient(finess), clinical });
    expect(req.status).toBe(201);
    expect((await t.http().post(`/api/v1/access-requests/${req.body.id}/countersign`).set(await as(`pui-${finess}`)).send({ comment: 'ok' })).status).toBe(200);
    return req.body as { id: string; criteriaVersion: string; verdict: string };
  }
  const decide = async (id: string, body: object) => t.http().post(`/api/v1/access-requests/${id}/decision`).set(await as('agency')).send(body);
  const form = async (finess: string, id: string, date: string, body: object) => {
    on(date);
    return t.http().post(`/api/v1/access-requests/${id}/forms`).set(await as(`pui-${finess}`)).send({ date, ...body });
  };

  beforeAll(async () => {
    t = await startTestApp({ CONTINGENT_NOW: '2023-09-18T10:00:00+02:00' });
  });
  afterAll(async () => {
    await t.close();
  });

  let beforeProtocol: string;
  let eligible: string;
  let derogated: string;

  it('judges a request before 2023-09-26 outside the protocol ("Le Protocole … a démarré le 26 septembre 2023. Auparavant … AC non protocolisé")', async () => {
    const early = await submitted(NECKER, '2023-09-18', REZUROCK_OK);
    expect(early).toMatchObject({ criteriaVersion: 'non-protocol', verdict: 'non_protocol' });
    on('2023-09-20');
    expect((await decide(early.id, { decision: 'authorise', reason: 'AC nominative hors protocole.' })).status).toBe(200);
    beforeProtocol = early.id;
    const first = await submitted(LYON, '2023-09-26', REZUROCK_OK);
    expect(first).toMatchObject({ criteriaVersion: 'belumosudil-2023', verdict: 'eligible' });
    on('2023-09-28');
    expect((await decide(first.id, { decision: 'authorise', reason: '' })).status).toBe(200);
    eligible = first.id;
  });

  it('authorises by derogation with its reason, recording the criteria not met (the report shows included patients below 40 kg)', async () => {
    // the form leaves out the proton-pump inhibitor (not a criterion): the report counts it missing, apart
    const { concomitantProtonPumpInhibitor: _ppi, ...withoutPpi } = REZUROCK_OK;
    const light = await submitted(NECKER, '2023-09-27', { ...withoutPpi, weightKg: 36, heightCm: 150 });
    expect(light.verdict).toBe('not_eligible');
    on('2023-09-29');
    const plain = await decide(light.id, { decision: 'authorise' });
    expect(plain.status).toBe(422);
    expect(plain.body.code).toBe('ACCESS_REQUEST_NOT_ELIGIBLE');
    const noReason = await decide(light.id, { decision: 'authorise', derogation: true, reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('ACCESS_DECISION_REASON_REQUIRED');
    const bad = await decide(light.id, { decision: 'authorise', derogation: 'yes', reason: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'derogation', reason: 'must be true or false' }]);
    const res = await decide(light.id, { decision: 'authorise', derogation: true, reason: 'Impasse thérapeutique, poids de 36 kg discuté en RCP.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'authorised', derogation: { criteria: ['weight_at_least_40_kg'], reason: 'Impasse thérapeutique, poids de 36 kg discuté en RCP.' } });
    derogated = light.id;
    const audit = await t.http().get(`/api/v1/audit?entityId=${derogated}&limit=100`).set(await as('agency'));
    expect(audit.body.items.at(-1)).toMatchObject({ action: 'access-request.authorised', after: { derogation: { criteria: ['weight_at_least_40_kg'] } } });
    on('2023-09-29');
    const needless = await submitted(LYON, '2023-09-29', REZUROCK_OK);
    const refusedDerogation = await decide(needless.id, { decision: 'authorise', derogation: true, reason: 'x' });
    expect(refusedDerogation.body.code).toBe('ACCESS_DEROGATION_NOT_NEEDED');
  });

  it('reports as the seed does: excluded before the protocol, derogations, pharmacovigilance cases and events, several stop reasons', async () => {
    expect((await form(LYON, eligible, '2023-10-02', { kind: 'initiation', administered: true, data: { adverseEvents: [
      { caseId: '2023SA387346', soc: 'Tumeurs bénignes, malignes et non précisées (incl kystes et polypes)', pt: 'Cancer épidermoïde', serious: true, expected: false, ledToStop: true },
    ] } })).status).toBe(201);
    expect((await form(NECKER, derogated, '2023-10-03', { kind: 'initiation', administered: true, data: { adverseEvents: [
      { caseId: '2023SA324659', soc: 'Affections du système nerveux', pt: 'Céphalée', serious: false, expected: true, causality: 'related' },
      { caseId: '2023SA324659', soc: 'Affections vasculaires', pt: 'Hypertension', serious: false, expected: false, causality: 'not_related' },
    ] } })).status).toBe(201);
    expect((await form(LYON, eligible, '2023-10-20', { kind: 'stop', reason: 'adverse_event', data: { reasons: ['progression'] } })).status).toBe(201);
    on('2023-11-02');
    const res = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2023-09-18&to=2023-09-30&cutoff=2023-10-31').set(await as('agency'));
    expect(res.status).toBe(200);
    // "2 demandes ont été exclues du fait d'une autorisation ANSM accordée avant le 26/09/2023": here the request of 09-18, authorised 09-20
    expect(res.body.requests).toMatchObject({ received: 4, excluded: 1, accepted: 2, pending: 1 });
    expect(res.body.patients).toMatchObject({ included: 2, exposed: 2, exposedPercent: 100 });
    expect(res.body.derogations).toBe(1);
    expect(res.body.characteristics.gvhdGrade).toEqual({ moderate: { n: 0, percent: 0 }, severe: { n: 2, percent: 100 } });
    // 70 / 1.7² = 24.2 (normal); 36 / 1.5² = 16 (underweight)
    expect(res.body.characteristics.bmiClasses).toEqual({ underweight: { n: 1, percent: 50 }, normal: { n: 1, percent: 50 }, overweight: { n: 0, percent: 0 }, obese: { n: 0, percent: 0 } });
    // seeds/000 Tableau 10 "Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%)": percentages over the known values,
    // the missing count first and without one — here 1 of 2 known, yes 1 / 1 = 100 % (not 1 / 2)
    expect(res.body.characteristics.protonPumpInhibitor).toEqual({ missing: { n: 1, percent: null }, no: { n: 0, percent: 0 }, yes: { n: 1, percent: 100 } });
    const csv = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2023-09-18&to=2023-09-30&cutoff=2023-10-31').set(await as('agency')).set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    const ppiLines = csv.text.split(/\r?\n/).filter((l) => l.includes('protonPumpInhibitor:'));
    expect(ppiLines.filter((l) => l.includes('protonPumpInhibitor:missing'))).toEqual([expect.stringMatching(/protonPumpInhibitor:missing.*n.*1/)]);
    expect(ppiLines.some((l) => l.includes('protonPumpInhibitor:yes') && l.includes('percent') && l.includes('100'))).toBe(true);
    // Tableau 11: two cases in two patients, both related (one has a related event), one serious, one leading to a stop
    expect(res.body.pharmacovigilance.cases).toEqual({
      total: { cases: 2, patients: 2 }, related: { cases: 2, patients: 2 }, serious: { cases: 1, patients: 1 },
      seriousRelated: { cases: 1, patients: 1 }, deaths: { cases: 0, patients: 0 }, ledToStop: { cases: 1, patients: 1 },
    });
    // Tableau 12: "Cancer épidermoïde 0 1 0 0 0 1"
    expect(res.body.pharmacovigilance.events).toContainEqual({ soc: 'Tumeurs bénignes, malignes et non précisées (incl kystes et polypes)', pt: 'Cancer épidermoïde', serious: { expected: 0, unexpected: 1 }, nonSerious: { expected: 0, unexpected: 0 }, total: { expected: 0, unexpected: 1 } });
    // "plusieurs raisons d'arrêt … ont pu être mentionnées"
    expect(res.body.stopReasons).toMatchObject({ total: 1, byReason: { adverse_event: { n: 1, percent: 100 }, progression: { n: 1, percent: 100 }, death: { n: 0, percent: 0 } } });
    expect(res.body.inclusions).toMatchObject({ prescribers: 2, centres: 2, prescribersBySpecialty: { haematology: { n: 2, percent: 100 } } });
    expect(beforeProtocol).toEqual(expect.any(String));
  });

  it('takes the M3 evaluation of the organs and the symptom scale on the follow-up form, and reports Tableaux 9 and 10 (JSON, CSV)', async () => {
    const bad = await form(NECKER, derogated, '2024-01-02', { kind: 'follow-up', due: 'M3', administered: true, data: { organResponses: [{ organ: 'heart', response: 'improvement' }], leeSymptoms: [{ item: 'dry_eyes', severity: 'terrible' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('FORM_DATA_INVALID');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['data.organResponses[0].organ', 'data.leeSymptoms[0].severity']);
    const ok = await form(NECKER, derogated, '2024-01-02', { kind: 'follow-up', due: 'M3', administered: true, data: {
      organResponses: [{ organ: 'mouth', response: 'improvement' }, { organ: 'skin', response: 'stabilisation' }, { organ: 'other', name: 'Articulaire', response: 'stabilisation' }],
      leeSymptoms: [{ item: 'dry_eyes', severity: 'very_severe' }, { item: 'itchy_skin', severity: 'mild' }],
    } });
    expect(ok.status).toBe(201);
    const res = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2023-09-18&to=2023-09-30&cutoff=2024-01-31').set(await as('agency'));
    expect(res.status).toBe(200);
    // "Tableau 9: Évaluation des atteintes cliniques - Patients exposés avec au moins une fiche de suivi": one such patient here
    expect(res.body.efficacy.population).toBe(1);
    const m3 = res.body.efficacy.clinicalResponse.find((v: { visit: string }) => v.visit === 'M3');
    expect(m3.rows.find((r: { organ: string }) => r.organ === 'mouth').counts).toEqual({ improvement: { n: 1, percent: 100 } });
    expect(m3.rows.find((r: { organ: string; name?: string }) => r.organ === 'other' && r.name === 'ARTICULAIRE').counts).toEqual({ stabilisation: { n: 1, percent: 100 } });
    expect(m3.rows.find((r: { organ: string }) => r.organ === 'liver').counts).toEqual({ missing: { n: 1, percent: null } });
    const qol = res.body.efficacy.qualityOfLife.find((v: { visit: string }) => v.visit === 'M3');
    expect(qol.rows.find((r: { item: string }) => r.item === 'dry_eyes')).toEqual({ dimension: 'eyes_mouth', item: 'dry_eyes', counts: { very_severe: { n: 1, percent: 100 } } });
    const csv = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2023-09-18&to=2023-09-30&cutoff=2024-01-31').set(await as('agency')).set('Accept', 'text/csv');
    expect(csv.text).toContain('clinicalResponse,M3/mouth:improvement,n,1\n');
    expect(csv.text).toContain('qualityOfLife,M3/skin/itchy_skin:mild,percent,100\n');
  });

  it('gives the compassionate-access medicines their dosing schedules like any medicine (SPEC §10)', async () => {
    const tofersen = await t.http().get('/api/v1/medicines/QALSODY/schedules').set(await as(`pui-${NECKER}`));
    expect(tofersen.status).toBe(200);
    // SPEC §9: "tofersen 100 mg on days 1, 15 and 29, then every 28 days (vials)"
    expect(tofersen.body.items).toEqual([{ policyVersion: null, effectiveFrom: null, schedule: { administrations: [{ day: 1, doseMg: 100 }, { day: 15, doseMg: 100 }, { day: 29, doseMg: 100 }], maintenance: { fromDay: 57, everyDays: 28, doseMg: 100 }, unitMg: 100 } }]);
    const belumosudil = await t.http().get('/api/v1/medicines/REZUROCK/schedules').set(await as('lab'));
    // "belumosudil 200 mg once daily (tablets)"
    expect(belumosudil.body.items[0].schedule).toEqual({ administrations: [], maintenance: { fromDay: 1, everyDays: 1, doseMg: 200 }, unitMg: 200 });
    const nulojix = await t.http().get('/api/v1/medicines/NULOJIX/schedules').set(await as('lab'));
    expect(nulojix.body.items.map((i: { policyVersion: number }) => i.policyVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await t.http().get('/api/v1/medicines/UNKNOWN/schedules').set(await as('lab'))).status).toBe(404);
  });
});
