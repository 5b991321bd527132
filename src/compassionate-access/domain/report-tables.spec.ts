import fc from 'fast-check';
import { SHIPPED_SCHEMES as ACCESS_SCHEMES } from '../shipped-schemes';
import { checkEligibility, type CriteriaVersion } from './eligibility';
import { countCategories } from './report-statistics';
import { buildPeriodicReport, type ReportRequestInput } from './periodic-report';
import {
  ageClass,
  bmiClass,
  bodyMassIndex,
  characteristicsTables,
  conditionsOfUse,
  gvhdGrade,
  injectionsPerPatient,
  pharmacovigilanceTables,
  prescriberTables,
  priorLinesIncludeCorticosteroidsAndRuxolitinib,
  stopsByReason,
  type AdverseEventInput,
} from './report-tables';

describe('the tables of the agency\'s periodic reports (seeds/000 Rezurock n°1, seeds/002 tofersen n°6)', () => {
  it('grades cGVHD by the NIH consensus (Tableau 3)', () => {
    // "GVHD chronique modérée : ≥3 organes atteints avec un score ≤1, OU 1 seul organe atteint (sauf atteinte
    // pulmonaire) avec un score à 2, OU atteinte pulmonaire avec un score à 1."
    expect(gvhdGrade([{ organ: 'skin', score: 1 }, { organ: 'mouth', score: 1 }, { organ: 'eyes', score: 1 }])).toBe('moderate');
    expect(gvhdGrade([{ organ: 'skin', score: 2 }])).toBe('moderate');
    expect(gvhdGrade([{ organ: 'lungs', score: 1 }])).toBe('moderate');
    // "GVHD sévère : au moins un organe à 3 (sauf atteinte pulmonaire) OU atteinte pulmonaire avec un score à 2."
    expect(gvhdGrade([{ organ: 'skin', score: 3 }])).toBe('severe');
    expect(gvhdGrade([{ organ: 'lungs', score: 2 }, { organ: 'skin', score: 1 }])).toBe('severe');
    expect(gvhdGrade([{ organ: 'skin', score: 1 }, { organ: 'mouth', score: 1 }])).toBe('mild');
    expect(gvhdGrade(undefined)).toBeNull();
  });

  it('classes ages as "Adulte" and "Enfant (12 - 18 ans)" and BMI as "<18,5", "[18,5 ; 25[", "[25 ; 30[", "≥ 30" (Tableau 2)', () => {
    expect([ageClass(12), ageClass(17), ageClass(18), ageClass(76), ageClass(undefined)]).toEqual(['child', 'child', 'adult', 'adult', null]);
    expect(bodyMassIndex(70, 170)).toBeCloseTo(24.22, 2);
    expect([bmiClass(18.49), bmiClass(18.5), bmiClass(24.99), bmiClass(25), bmiClass(29.99), bmiClass(30), bmiClass(null)]).toEqual(['underweight', 'normal', 'normal', 'overweight', 'overweight', 'obese', null]);
  });

  it('says whether prior lines include corticosteroids and ruxolitinib ("001-002 CORTICOIDES IBRUTINIB ANTI-IL2 METHOTREXATE" is a no, Tableau 5)', () => {
    expect(priorLinesIncludeCorticosteroidsAndRuxolitinib(['corticosteroids', 'ibrutinib', 'anti_il2', 'methotrexate'])).toBe('no');
    expect(priorLinesIncludeCorticosteroidsAndRuxolitinib(['ruxolitinib', 'methotrexate'])).toBe('no');
    expect(priorLinesIncludeCorticosteroidsAndRuxolitinib(['corticosteroids', 'ruxolitinib'])).toBe('yes');
  });

  it('computes Tableaux 2, 3, 4 and 6 from the included patients\' forms, percentages to one decimal', () => {
    const forms = [
      { ageYears: 60, weightKg: 70, heightCm: 170, organScores: [{ organ: 'skin', score: 3 }], priorTreatments: ['corticosteroids', 'ruxolitinib'], concomitantStrongCyp3aInducer: false, concomitantProtonPumpInhibitor: true },
      { ageYears: 15, weightKg: 45, heightCm: 160, organScores: [{ organ: 'lungs', score: 1 }], priorTreatments: ['ruxolitinib'], concomitantStrongCyp3aInducer: true, concomitantProtonPumpInhibitor: true },
      { ageYears: 40, weightKg: 95, heightCm: 175, organScores: [{ organ: 'lungs', score: 2 }], priorTreatments: ['corticosteroids', 'ruxolitinib'], concomitantStrongCyp3aInducer: false, concomitantProtonPumpInhibitor: false },
    ];
    const t = characteristicsTables(forms);
    expect(t.ageClasses).toEqual({ adult: { n: 2, percent: 66.7 }, child: { n: 1, percent: 33.3 } });
    expect(t.heightCm).toMatchObject({ n: 3, mean: 168.3, median: 170, min: 160, max: 175, missing: 0 });
    // 70 / 1.7² = 24.22, 45 / 1.6² = 17.58, 95 / 1.75² = 31.02
    expect(t.bmi).toMatchObject({ n: 3, median: 24.22, min: 17.58, max: 31.02 });
    expect(t.bmiClasses).toEqual({ underweight: { n: 1, percent: 33.3 }, normal: { n: 1, percent: 33.3 }, overweight: { n: 0, percent: 0 }, obese: { n: 1, percent: 33.3 } });
    expect(t.gvhdGrade).toEqual({ moderate: { n: 1, percent: 33.3 }, severe: { n: 2, percent: 66.7 } });
    expect(t.priorLinesIncludeCorticosteroidsAndRuxolitinib).toEqual({ no: { n: 1, percent: 33.3 }, yes: { n: 2, percent: 66.7 } });
    // "Inducteur puissant du CYP3A Non 28 (87.5%) Oui 4 (12.5%)"
    expect(t.strongCyp3aInducer).toEqual({ no: { n: 2, percent: 66.7 }, yes: { n: 1, percent: 33.3 } });
    expect(t.protonPumpInhibitor).toEqual({ no: { n: 1, percent: 33.3 }, yes: { n: 2, percent: 66.7 } });
    expect(characteristicsTables([{ alsfrsR: 30 }])).toEqual({});
  });

  it('leaves missing values out of every table\'s percentages and shows their count apart (seeds/000 Tableau 10: "Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%)")', () => {
    // 5 patients; P4 has no age, no height, no scores, no prior lines, no concomitant treatments; P5 neither, but a known age
    const forms = [
      { ageYears: 60, weightKg: 70, heightCm: 170, organScores: [{ organ: 'skin', score: 3 }], priorTreatments: ['corticosteroids', 'ruxolitinib'], concomitantStrongCyp3aInducer: false, concomitantProtonPumpInhibitor: true },
      { ageYears: 15, weightKg: 45, heightCm: 160, organScores: [{ organ: 'lungs', score: 1 }], priorTreatments: ['ruxolitinib'], concomitantStrongCyp3aInducer: true, concomitantProtonPumpInhibitor: true },
      { ageYears: 40, weightKg: 95, heightCm: 175, organScores: [{ organ: 'lungs', score: 2 }], priorTreatments: ['corticosteroids', 'ruxolitinib'], concomitantStrongCyp3aInducer: false, concomitantProtonPumpInhibitor: false },
      {},
      { ageYears: 70 },
    ];
    const t = characteristicsTables(forms);
    // 4 known ages: adult 3 / 4 = 75 %, child 1 / 4 = 25 %; "Manquant 1" without a percentage, first
    expect(t.ageClasses).toEqual({ missing: { n: 1, percent: null }, adult: { n: 3, percent: 75 }, child: { n: 1, percent: 25 } });
    expect(Object.keys(t.ageClasses ?? {})[0]).toBe('missing');
    // 3 known of 5: the same 1/3 and 2/3 as with no missing patient, not 1/5 and 2/5
    expect(t.bmiClasses).toEqual({ missing: { n: 2, percent: null }, underweight: { n: 1, percent: 33.3 }, normal: { n: 1, percent: 33.3 }, overweight: { n: 0, percent: 0 }, obese: { n: 1, percent: 33.3 } });
    expect(t.gvhdGrade).toEqual({ missing: { n: 2, percent: null }, moderate: { n: 1, percent: 33.3 }, severe: { n: 2, percent: 66.7 } });
    expect(t.priorLinesIncludeCorticosteroidsAndRuxolitinib).toEqual({ missing: { n: 2, percent: null }, no: { n: 1, percent: 33.3 }, yes: { n: 2, percent: 66.7 } });
    expect(t.strongCyp3aInducer).toEqual({ missing: { n: 2, percent: null }, no: { n: 2, percent: 66.7 }, yes: { n: 1, percent: 33.3 } });
    expect(t.protonPumpInhibitor).toEqual({ missing: { n: 2, percent: null }, no: { n: 1, percent: 33.3 }, yes: { n: 2, percent: 66.7 } });
    expect(t.heightCm).toMatchObject({ n: 3, missing: 2 });
  });

  it('gives every categorical table percentages that sum to 100 over the known values, whatever is missing', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }), { minLength: 1, maxLength: 40 }), (values) => {
        const counts = countCategories(values, ['a', 'b', 'c']);
        const known = values.filter((v) => v !== null).length;
        expect(counts.missing?.n ?? 0).toBe(values.length - known);
        if (counts.missing !== undefined) expect(counts.missing.percent).toBeNull();
        const shown = ['a', 'b', 'c'].map((k) => counts[k] as { n: number; percent: number });
        for (const c of shown) expect(c.percent).toBe(known === 0 ? 0 : Math.round((c.n * 1000) / known) / 10);
        // each is rounded to one decimal, so the sum is within 3 × 0.05 of 100
        if (known > 0) expect(Math.abs(shown.reduce((s, c) => s + c.percent, 0) - 100)).toBeLessThanOrEqual(0.15 + 1e-9);
      }),
    );
  });

  it('counts interruptions and dose changes in the follow-up forms ("Une interruption temporaire … dans l\'une des 5 fiches de suivi M3")', () => {
    const forms = [{ patient: 'a', interruption: true }, { patient: 'b' }, { patient: 'c', doseChanged: false }, { patient: 'd' }, { patient: 'e' }];
    expect(conditionsOfUse(forms)).toEqual({ followUpForms: 5, interruptions: 1, doseChanges: 0 });
  });

  it('counts injections per patient for tofersen (N, mean ± SD, median, min–max), exposed patients without a count at 0', () => {
    const s = injectionsPerPatient([{ patient: 'a', injections: 3 }, { patient: 'a', injections: 2 }, { patient: 'b', injections: 3 }], ['a', 'b', 'c']);
    expect(s).toEqual({ n: 3, mean: 2.7, sd: 2.5, median: 3, q1: 0, q3: 5, min: 0, max: 5, missing: 0 });
    expect(injectionsPerPatient([{ patient: 'a' }], ['a'])).toBeNull();
  });

  it('counts a stop once for each of its reasons ("plusieurs raisons d\'arrêt … ont pu être mentionnées")', () => {
    const r = stopsByReason([{ reasons: ['progression', 'adverse_event'] }, { reasons: ['progression'] }, { reasons: ['death', 'death'] }], ['progression', 'adverse_event', 'death', 'other']);
    expect(r).toEqual({ total: 3, byReason: { progression: { n: 2, percent: 66.7 }, adverse_event: { n: 1, percent: 33.3 }, death: { n: 1, percent: 33.3 }, other: { n: 0, percent: 0 } } });
  });

  const event = (over: Partial<AdverseEventInput>): AdverseEventInput => ({ patient: 'p1', caseId: 'c1', soc: 'Affections gastro-intestinales', pt: 'Diarrhée', serious: false, expected: true, causality: 'related', fatal: false, ledToStop: false, ...over });

  it('groups events in pharmacovigilance cases (Tableau 11): a case is related when one event is, or when its causality is unknown', () => {
    // "Cas 2023SA324659 : PT « Céphalée » et PT « Hypertension » (non relié)"; "Cas 2024SA103326 : PT « Embolie » et PT « Diarrhée »"
    const t = pharmacovigilanceTables([
      event({ caseId: '2023SA324659', soc: 'Affections du système nerveux', pt: 'Céphalée', causality: 'related' }),
      event({ caseId: '2023SA324659', soc: 'Affections vasculaires', pt: 'Hypertension', causality: 'not_related' }),
      event({ patient: 'p2', caseId: '2024SA103326', soc: 'Affections vasculaires', pt: 'Embolie', serious: true, expected: false }),
      event({ patient: 'p2', caseId: '2024SA103326' }),
      event({ patient: 'p3', caseId: '2023SA387346', soc: 'Tumeurs bénignes, malignes et non précisées (incl kystes et polypes)', pt: 'Cancer épidermoïde', serious: true, expected: false, causality: 'unknown', ledToStop: true }),
      event({ patient: 'p3', caseId: 'X4', pt: 'Vomissement', causality: 'not_related' }),
    ]);
    expect(t.cases).toEqual({
      total: { cases: 4, patients: 3 },
      related: { cases: 3, patients: 3 },
      serious: { cases: 2, patients: 2 },
      seriousRelated: { cases: 2, patients: 2 },
      deaths: { cases: 0, patients: 0 },
      ledToStop: { cases: 1, patients: 1 },
    });
    // Tableau 12: "Embolie 0 1 0 0 0 1"
    expect(t.events.find((e) => e.pt === 'Embolie')).toEqual({ soc: 'Affections vasculaires', pt: 'Embolie', serious: { expected: 0, unexpected: 1 }, nonSerious: { expected: 0, unexpected: 0 }, total: { expected: 0, unexpected: 1 } });
    expect(t.events.find((e) => e.pt === 'Diarrhée')?.nonSerious).toEqual({ expected: 1, unexpected: 0 });
    expect(t.eventTotals).toEqual({ serious: { expected: 0, unexpected: 2 }, nonSerious: { expected: 4, unexpected: 0 }, total: { expected: 4, unexpected: 2 } });
  });

  it('keeps the case counts consistent whatever the events (property)', () => {
    const arb = fc.array(
      fc.record({
        patient: fc.constantFrom('p1', 'p2', 'p3'), caseId: fc.constantFrom('a', 'b', 'c', 'd'), soc: fc.constantFrom('S1', 'S2'), pt: fc.constantFrom('T1', 'T2'),
        serious: fc.boolean(), expected: fc.boolean(), causality: fc.constantFrom('related' as const, 'not_related' as const, 'unknown' as const), fatal: fc.boolean(), ledToStop: fc.boolean(),
      }),
      { maxLength: 30 },
    );
    fc.assert(fc.property(arb, (events) => {
      const t = pharmacovigilanceTables(events);
      const c = t.cases;
      expect(c.related.cases).toBeLessThanOrEqual(c.total.cases);
      expect(c.seriousRelated.cases).toBeLessThanOrEqual(Math.min(c.serious.cases, c.related.cases));
      expect(c.total.patients).toBeLessThanOrEqual(c.total.cases);
      expect(t.eventTotals.total.expected + t.eventTotals.total.unexpected).toBe(events.length);
      expect(t.events.reduce((s, e) => s + e.total.expected + e.total.unexpected, 0)).toBe(events.length);
    }));
  });

  it('describes the prescribers that included patients: patients per prescriber (N, mean ± SD, median, Q1 ; Q3, min ; max), centres by category, prescribers by region and specialty', () => {
    const places = new Map([['E1', { region: 'Île-de-France', category: 'CHU' }], ['E2', { region: 'Bretagne', category: 'CHG' }]]);
    const t = prescriberTables([
      { prescriber: 'dr1', establishment: 'E1', specialty: 'haematology', patient: 'p1' },
      { prescriber: 'dr1', establishment: 'E1', specialty: 'haematology', patient: 'p2' },
      { prescriber: 'dr2', establishment: 'E2', specialty: 'haematology', patient: 'p3' },
    ], places);
    expect(t).toEqual({
      prescribers: 2, centres: 2,
      centresByCategory: { CHU: { n: 1, percent: 50 }, CHG: { n: 1, percent: 50 } },
      prescribersByRegion: { 'Île-de-France': { n: 1, percent: 50 }, Bretagne: { n: 1, percent: 50 } },
      // "Spécialité HÉMATOLOGUE 28 (100%)"
      prescribersBySpecialty: { haematology: { n: 2, percent: 100 } },
      patientsPerPrescriber: { n: 2, mean: 1.5, sd: 0.7, median: 1.5, q1: 1, q3: 2, min: 1, max: 2, missing: 0 },
    });
  });
});

