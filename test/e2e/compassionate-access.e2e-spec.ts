import { JobRegistry } from '../../src/common/contracts/job-registry';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const TENON = withFinessKey('75990002');
const PITIE = withFinessKey('75990005');
const LYON = withFinessKey('69990001');
const AJACCIO = withFinessKey('2A990001');

/** A belumosudil form that meets every criterion of both versions. */
const REZUROCK_OK = {
  organScores: [
    { organ: 'skin', score: 2 },
    { organ: 'mouth', score: 1 },
  ],
  priorSystemicLines: 3,
  priorTreatments: ['corticosteroids', 'ruxolitinib'],
  notEligibleForCorticosteroidsOrRuxolitinib: false,
  weightKg: 62,
  ageYears: 45,
  karnofsky: 80,
  stableCorticosteroidWeeks: 4,
  childBearingPotential: false,
  pregnancyTest: 'not_applicable',
  canBeDeferred: false,
};
const QALSODY_OK = { sod1MutationConfirmed: true, alsDiagnosis: 'probable', ageYears: 50, alsfrsR: 36, permanentVentilation: false, intrathecalAccessPossible: true, childBearingPotential: false };
const ONC201_OK = { h3k27mAltered: true, confirmedByMolecularMeeting: true, tumourLocation: 'thalamus', radiotherapyCompleted: true, ageYears: 30, weightKg: 70, karnofsky: 80 };

