import fc from 'fast-check';
import { validateClinicalForm } from './clinical-form';
import { FOLLOW_UP_DATA_FORM } from './carry-over';
import { buildPeriodicReport, type ReportFormInput, type ReportRequestInput } from './periodic-report';
import { countCategories } from './report-statistics';
import { CGVHD_FOLLOW_UP_FIELDS, countsOfTally, EfficacyTally, LEE_ITEMS, ORGANS } from './report-tables-efficacy';

const req = (patient: string): ReportRequestInput => ({
  id: `r-${patient}`, patient, establishment: 'E1', prescriber: 'dr1', submittedOn: '2023-10-02', decision: { on: '2023-10-05', decision: 'authorise' }, clinical: {},
});
const form = (patient: string, due: string, date: string, data: Record<string, unknown> | null, administered = true): ReportFormInput => ({
  patient, kind: due === 'initiation' ? 'initiation' : 'follow-up', due, date, administered, reason: null, data,
});
const organs = (responses: Record<string, string>, other?: { name: string; response: string }) => ({
  organResponses: [...Object.entries(responses).map(([organ, response]) => ({ organ, response })), ...(other === undefined ? [] : [{ organ: 'other', ...other }])],
});
const dryEyes = (severity: string | null) => ({ leeSymptoms: severity === null ? [] : [{ item: 'dry_eyes', severity }] });