describe('the periodic report follows the seeds', () => {
  const req = (id: string, patient: string, submittedOn: string, decisionOn: string, over: Partial<ReportRequestInput> = {}): ReportRequestInput => ({
    id, patient, establishment: 'E1', prescriber: 'dr1', submittedOn, decision: { on: decisionOn, decision: 'authorise' }, clinical: {}, ...over,
  });

  it('excludes the requests of patients authorised before the protocol ("2 demandes ont été exclues du fait d\'une autorisation ANSM accordée avant le 26/09/2023") and counts derogations', () => {
    const r = buildPeriodicReport(
      {
        requests: [req('a', 'P1', '2023-10-02', '2023-10-05'), req('b', 'P2', '2023-10-03', '2023-10-06'), req('c', 'P3', '2023-10-04', '2023-10-09', { derogation: true })],
        forms: [],
        establishments: [{ finess: 'E1', region: 'Bretagne', category: 'CHU' }],
        firstAuthorisations: [{ patient: 'P2', on: '2023-06-01' }],
      },
      { from: '2023-09-26', to: '2024-03-25', cutoff: '2024-03-25', protocolFrom: '2023-09-26' },
    );
    expect(r.ok && r.value.requests).toMatchObject({ received: 3, excluded: 1, accepted: 2 });
    expect(r.ok && r.value.patients.included).toBe(2);
    expect(r.ok && r.value.derogations).toBe(1);
  });

  it('admits dordaviprone "pour le traitement d\'enfants de plus de 10 kg": strictly more than 10 kg (seeds/004)', () => {
    const version = ACCESS_SCHEMES.onc201.criteriaVersions[0] as CriteriaVersion;
    const form = { h3k27mAltered: true, confirmedByMolecularMeeting: true, tumourLocation: 'thalamus', radiotherapyCompleted: true, ageYears: 3, lansky: 70 };
    const weight = (kg: number): string | undefined => checkEligibility(version, { ...form, weightKg: kg }).eligibility.find((e) => e.criterion === 'weight_more_than_10_kg')?.result;
    expect([weight(10), weight(10.1), weight(9)]).toEqual(['not_met', 'met', 'not_met']);
  });
});
