import { JobRegistry } from '../../src/common/contracts/job-registry';
import { withFinessKey } from '../../src/common/domain/finess';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const LILLE = withFinessKey('59990001');
const BORDEAUX = withFinessKey('33990001');

/** The demo data as it stands on 2026-11-24: after the ONC201 → dordaviprone switch of 2026-04-01. */
describe(`compassionate-access demo data (${DB_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CONTINGENT_NOW: '2026-11-24T10:00:00+01:00' });
  });
  afterAll(async () => {
    await t.close();
  });
  const as = async (username: string) => bearer(await t.token(username));

  it('ships the schemes as data: specialties, meetings, schedules, the replacement', async () => {
    const qalsody = await t.http().get('/api/v1/medicines/QALSODY/access-scheme').set(await as(`neurologist-${NECKER}`));
    expect(qalsody.status).toBe(200);
    expect(qalsody.body).toMatchObject({
      scheme: 'tofersen',
      prescriberSpecialties: ['neurology'],
      meeting: 'als-meeting',
      schedule: {
        administrations: [
          { day: 1, doseMg: 100 },
          { day: 15, doseMg: 100 },
          { day: 29, doseMg: 100 },
        ],
        maintenance: { fromDay: 57, everyDays: 28, doseMg: 100 },
        unitMg: 100,
      },
    });
    const rezurock = await t.http().get('/api/v1/medicines/REZUROCK/access-scheme').set(await as('agency'));
    expect(rezurock.body).toMatchObject({ prescriberSpecialties: ['haematology'], meeting: null, schedule: { maintenance: { everyDays: 1, doseMg: 200 }, unitMg: 200 } });
    const onc201 = await t.http().get('/api/v1/medicines/ONC201/access-scheme').set(await as('onc201-pharmacy'));
    expect(onc201.body).toMatchObject({ supplier: 'onc201-pharmacy', meeting: 'molecular-meeting', replacedBy: 'DORDAVIPRONE', replacedFrom: '2026-04-01' });
    expect((await t.http().get('/api/v1/medicines/NULOJIX/access-scheme').set(await as('agency'))).status).toBe(404);
  });

  it('has switched the ONC201 patients still authorised to dordaviprone, keeping their follow-up', async () => {
    const onc = await t.http().get('/api/v1/access-requests?medicine=ONC201&limit=50').set(await as('agency'));
    expect(onc.body.items).toHaveLength(3);
    const switched = onc.body.items.filter((r: { switchedTo: string | null }) => r.switchedTo !== null);
    expect(switched.map((r: { establishment: string }) => r.establishment).sort()).toEqual([BORDEAUX, NECKER].sort());
    const dord = await t.http().get('/api/v1/access-requests?medicine=DORDAVIPRONE&limit=50').set(await as('agency'));
    expect(dord.body.items).toHaveLength(2);
    for (const r of dord.body.items as { id: string; status: string; carriedFrom: string; decision: { on: string } }[]) {
      expect(r).toMatchObject({ status: 'authorised', decision: { on: '2026-04-01' } });
      expect(switched.map((s: { id: string }) => s.id)).toContain(r.carriedFrom);
    }
    const necker = (dord.body.items as { id: string; establishment: string }[]).find((r) => r.establishment === NECKER) as { id: string };
    const detail = await t.http().get(`/api/v1/access-requests/${necker.id}`).set(await as(`pui-${NECKER}`));
    const forms = detail.body.followUp.forms as { due: string; medicine: string; date: string }[];
    expect(forms[0]).toMatchObject({ due: 'initiation', medicine: 'ONC201', date: '2024-03-18' });
    expect(forms.filter((f) => f.medicine === 'DORDAVIPRONE').map((f) => f.due)).toEqual(['M27', 'M30']);
  });

  it('fills every table of the Rezurock report n°1 period (26/09/2023 – 25/03/2024) with the demo data', async () => {
    const res = await t.http().get('/api/v1/medicines/REZUROCK/reports?from=2023-09-26&to=2024-03-25&cutoff=2024-03-25').set(await as('agency'));
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.requests).toMatchObject({ received: 5, pending: 1, accepted: 4 });
    expect(r.patients).toMatchObject({ included: 4, exposed: 4, exposedPercent: 100 });
    expect(r.derogations).toBe(2);
    expect(Object.keys(r.characteristics).sort()).toEqual(['ageClasses', 'bmi', 'bmiClasses', 'gvhdGrade', 'heightCm', 'priorLinesIncludeCorticosteroidsAndRuxolitinib', 'protonPumpInhibitor', 'strongCyp3aInducer']);
    expect(r.characteristics.ageClasses).toEqual({ adult: { n: 3, percent: 75 }, child: { n: 1, percent: 25 } });
    expect(r.characteristics.priorLinesIncludeCorticosteroidsAndRuxolitinib).toEqual({ no: { n: 1, percent: 25 }, yes: { n: 3, percent: 75 } });
    expect(r.conditionsOfUse).toEqual({ followUpForms: 3, interruptions: 1, doseChanges: 1 });
    expect(r.stopReasons.byReason).toMatchObject({ adverse_event: { n: 1, percent: 100 }, progression: { n: 1, percent: 100 } });
    expect(r.pharmacovigilance.cases).toMatchObject({ total: { cases: 3, patients: 3 }, related: { cases: 3, patients: 3 }, serious: { cases: 2, patients: 2 }, ledToStop: { cases: 1, patients: 1 } });
    expect(r.pharmacovigilance.events.map((e: { pt: string }) => e.pt).sort()).toEqual(['Cancer épidermoïde', 'Céphalée', 'Diarrhée', 'Embolie', 'Hypertension']);
    expect(r.inclusions).toMatchObject({ prescribers: 4, centres: 4, prescribersBySpecialty: { haematology: { n: 4, percent: 100 } } });
    expect(r.priorLinesListing).toEqual([{ patient: expect.any(String), lines: ['ruxolitinib', 'methotrexate'] }]);
    // Tableaux 9 and 10 over the 3 exposed patients with an M3 form (the fourth stopped before it)
    expect(r.efficacy.population).toBe(3);
    const m3 = r.efficacy.clinicalResponse.find((v: { visit: string }) => v.visit === 'M3');
    expect(m3.rows.find((x: { organ: string }) => x.organ === 'mouth').counts).toEqual({ not_applicable: { n: 1, percent: 33.3 }, disappearance: { n: 1, percent: 33.3 }, improvement: { n: 1, percent: 33.3 } });
    expect(m3.rows.find((x: { organ: string; name?: string }) => x.organ === 'other' && x.name === undefined).counts).toEqual({ missing: { n: 2, percent: null }, ARTICULAIRE: { n: 1, percent: 100 } });
    const qol = r.efficacy.qualityOfLife.find((v: { visit: string }) => v.visit === 'M3');
    expect(qol.rows.find((x: { item: string }) => x.item === 'dry_eyes').counts).toEqual({ missing: { n: 2, percent: null }, very_severe: { n: 1, percent: 100 } });
    expect(qol.rows).toHaveLength(30);
    const tofersen = await t.http().get('/api/v1/medicines/QALSODY/reports?from=2023-01-01&to=2023-12-31&cutoff=2024-06-30').set(await as('agency'));
    // injections per patient (tofersen report n°6): the exposed patient's 4 + 3 + 3 + 3 injections
    expect(tofersen.body.injectionsPerPatient).toMatchObject({ n: 1, mean: 13, min: 13, max: 13 });
  });

  it('reports dordaviprone with the carried-over patients and their whole schedule', async () => {
    const res = await t.http().get('/api/v1/medicines/DORDAVIPRONE/reports?from=2026-04-01&to=2026-09-30&cutoff=2026-10-31').set(await as('agency'));
    expect(res.status).toBe(200);
    expect(res.body.requests).toEqual({ received: 0, excluded: 0, pending: 0, accepted: 0, refused: 0, carriedOver: 2 });
    expect(res.body.patients).toMatchObject({ included: 2, exposed: 2 });
    expect(res.body.forms.every((f: { percent: number }) => f.percent === 100)).toBe(true);
    expect(res.body.forms.map((f: { form: string }) => f.form)).toEqual(expect.arrayContaining(['initiation', 'M3', 'M24', 'M27', 'M30']));
    const page = await t.http().get('/api/v1/medicines/ONC201/reports?from=2024-01-01&to=2025-12-31&cutoff=2026-10-31').set(await as('onc201-pharmacy')).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Arrêts de traitement par motif');
  });

  it('reports overdue forms within the authorisation only', async () => {
    const result = (await t.app.get(JobRegistry).get('access-forms.overdue')?.({})) as { date: string; overdue: { establishment: string; medicine: string; form: string }[] };
    expect(result.date).toBe('2026-11-24');
    // Lille: authorised 2023-03-17 for a year, never renewed, its M3 never sent; nothing expected after 2024-03-15
    expect(result.overdue.filter((o) => o.establishment === LILLE && o.medicine === 'REZUROCK').map((o) => o.form)).toEqual(['M3']);
  });
});