describe(`compassionate access (${DB_KIND})`, () => {
  let t: TestApp;
  let nirCounter = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const on = (date: string): void => t.clock.set(new Date(`${date}T10:00:00+02:00`));
  const as = async (username: string) => bearer(await t.token(username));
  const count = async (table: string): Promise<number> => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  async function patient(finess: string, sex: 'F' | 'M'): Promise<string> {
    nirCounter += 1;
    const nir = withNirKey(`${sex === 'M' ? 1 : 2}850175${String(100000 + nirCounter).slice(1).padStart(6, '0')}`);
    const res = await t.http().post('/api/v1/patients').set(await as(`pui-${finess}`)).send({ nir, birthDate: '1985-01-15', sex, weightKg: 60 });
    expect([200, 201]).toContain(res.status);
    return res.body.pseudonym as string;
  }

  async function submit(username: string, body: object) {
    return t.http().post('/api/v1/access-requests').set(await as(username)).send(body);
  }

  /** Submitted, countersigned and authorised on three consecutive days from `date`. */
  async function authorisedRezurock(finess: string, pseudonym: string, date: string, clinical: object = REZUROCK_OK): Promise<string> {
    on(date);
    const req = await submit(`haematologist-${finess}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: pseudonym, clinical });
    expect(req.status).toBe(201);
    on(addDays(date, 1));
    expect((await t.http().post(`/api/v1/access-requests/${req.body.id}/countersign`).set(await as(`pui-${finess}`)).send({ comment: 'ok' })).status).toBe(200);
    on(addDays(date, 2));
    const decided = await t.http().post(`/api/v1/access-requests/${req.body.id}/decision`).set(await as('agency')).send({ decision: 'authorise', reason: '' });
    expect(decided.status).toBe(200);
    return req.body.id as string;
  }

  async function form(finess: string, id: string, date: string, body: object) {
    on(date);
    return t.http().post(`/api/v1/access-requests/${id}/forms`).set(await as(`pui-${finess}`)).send({ date, ...body });
  }

  describe('belumosudil: eligible → countersigned → authorised, forms, exposure', () => {
    let id: string;
    let pseudonym: string;

    it('judges each criterion of the version in force and records the version', async () => {
      on('2023-10-16');
      pseudonym = await patient(NECKER, 'F');
      const res = await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: pseudonym, clinical: REZUROCK_OK });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'submitted', criteriaVersion: 'belumosudil-2023', verdict: 'eligible', patient: pseudonym, establishment: NECKER });
      expect(res.body.eligibility.map((e: { criterion: string; result: string }) => [e.criterion, e.result])).toEqual([
        ['cgvhd_moderate_or_severe', 'met'],
        ['prior_systemic_lines_2_to_5', 'met'],
        ['prior_corticosteroids_and_ruxolitinib', 'met'],
        ['weight_at_least_40_kg', 'met'],
        ['age_at_least_12', 'met'],
        ['performance_status_at_least_60', 'met'],
        ['stable_corticosteroids_2_weeks', 'met'],
        ['negative_pregnancy_test', 'met'],
        ['contraception_agreed', 'met'],
      ]);
      expect(res.body.eligibility[3]).toEqual({ criterion: 'weight_at_least_40_kg', result: 'met', message: 'Weight of at least 40 kg.' });
      id = res.body.id;
    });

    it('is countersigned only by its own establishment’s pharmacist (another establishment: 404)', async () => {
      expect((await t.http().post(`/api/v1/access-requests/${id}/countersign`).set(await as(`pui-${LYON}`)).send({ comment: 'x' })).status).toBe(404);
      expect((await t.http().post(`/api/v1/access-requests/${id}/countersign`).set(await as(`haematologist-${NECKER}`)).send({ comment: 'x' })).status).toBe(403);
      const early = await t.http().post(`/api/v1/access-requests/${id}/decision`).set(await as('agency')).send({ decision: 'authorise' });
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('ACCESS_REQUEST_NOT_COUNTERSIGNED');
      const res = await t.http().post(`/api/v1/access-requests/${id}/countersign`).set(await as(`pui-${NECKER}`)).send({ comment: 'Dossier complet' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'countersigned', countersignature: { on: '2023-10-16', by: `pui-${NECKER}`, comment: 'Dossier complet' } });
    });

    it('is authorised by the agency for 365 days', async () => {
      const res = await t.http().post(`/api/v1/access-requests/${id}/decision`).set(await as('agency')).send({ decision: 'authorise', reason: 'criteria met' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'authorised', criteriaVersion: 'belumosudil-2023', authorisation: { from: '2023-10-16', until: '2024-10-14', renewals: 0, valid: true } });
      const again = await t.http().post(`/api/v1/access-requests/${id}/decision`).set(await as('agency')).send({ decision: 'refuse', reason: 'x' });
      expect(again.status).toBe(409);
    });

    it('receives forms; the patient is exposed once a form confirms administration', async () => {
      const first = await form(NECKER, id, '2023-10-17', { kind: 'initiation', administered: false });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ kind: 'initiation', due: 'initiation', administered: false, exposed: false });
      const dup = await form(NECKER, id, '2023-10-18', { kind: 'initiation', administered: true });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('FORM_ALREADY_RECEIVED');
      const m3 = await form(NECKER, id, '2024-01-16', { kind: 'follow-up', due: 'M3', administered: true, data: { weightKg: 61, adverseEvents: [{ serious: false, expected: true }] } });
      expect(m3.status).toBe(201);
      expect(m3.body.exposed).toBe(true);
      const got = await t.http().get(`/api/v1/access-requests/${id}`).set(await as(`haematologist-${NECKER}`));
      expect(got.status).toBe(200);
      expect(got.body.followUp).toMatchObject({ exposed: true, exposedSince: '2024-01-16', stoppedOn: null });
      expect(got.body.followUp.forms.map((f: { due: string }) => f.due)).toEqual(['initiation', 'M3']);
    });

    it('refuses a bad form data field (400, nothing written) and a follow-up label off the schedule (422)', async () => {
      const before = await count('access_forms');
      const bad = await form(NECKER, id, '2024-04-16', { kind: 'follow-up', due: 'M6', administered: true, data: { weightKg: 'heavy', mood: 'good' } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('FORM_DATA_INVALID');
      expect(bad.body.errors).toEqual([
        { field: 'data.mood', reason: 'is not a known field' },
        { field: 'data.weightKg', reason: 'must be a positive number up to 400' },
      ]);
      const off = await form(NECKER, id, '2024-04-16', { kind: 'follow-up', due: 'M4', administered: true });
      expect(off.status).toBe(422);
      expect(off.body.code).toBe('FORM_DUE_INVALID');
      expect(await count('access_forms')).toBe(before);
    });

    it('is renewed by the agency from the end of its validity, all audited', async () => {
      on('2024-10-01');
      const res = await t.http().post(`/api/v1/access-requests/${id}/renew`).set(await as('agency')).send({});
      expect(res.status).toBe(200);
      expect(res.body.authorisation).toEqual({ from: '2023-10-16', until: '2025-10-14', renewals: 1, valid: true });
      const audit = await t.http().get(`/api/v1/audit?entityId=${id}&limit=100`).set(await as('agency'));
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
        'access-request.submitted',
        'access-request.countersigned',
        'access-request.authorised',
        'access-form.received',
        'access-form.received',
        'access-request.renewed',
      ]);
    });

    it('hides the request from another establishment (404) and lists it only where it belongs', async () => {
      expect((await t.http().get(`/api/v1/access-requests/${id}`).set(await as(`haematologist-${LYON}`))).status).toBe(404);
      expect((await t.http().get(`/api/v1/access-requests/${id}`).set(await as(`pui-${LYON}`))).status).toBe(404);
      expect((await t.http().get(`/api/v1/access-requests/${id}`).set(await as('committee-1'))).status).toBe(404);
      expect((await t.http().get(`/api/v1/access-requests/${id}`).set(await as('onc201-pharmacy'))).status).toBe(404);
      const lab = await t.http().get(`/api/v1/access-requests/${id}`).set(await as('lab'));
      expect(lab.status).toBe(200);
      expect(lab.body.patient).toBe(pseudonym);
      const lyon = await t.http().get('/api/v1/access-requests?limit=500').set(await as(`pui-${LYON}`));
      expect(lyon.body.items.length).toBeGreaterThan(0);
      expect(lyon.body.items.every((r: { establishment: string }) => r.establishment === LYON)).toBe(true);
      const page = await t.http().get('/api/v1/access-requests?limit=2').set(await as('agency'));
      expect(page.body.items).toHaveLength(2);
      expect(typeof page.body.nextCursor).toBe('string');
      const details = await t.http().get(`/api/v1/patients/${pseudonym}`).set(await as(`pui-${NECKER}`));
      expect(details.body.accessRequests.map((r: { id: string }) => r.id)).toEqual([id]);
    });
  });

  describe('who may ask', () => {
    it('refuses a prescriber of a specialty the scheme does not allow (422) and a pharmacist (403)', async () => {
      on('2023-05-15');
      const p = await patient(LYON, 'M');
      const neuro = await submit(`neurologist-${LYON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: REZUROCK_OK });
      expect(neuro.status).toBe(422);
      expect(neuro.body).toMatchObject({ code: 'PRESCRIBER_SPECIALTY_NOT_ALLOWED' });
      const nephro = await submit(`prescriber-${LYON}`, { medicine: 'QALSODY', indication: 'sod1-als', patient: p, clinical: QALSODY_OK });
      expect(nephro.status).toBe(422);
      const pui = await submit(`pui-${LYON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: REZUROCK_OK });
      expect(pui.status).toBe(403);
      const other = await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: REZUROCK_OK });
      expect(other.status).toBe(404);
      const nulojix = await submit(`haematologist-${LYON}`, { medicine: 'NULOJIX', indication: 'rescue', patient: p, clinical: {} });
      expect(nulojix.status).toBe(422);
      expect(nulojix.body.code).toBe('MEDICINE_NOT_COMPASSIONATE');
    });
  });

  describe('bad clinical forms', () => {
    it('refuses a wrong-typed field, naming it, writing nothing', async () => {
      on('2023-10-16');
      const p = await patient(NECKER, 'M');
      const before = await count('access_requests');
      const res = await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: { ...REZUROCK_OK, weightKg: 'sixty' } });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'CLINICAL_FORM_INVALID', errors: [{ field: 'clinical.weightKg', reason: 'must be a positive number up to 400' }] });
      expect(await count('access_requests')).toBe(before);
    });

    it('refuses an unknown field and a bad nested score, writing nothing', async () => {
      const p = await patient(NECKER, 'F');
      const before = await count('access_requests');
      const res = await submit(`haematologist-${NECKER}`, {
        medicine: 'REZUROCK',
        indication: 'cgvhd',
        patient: p,
        clinical: { ...REZUROCK_OK, favouriteColour: 'blue', organScores: [{ organ: 'skin', score: 4 }] },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'clinical.favouriteColour', reason: 'is not a known field' },
        { field: 'clinical.organScores[0].score', reason: 'must be an integer from 0 to 3' },
      ]);
      expect(await count('access_requests')).toBe(before);
    });

    it('says unknown, naming the missing field, when the form leaves one out', async () => {
      const p = await patient(NECKER, 'M');
      const { weightKg: _omitted, ...withoutWeight } = REZUROCK_OK;
      const res = await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: withoutWeight });
      expect(res.status).toBe(201);
      expect(res.body.verdict).toBe('incomplete');
      expect(res.body.failingCriteria).toEqual([{ criterion: 'weight_at_least_40_kg', result: 'unknown', message: 'Weight of at least 40 kg. — cannot be judged: missing weightKg.' }]);
    });
  });

  describe('refusal', () => {
    it('lists the failing criteria and will not authorise an ineligible request', async () => {
      on('2023-10-16');
      const p = await patient(LYON, 'F');
      const res = await submit(`haematologist-${LYON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: { ...REZUROCK_OK, priorSystemicLines: 6, weightKg: 38 } });
      expect(res.status).toBe(201);
      expect(res.body.verdict).toBe('not_eligible');
      await t.http().post(`/api/v1/access-requests/${res.body.id}/countersign`).set(await as(`pui-${LYON}`)).send({});
      const authorise = await t.http().post(`/api/v1/access-requests/${res.body.id}/decision`).set(await as('agency')).send({ decision: 'authorise' });
      expect(authorise.status).toBe(422);
      expect(authorise.body.code).toBe('ACCESS_REQUEST_NOT_ELIGIBLE');
      expect(authorise.body.detail).toContain('prior_systemic_lines_2_to_5 (not_met)');
      const noReason = await t.http().post(`/api/v1/access-requests/${res.body.id}/decision`).set(await as('agency')).send({ decision: 'refuse' });
      expect(noReason.status).toBe(422);
      const refused = await t.http().post(`/api/v1/access-requests/${res.body.id}/decision`).set(await as('agency')).send({ decision: 'refuse', reason: 'Criteria not met.' });
      expect(refused.status).toBe(200);
      expect(refused.body).toMatchObject({ status: 'refused', decision: { decision: 'refuse', reason: 'Criteria not met.', by: 'agency' } });
      expect(refused.body.failingCriteria).toEqual([
        { criterion: 'prior_systemic_lines_2_to_5', result: 'not_met', message: 'Not met: At least 2 and at most 5 prior systemic lines.' },
        { criterion: 'weight_at_least_40_kg', result: 'not_met', message: 'Not met: Weight of at least 40 kg.' },
      ]);
    });

    it('refuses a form for a patient who is not authorised (409), writing nothing', async () => {
      on('2023-10-16');
      const p = await patient(TENON, 'M');
      const res = await submit(`haematologist-${TENON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: REZUROCK_OK });
      const before = await count('access_forms');
      const f = await form(TENON, res.body.id, '2023-10-16', { kind: 'initiation', administered: true });
      expect(f.status).toBe(409);
      expect(f.body.code).toBe('FORM_REQUEST_NOT_AUTHORISED');
      expect(await count('access_forms')).toBe(before);
      const dup = await submit(`haematologist-${TENON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: p, clinical: REZUROCK_OK });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('ACCESS_REQUEST_ALREADY_OPEN');
    });
  });

  describe('tofersen through the national ALS meeting', () => {
    it('goes to meeting review at countersignature; only the meeting’s members decide, never on their own establishment', async () => {
      on('2023-05-15');
      const p = await patient(NECKER, 'M');
      const res = await submit(`neurologist-${NECKER}`, { medicine: 'QALSODY', indication: 'sod1-als', patient: p, clinical: QALSODY_OK });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ criteriaVersion: 'tofersen-2023', verdict: 'eligible' });
      const signed = await t.http().post(`/api/v1/access-requests/${res.body.id}/countersign`).set(await as(`pui-${NECKER}`)).send({ comment: '' });
      expect(signed.body.status).toBe('meeting_review');
      const early = await t.http().post(`/api/v1/access-requests/${res.body.id}/decision`).set(await as('agency')).send({ decision: 'authorise' });
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('ACCESS_REQUEST_AWAITING_MEETING');
      expect((await t.http().post(`/api/v1/access-requests/${res.body.id}/meeting`).set(await as('committee-1')).send({ decision: 'approve', rationale: 'x' })).status).toBe(404);
      expect((await t.http().post(`/api/v1/access-requests/${res.body.id}/meeting`).set(await as('molecular-meeting-1')).send({ decision: 'approve', rationale: 'x' })).status).toBe(404);
      expect((await t.http().post(`/api/v1/access-requests/${res.body.id}/meeting`).set(await as('agency')).send({ decision: 'approve', rationale: 'x' })).status).toBe(403);
      const queue = await t.http().get('/api/v1/access-requests?status=meeting_review&limit=500').set(await as('als-meeting-1'));
      expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(res.body.id);
      expect(queue.body.items.every((r: { medicine: string }) => r.medicine === 'QALSODY')).toBe(true);
      const approved = await t.http().post(`/api/v1/access-requests/${res.body.id}/meeting`).set(await as('als-meeting-1')).send({ decision: 'approve', rationale: 'SOD1 confirmed, ALSFRS-R 36.' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'meeting_review', meeting: { decision: 'approve', by: 'als-meeting-1', rationale: 'SOD1 confirmed, ALSFRS-R 36.' } });
      const twice = await t.http().post(`/api/v1/access-requests/${res.body.id}/meeting`).set(await as('als-meeting-2')).send({ decision: 'reject', rationale: 'x' });
      expect(twice.status).toBe(409);
      const authorised = await t.http().post(`/api/v1/access-requests/${res.body.id}/decision`).set(await as('agency')).send({ decision: 'authorise' });
      expect(authorised.status).toBe(200);
      expect(authorised.body).toMatchObject({ status: 'authorised', criteriaVersion: 'tofersen-2023' });

      const own = await patient(PITIE, 'F');
      const fromPitie = await submit(`neurologist-${PITIE}`, { medicine: 'QALSODY', indication: 'sod1-als', patient: own, clinical: QALSODY_OK });
      await t.http().post(`/api/v1/access-requests/${fromPitie.body.id}/countersign`).set(await as(`pui-${PITIE}`)).send({});
      const conflict = await t.http().post(`/api/v1/access-requests/${fromPitie.body.id}/meeting`).set(await as('als-meeting-1')).send({ decision: 'approve', rationale: 'x' });
      expect(conflict.status).toBe(422);
      expect(conflict.body.code).toBe('MEETING_MEMBER_OWN_ESTABLISHMENT');
      const rejected = await t.http().post(`/api/v1/access-requests/${fromPitie.body.id}/meeting`).set(await as('als-meeting-2')).send({ decision: 'reject', rationale: 'Permanent ventilation expected soon.' });
      expect(rejected.body).toMatchObject({ status: 'refused', decision: { decision: 'refuse', reason: 'Permanent ventilation expected soon.', by: 'als-meeting-2' } });
    });
  });

  describe('criteria versions as data', () => {
    it('applies the 2025-09-17 belumosudil version from its date, by the request date', async () => {
      const clinical = { ...REZUROCK_OK, priorSystemicLines: 6, canBeDeferred: true };
      on('2025-09-16');
      const before = await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: await patient(NECKER, 'F'), clinical });
      expect(before.body.criteriaVersion).toBe('belumosudil-2023');
      expect(before.body.failingCriteria.map((e: { criterion: string }) => e.criterion)).toEqual(['prior_systemic_lines_2_to_5']);
      on('2025-09-17');
      const after = await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: await patient(NECKER, 'M'), clinical });
      expect(after.body.criteriaVersion).toBe('belumosudil-2025');
      expect(after.body.failingCriteria).toEqual([{ criterion: 'cannot_be_deferred', result: 'not_met', message: 'Not met: The treatment cannot be deferred.' }]);
      const list = await t.http().get('/api/v1/medicines/REZUROCK/criteria').set(await as(`haematologist-${NECKER}`));
      expect(list.body.items.map((v: { version: string; effectiveFrom: string }) => [v.version, v.effectiveFrom])).toEqual([
        ['belumosudil-2023', '2023-09-26'],
        ['belumosudil-2025', '2025-09-17'],
      ]);
    });

    it('refuses a criterion rule that does not parse when published (400), writing nothing', async () => {
      on('2026-06-01');
      const before = await count('access_criteria_versions');
      const res = await t.http().post('/api/v1/medicines/QALSODY/criteria').set(await as('agency')).send({
        version: 'tofersen-2027',
        effectiveFrom: '2027-01-01',
        criteria: [
          { id: 'adult', sentence: 'Aged 18 or over.', rule: { '>=': [{ var: 'ageYears' }, 18] } },
          { id: 'broken', sentence: 'A rule with an unknown operator.', rule: { frobnicate: [{ var: 'ageYears' }] } },
          { id: 'arity', sentence: 'Wrong arity.', rule: { '>=': [1] } },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('CRITERIA_INVALID');
      expect(res.body.errors).toEqual([
        { field: 'criteria[1].rule', reason: 'unknown operator "frobnicate"' },
        { field: 'criteria[2].rule.>=', reason: '">=" takes 2 argument(s), found 1' },
      ]);
      expect(await count('access_criteria_versions')).toBe(before);
      const past = await t.http().post('/api/v1/medicines/QALSODY/criteria').set(await as('agency')).send({ version: 'tofersen-old', effectiveFrom: '2026-01-01', criteria: [{ id: 'adult', sentence: 'Adult.', rule: true }] });
      expect(past.status).toBe(422);
      expect((await t.http().post('/api/v1/medicines/QALSODY/criteria').set(await as('lab')).send({ version: 'v', effectiveFrom: '2027-01-01', criteria: [] })).status).toBe(403);
      expect(await count('access_criteria_versions')).toBe(before);
    });

    it('publishes a new version without a deploy; requests from its date are judged by it', async () => {
      on('2026-06-01');
      const res = await t.http().post('/api/v1/medicines/QALSODY/criteria').set(await as('agency')).send({
        version: 'tofersen-2027',
        effectiveFrom: '2027-01-01',
        criteria: [
          { id: 'sod1_mutation_confirmed', sentence: 'A pathogenic SOD1 mutation.', rule: { '===': [{ var: 'sod1MutationConfirmed' }, true] } },
          { id: 'alsfrs_at_least_24', sentence: 'ALSFRS-R of at least 24.', rule: { '>=': [{ var: 'alsfrsR' }, 24] } },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ scheme: 'tofersen', version: 'tofersen-2027', publishedBy: 'agency' });
      const dup = await t.http().post('/api/v1/medicines/QALSODY/criteria').set(await as('agency')).send({ version: 'tofersen-2027', effectiveFrom: '2027-02-01', criteria: [{ id: 'a', sentence: 'A.', rule: true }] });
      expect(dup.status).toBe(409);
      on('2027-01-04');
      const req = await submit(`neurologist-${LYON}`, { medicine: 'QALSODY', indication: 'sod1-als', patient: await patient(LYON, 'M'), clinical: { ...QALSODY_OK, alsfrsR: 20 } });
      expect(req.body.criteriaVersion).toBe('tofersen-2027');
      expect(req.body.eligibility.map((e: { criterion: string; result: string }) => [e.criterion, e.result])).toEqual([
        ['sod1_mutation_confirmed', 'met'],
        ['alsfrs_at_least_24', 'not_met'],
      ]);
    });
  });

  describe('ONC201 replaced by dordaviprone from 2026-04-01', () => {
    it('switches the authorised patients without losing their follow-up', async () => {
      on('2025-06-02');
      const p = await patient(NECKER, 'F');
      const req = await submit(`oncologist-${NECKER}`, { medicine: 'ONC201', indication: 'h3k27m-glioma', patient: p, clinical: ONC201_OK });
      expect(req.status).toBe(201);
      await t.http().post(`/api/v1/access-requests/${req.body.id}/countersign`).set(await as(`pui-${NECKER}`)).send({});
      const approved = await t.http().post(`/api/v1/access-requests/${req.body.id}/meeting`).set(await as('molecular-meeting-1')).send({ decision: 'approve', rationale: 'H3K27M confirmed.' });
      expect(approved.status).toBe(200);
      on('2025-06-05');
      await t.http().post(`/api/v1/access-requests/${req.body.id}/decision`).set(await as('agency')).send({ decision: 'authorise' });
      expect((await form(NECKER, req.body.id, '2025-06-06', { kind: 'initiation', administered: true })).status).toBe(201);
      expect((await form(NECKER, req.body.id, '2025-09-06', { kind: 'follow-up', due: 'M3', administered: true })).status).toBe(201);
      const reports = await t.http().get('/api/v1/access-requests?medicine=ONC201').set(await as('onc201-pharmacy'));
      expect(reports.body.items.map((r: { id: string }) => r.id)).toEqual([req.body.id]);

      on('2026-03-31');
      const early = await t.http().post('/api/v1/medicines/ONC201/switch').set(await as('agency')).send({});
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('REPLACEMENT_NOT_IN_FORCE');
      const notYet = await submit(`oncologist-${LYON}`, { medicine: 'DORDAVIPRONE', indication: 'h3k27m-glioma', patient: await patient(LYON, 'M'), clinical: ONC201_OK });
      expect(notYet.status).toBe(422);
      expect(notYet.body.code).toBe('MEDICINE_NOT_YET_AVAILABLE');

      on('2026-04-01');
      const switched = await t.http().post('/api/v1/medicines/ONC201/switch').set(await as('agency')).send({});
      expect(switched.status).toBe(200);
      expect(switched.body).toMatchObject({ medicine: 'ONC201', successor: 'DORDAVIPRONE', on: '2026-04-01', switched: [{ from: req.body.id, patient: p }] });
      const next = switched.body.switched[0].to as string;
      const again = await t.http().post('/api/v1/medicines/ONC201/switch').set(await as('agency')).send({});
      expect(again.body.switched).toEqual([]);
      const old = await t.http().get(`/api/v1/access-requests/${req.body.id}`).set(await as(`pui-${NECKER}`));
      expect(old.body).toMatchObject({ status: 'authorised', switchedTo: next });
      const carried = await t.http().get(`/api/v1/access-requests/${next}`).set(await as(`pui-${NECKER}`));
      expect(carried.body).toMatchObject({ medicine: 'DORDAVIPRONE', status: 'authorised', carriedFrom: req.body.id, criteriaVersion: 'onc201-2024', authorisation: { from: '2025-06-05', until: '2026-06-04' } });
      expect(carried.body.followUp.forms.map((f: { due: string; medicine: string }) => [f.due, f.medicine])).toEqual([
        ['initiation', 'ONC201'],
        ['M3', 'ONC201'],
      ]);
      expect(carried.body.followUp.exposed).toBe(true);

      const onOld = await form(NECKER, req.body.id, '2026-04-02', { kind: 'follow-up', due: 'M9', administered: true });
      expect(onOld.status).toBe(409);
      expect(onOld.body.code).toBe('FORM_REQUEST_SWITCHED');
      expect((await form(NECKER, next, '2026-04-02', { kind: 'initiation', administered: true })).body.code).toBe('FORM_ALREADY_RECEIVED');
      expect((await form(NECKER, next, '2026-04-02', { kind: 'follow-up', due: 'M9', administered: true })).status).toBe(201);
      const replaced = await submit(`oncologist-${LYON}`, { medicine: 'ONC201', indication: 'h3k27m-glioma', patient: await patient(LYON, 'F'), clinical: ONC201_OK });
      expect(replaced.body.code).toBe('MEDICINE_REPLACED');

      const overdue = (await t.app.get(JobRegistry).get('access-forms.overdue')?.({ date: '2026-05-01' })) as { overdue: { request: string; form: string }[] };
      expect(overdue.overdue.filter((o) => o.request === req.body.id || o.request === next)).toEqual([
        expect.objectContaining({ request: next, form: 'M6', dueOn: '2025-12-05', daysOverdue: 117 }),
      ]);
    });
  });

  describe('daily overdue forms job', () => {
    it('reports forms due past the grace period and not received, and writes an audit event', async () => {
      const handler = t.app.get(JobRegistry).get('access-forms.overdue');
      expect(handler).toBeDefined();
      const result = (await handler?.({ date: '2023-08-01' })) as { date: string; overdue: { establishment: string; form: string; dueOn: string; daysOverdue: number; medicine: string }[] };
      // demo: Lille's belumosudil request authorised 2023-03-17, its M3 (due 06-17) never sent: overdue from 07-17, 15 days on 08-01
      expect(result.overdue).toEqual(expect.arrayContaining([expect.objectContaining({ medicine: 'REZUROCK', establishment: withFinessKey('59990001'), form: 'M3', dueOn: '2023-06-17', daysOverdue: 15 })]));
      const audit = await t.http().get('/api/v1/audit?action=access-forms.overdue-reported&limit=100').set(await as('agency'));
      expect(audit.body.items.map((e: { entityId: string }) => e.entityId)).toContain('2023-08-01');
    });
  });

  describe('periodic report on a hand-worked cohort', () => {
    const cohort = { A: '', B: '', C: '', D: '', E: '', F: '', G: '' };

    beforeAll(async () => {
      const clinical = (extra: object) => ({ ...REZUROCK_OK, ...extra });
      on('2024-01-01');
      const pA = await patient(NECKER, 'F');
      const pB = await patient(LYON, 'M');
      const pC = await patient(AJACCIO, 'F');
      const pD = await patient(NECKER, 'M');
      const pE = await patient(LYON, 'F');
      const pF = await patient(TENON, 'M');
      const pG = await patient(NECKER, 'M');
      cohort.A = await authorisedRezurock(NECKER, pA, '2024-01-08', clinical({ priorSystemicLines: 3, weightKg: 60, ageYears: 40, karnofsky: 80, stableCorticosteroidWeeks: 4, childBearingPotential: true, pregnancyTest: 'negative', contraceptionAgreed: true }));
      expect((await form(NECKER, cohort.A, '2024-01-10', { kind: 'initiation', administered: true, data: { adverseEvents: [{ serious: true, expected: false }] } })).status).toBe(201);
      cohort.B = await authorisedRezurock(LYON, pB, '2024-02-05', clinical({ priorSystemicLines: 2, weightKg: 50, ageYears: 20, karnofsky: 90, stableCorticosteroidWeeks: 2 }));
      expect((await form(LYON, cohort.B, '2024-02-09', { kind: 'initiation', administered: true, data: { adverseEvents: [{ serious: false, expected: true }] } })).status).toBe(201);
      const { karnofsky: _k, ...noKarnofsky } = REZUROCK_OK;
      cohort.C = await authorisedRezurock(AJACCIO, pC, '2024-03-04', { ...noKarnofsky, priorSystemicLines: 4, weightKg: 70, ageYears: 14, lansky: 70, stableCorticosteroidWeeks: 6 });
      expect((await form(AJACCIO, cohort.C, '2024-03-07', { kind: 'initiation', administered: false })).status).toBe(201);
      on('2024-03-18');
      cohort.D = (await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: pD, clinical: clinical({ priorSystemicLines: 6 }) })).body.id;
      on('2024-03-19');
      await t.http().post(`/api/v1/access-requests/${cohort.D}/countersign`).set(await as(`pui-${NECKER}`)).send({});
      on('2024-03-20');
      expect((await t.http().post(`/api/v1/access-requests/${cohort.D}/decision`).set(await as('agency')).send({ decision: 'refuse', reason: 'More than 5 lines.' })).status).toBe(200);
      expect((await form(LYON, cohort.B, '2024-04-01', { kind: 'stop', reason: 'death' })).status).toBe(201);
      on('2024-04-12');
      cohort.E = (await submit(`haematologist-${LYON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: pE, clinical: REZUROCK_OK })).body.id;
      expect((await form(NECKER, cohort.A, '2024-04-12', { kind: 'follow-up', due: 'M3', administered: true })).status).toBe(201);
      on('2024-04-13');
      await t.http().post(`/api/v1/access-requests/${cohort.E}/countersign`).set(await as(`pui-${LYON}`)).send({});
      on('2024-04-15');
      expect((await t.http().post(`/api/v1/access-requests/${cohort.E}/decision`).set(await as('agency')).send({ decision: 'exclude', reason: 'Started before the authorisation.' })).status).toBe(200);
      on('2024-06-03');
      cohort.F = (await submit(`haematologist-${TENON}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: pF, clinical: REZUROCK_OK })).body.id;
      on('2024-06-04');
      await t.http().post(`/api/v1/access-requests/${cohort.F}/countersign`).set(await as(`pui-${TENON}`)).send({});
      expect((await form(AJACCIO, cohort.C, '2024-06-07', { kind: 'follow-up', due: 'M3', administered: true })).status).toBe(201);
      on('2024-07-02');
      cohort.G = (await submit(`haematologist-${NECKER}`, { medicine: 'REZUROCK', indication: 'cgvhd', patient: pG, clinical: REZUROCK_OK })).body.id;
      expect((await form(AJACCIO, cohort.C, '2024-10-05', { kind: 'follow-up', due: 'M6', administered: true })).status).toBe(201);
      on('2024-10-10');
    });

    const url = '/api/v1/medicines/REZUROCK/reports?from=2024-01-01&to=2024-06-30&cutoff=2024-09-30';

    it('gives every figure as worked out by hand (JSON)', async () => {
      const res = await t.http().get(url).set(await as('agency'));
      expect(res.status).toBe(200);
      const ids = { IDF: 'Île-de-France', ARA: 'Auvergne-Rhône-Alpes' };
      expect(res.body).toMatchObject({
        medicine: 'REZUROCK',
        medicineName: 'Rezurock 200 mg (bélumosudil), comprimé',
        scheme: 'belumosudil',
        period: { from: '2024-01-01', to: '2024-06-30', cutoff: '2024-09-30' },
        // A B C D E F received (G on 07-02 is after the period); A B C accepted, D refused, E excluded, F undecided
        requests: { received: 6, excluded: 1, pending: 1, accepted: 3, refused: 1, carriedOver: 0 },
        // exposed: A (01-10), B (02-09), C (06-07; its initiation said not administered). Follow-up "depuis la date de la
        // demande d'AC" to the last form, in months of 30.4375 days: A 01-08 → 04-12 = 95 d = 3.121; B 02-05 → 04-01 = 56 d = 1.840;
        // C 03-04 → 06-07 = 95 d = 3.121; median 3.12; mean 2.69 → 2.7, SD 0.74 → 0.7, Q1 (n·p 0.75 → 1st) 1.8, Q3 (2.25 → 3rd) 3.1
        patients: {
          included: 3, exposed: 3, exposedPercent: 100, medianFollowUpMonths: 3.12,
          followUpMonths: { n: 3, mean: 2.7, sd: 0.7, median: 3.1, q1: 1.8, q3: 3.1, min: 1.8, max: 3.1, missing: 0 },
        },
        // expected before 09-30: A (01-10) initiation M3 M6; B (02-07, stopped 04-01) initiation; C (03-06) initiation M3 M6 (09-06)
        // received by 09-30: initiation A B C; M3 A C; C's M6 came 10-05
        forms: [
          { form: 'initiation', received: 3, expected: 3, percent: 100 },
          { form: 'M3', received: 2, expected: 2, percent: 100 },
          { form: 'M6', received: 0, expected: 2, percent: 0 },
        ],
        variables: {
          // 40 20 14: mean 24.67, sd √(370.67 / 2) = 13.61; sorted 14 20 40: median 1.5 → 2nd, q1 0.75 → 1st, q3 2.25 → 3rd
          ageYears: { n: 3, mean: 24.67, sd: 13.61, median: 20, q1: 14, q3: 40, min: 14, max: 40, missing: 0 },
          weightKg: { n: 3, mean: 60, sd: 10, median: 60, q1: 50, q3: 70, min: 50, max: 70, missing: 0 },
          priorSystemicLines: { n: 3, mean: 3, sd: 1, median: 3, q1: 2, q3: 4, min: 2, max: 4, missing: 0 },
          // 80 90 (C is 14: Lansky): median n·p = 1 → mean of 1st and 2nd; q1 0.5 → 1st; q3 1.5 → 2nd; sd √50 = 7.07
          karnofsky: { n: 2, mean: 85, sd: 7.07, median: 85, q1: 80, q3: 90, min: 80, max: 90, missing: 1 },
          lansky: { n: 1, mean: 70, sd: null, median: 70, q1: 70, q3: 70, min: 70, max: 70, missing: 2 },
          stableCorticosteroidWeeks: { n: 3, mean: 4, sd: 2, median: 4, q1: 2, q3: 6, min: 2, max: 6, missing: 0 },
        },
        categories: {
          pregnancyTest: { negative: { n: 1, percent: 33.3 }, positive: { n: 0, percent: 0 }, not_applicable: { n: 2, percent: 66.7 } },
          childBearingPotential: { true: { n: 1, percent: 33.3 }, false: { n: 2, percent: 66.7 } },
          sex: { F: { n: 2, percent: 66.7 }, M: { n: 1, percent: 33.3 } },
        },
        stops: { progression: 0, adverse_event: 0, death: 1, patient_wish: 0, transfer: 0, other: 0, total: 1 },
        adverseEvents: { total: 2, serious: { expected: 0, unexpected: 1 }, nonSerious: { expected: 1, unexpected: 0 } },
        // prescribers and centres that included patients: the haematologists of Necker (A), Lyon (B), Ajaccio (C, CHG, Corse);
        // D (refused), E (excluded) and F (pending) included nobody
        prescribers: { total: 3, byRegion: { [ids.IDF]: 1, [ids.ARA]: 1, Corse: 1 }, byCategory: { CHU: 2, CHG: 1 } },
        centres: { total: 3, byRegion: { [ids.IDF]: 1, [ids.ARA]: 1, Corse: 1 }, byCategory: { CHU: 2, CHG: 1 } },
        inclusions: {
          prescribers: 3, centres: 3,
          centresByCategory: { CHU: { n: 2, percent: 66.7 }, CHG: { n: 1, percent: 33.3 } },
          prescribersBySpecialty: { haematology: { n: 3, percent: 100 } },
          patientsPerPrescriber: { n: 3, mean: 1, sd: 0, median: 1, q1: 1, q3: 1, min: 1, max: 1, missing: 0 },
        },
        // A's serious unexpected event and B's non-serious expected one: two cases without causality, so related
        pharmacovigilance: { cases: { total: { cases: 2, patients: 2 }, related: { cases: 2, patients: 2 }, serious: { cases: 1, patients: 1 }, seriousRelated: { cases: 1, patients: 1 }, deaths: { cases: 0, patients: 0 }, ledToStop: { cases: 0, patients: 0 } } },
        derogations: 0,
        // REZUROCK_OK has organ scores skin 2 and mouth 1: one organ other than lung scored 2 → moderate
        characteristics: { gvhdGrade: { moderate: { n: 3, percent: 100 }, severe: { n: 0, percent: 0 } }, ageClasses: { adult: { n: 2, percent: 66.7 }, child: { n: 1, percent: 33.3 } } },
        // C censored at 0, B dies at 1.71 with 2 at risk (S = 1/2), A censored at 3.06; beyond the last news at 24 months: null
        survival: {
          unit: 'months',
          n: 3,
          events: 1,
          steps: [
            { time: 0, atRisk: 3, events: 0, censored: 1, survival: 1 },
            { time: 1.71, atRisk: 2, events: 1, censored: 0, survival: 0.5 },
            { time: 3.06, atRisk: 1, events: 0, censored: 1, survival: 0.5 },
          ],
          at: { time: 24, survival: null },
        },
      });
    });

    it('gives the same figures as CSV', async () => {
      const res = await t.http().get(url).set(await as('lab')).set('Accept', 'text/csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const lines = res.text.split('\n');
      expect(lines[0]).toBe('section,item,measure,value');
      for (const line of [
        'period,,cutoff,2024-09-30',
        'requests,,received,6',
        'requests,,accepted,3',
        'requests,,refused,1',
        'requests,,excluded,1',
        'requests,,pending,1',
        'patients,,included,3',
        'patients,,exposed,3',
        'patients,,medianFollowUpMonths,3.12',
        'forms,initiation,percent,100',
        'forms,M3,received,2',
        'forms,M6,expected,2',
        'forms,M6,percent,0',
        'variables,ageYears,mean,24.67',
        'variables,ageYears,sd,13.61',
        'variables,ageYears,q1,14',
        'variables,ageYears,q3,40',
        'variables,karnofsky,missing,1',
        'variables,lansky,sd,',
        'categories,pregnancyTest:not_applicable,percent,66.7',
        'categories,sex:F,n,2',
        'stops,death,n,1',
        'adverseEvents,serious:unexpected,n,1',
        'adverseEvents,nonSerious:expected,n,1',
        'prescribers,total,n,3',
        'centres,category:CHG,n,1',
        'prescribers,region:Île-de-France,n,1',
        'survival,t=1.71,survival,0.5',
        'survival,at=24 months,survival,',
      ]) {
        expect(lines).toContain(line);
      }
    });

    it('gives a printable French page', async () => {
      const res = await t.http().get(url).set(await as('agency')).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('Rapport périodique');
      expect(res.text).toContain('@media print');
      expect(res.text).toContain('24,67 ± 13,61');
      expect(res.text).toContain('14 ; 40');
    });

    it('refuses a cut-off before the start (422) and is for the agency and the supplier only', async () => {
      const res = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2024-01-01&to=2024-06-30&cutoff=2023-12-31').set(await as('agency'));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'REPORT_CUTOFF_BEFORE_START', errors: [{ field: 'cutoff' }] });
      expect((await t.http().get(url).set(await as(`pui-${NECKER}`))).status).toBe(403);
      expect((await t.http().get(url).set(await as('committee-1'))).status).toBe(403);
      expect((await t.http().get(url).set(await as('onc201-pharmacy'))).status).toBe(404);
      const bad = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2024-01-01&to=2024-13-45&cutoff=2024-09-30').set(await as('agency'));
      expect(bad.status).toBe(422);
    });
  });
});

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