describe('Tableaux 9 and 10 (seeds/000 Rezurock report n°1, §2c "Données d’efficacité" and §2d "Données de qualité de vie")', () => {
  /*
   * A hand-worked cohort shaped like the seed's (N=5 exposed patients with an M3 form), plus patients that must not count:
   *   P1 M3: mouth NA,             dry eyes absent
   *   P2 M3: mouth NA,             dry eyes (not answered)
   *   P3 M3: mouth disappearance,  dry eyes very severe, other organ "articulaire" stabilised
   *   P4 M3: mouth improvement,    dry eyes absent      (the form says not administered; P4 is exposed by its initiation form)
   *   P5 M3: mouth stabilisation,  dry eyes (not answered); a second M3 form of P5 (another follow-up) is not counted again
   *   P6 M3 only, never administered: not exposed, not counted
   *   P7 exposed, initiation only: not in the population (no follow-up form)
   * Expected, by the seed's lines:
   *   "Atteintes cliniques : Buccale - M3 NA 2 (40%) / Disparition 1 (20%) / Amélioration 1 (20%) / Stabilisation 1 (20%)"
   *   "Atteintes cliniques : Autre - M3 Manquant 4 / ARTICULAIRE 1 (100%)"
   *   "Atteintes cliniques : Autre (ARTICULAIRE) - M3  Manquant 4 / Stabilisation 1 (100%)"
   *   "Atteintes cliniques : Génitale - M3 NA 5 (100%)" — here genital is never answered: "Manquant 5"
   *   "Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%) / Très intense 1 (33.3%)"
   */
  const patients = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'];
  const forms: ReportFormInput[] = [
    ...['P1', 'P2', 'P3', 'P4', 'P5', 'P7'].map((p) => form(p, 'initiation', '2023-10-06', null)),
    form('P1', 'M3', '2024-01-08', { ...organs({ mouth: 'not_applicable' }), ...dryEyes('absent') }),
    form('P2', 'M3', '2024-01-08', { ...organs({ mouth: 'not_applicable' }), ...dryEyes(null) }),
    form('P3', 'M3', '2024-01-08', { ...organs({ mouth: 'disappearance' }, { name: 'articulaire', response: 'stabilisation' }), ...dryEyes('very_severe') }),
    form('P4', 'M3', '2024-01-08', { ...organs({ mouth: 'improvement' }), ...dryEyes('absent') }, false),
    form('P5', 'M3', '2024-01-08', { ...organs({ mouth: 'stabilisation' }) }),
    form('P5', 'M3', '2024-01-09', { ...organs({ mouth: 'worsening' }), ...dryEyes('mild') }),
    form('P6', 'M3', '2024-01-08', { ...organs({ mouth: 'worsening' }), ...dryEyes('severe') }, false),
  ];
  const built = buildPeriodicReport({ requests: patients.map(req), forms, establishments: [] }, { from: '2023-09-26', to: '2024-03-25', cutoff: '2024-03-25' });
  if (!built.ok) throw new Error('report not built');
  const { efficacy } = built.value;
  const m3 = efficacy.clinicalResponse?.find((v) => v.visit === 'M3');
  const row = (organ: string, name?: string) => m3?.rows.find((r) => r.organ === organ && r.name === name)?.counts;

  it('counts over the exposed patients with at least one follow-up form (N=5), each patient once a visit', () => {
    expect(efficacy.population).toBe(5);
    expect(efficacy.clinicalResponse?.map((v) => v.visit)).toEqual(['M3']);
  });

  it('Tableau 9, cell by cell: the mouth row, the other organ named and its evolution, an organ never answered', () => {
    expect(row('mouth')).toEqual({
      not_applicable: { n: 2, percent: 40 }, disappearance: { n: 1, percent: 20 }, improvement: { n: 1, percent: 20 }, stabilisation: { n: 1, percent: 20 },
    });
    expect(row('other')).toEqual({ missing: { n: 4, percent: null }, ARTICULAIRE: { n: 1, percent: 100 } });
    expect(row('other', 'ARTICULAIRE')).toEqual({ missing: { n: 4, percent: null }, stabilisation: { n: 1, percent: 100 } });
    expect(row('genital')).toEqual({ missing: { n: 5, percent: null } });
    // the organs in the seed's order, then "Autre" and each other organ named
    expect(m3?.rows.map((r) => r.name ?? r.organ)).toEqual([...ORGANS, 'ARTICULAIRE']);
  });

  it('Tableau 10, cell by cell: "Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%) / Très intense 1 (33.3%)", the 30 items by dimension', () => {
    const qol = efficacy.qualityOfLife?.find((v) => v.visit === 'M3');
    expect(qol?.rows.find((r) => r.item === 'dry_eyes')).toEqual({
      dimension: 'eyes_mouth', item: 'dry_eyes', counts: { missing: { n: 2, percent: null }, absent: { n: 2, percent: 66.7 }, very_severe: { n: 1, percent: 33.3 } },
    });
    expect(qol?.rows.map((r) => r.item)).toEqual(LEE_ITEMS);
    expect(qol?.rows[0]).toMatchObject({ dimension: 'skin', item: 'abnormal_skin_colour' });
  });

  it('has no tables when no form carries the fields (tofersen)', () => {
    const plain = buildPeriodicReport({ requests: [req('P1')], forms: [form('P1', 'M3', '2024-01-08', { injections: 3 })], establishments: [] }, { from: '2023-09-26', to: '2024-03-25', cutoff: '2024-03-25' });
    expect(plain.ok && plain.value.efficacy).toEqual({ population: 1, clinicalResponse: null, qualityOfLife: null });
  });

  it('the CSV carries the cells: clinicalResponse,M3/mouth:improvement,n,1', async () => {
    const { reportToCsv } = await import('./periodic-report');
    const csv = reportToCsv(built.value);
    expect(csv).toContain('clinicalResponse,M3/mouth:improvement,n,1\n');
    expect(csv).toContain('clinicalResponse,M3/other(ARTICULAIRE):stabilisation,percent,100\n');
    expect(csv).toContain('qualityOfLife,M3/eyes_mouth/dry_eyes:missing,n,2\n');
  });

  it('the follow-up form checks the answers: an unknown organ or severity is refused with its path', () => {
    const spec = { form: { ...FOLLOW_UP_DATA_FORM, ...CGVHD_FOLLOW_UP_FIELDS } };
    expect(validateClinicalForm(spec, { organResponses: [{ organ: 'other', response: 'stabilisation', name: 'ARTICULAIRE' }], leeSymptoms: [{ item: 'dry_eyes', severity: 'absent' }] }).ok).toBe(true);
    const bad = validateClinicalForm(spec, { organResponses: [{ organ: 'heart', response: 'better' }], leeSymptoms: [{ item: 'dry_eyes', severity: 'absent' }, { item: 'dry_eyes', severity: 'mild' }] }, 'data');
    expect(!bad.ok && bad.error.map((e) => e.field)).toEqual(['data.organResponses[0].organ', 'data.organResponses[0].response', 'data.leeSymptoms[1].item']);
  });

  it('property: counts of a tally equal countCategories over the same answers, zero values left out', () => {
    const value = fc.constantFrom('absent', 'mild', 'moderate', 'severe', 'very_severe', null);
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), (answers) => {
      const t = new EfficacyTally();
      answers.forEach((a) => t.add('M3', { leeSymptoms: a === null ? [] : [{ item: 'fevers', severity: a }] }));
      const got = t.tables(answers.length).qualityOfLife?.[0]?.rows.find((r) => r.item === 'fevers')?.counts;
      const expected = Object.fromEntries(Object.entries(countCategories(answers, ['absent', 'mild', 'moderate', 'severe', 'very_severe'])).filter(([, c]) => c.n > 0));
      expect(got).toEqual(expected);
      expect(countsOfTally(new Map(), answers.length, [])).toEqual({ missing: { n: answers.length, percent: null } });
    }));
  });
});
