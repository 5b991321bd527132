import fc from 'fast-check';
import { SHIPPED_SCHEMES as ACCESS_SCHEMES } from '../shipped-schemes';

// The shipped belumosudil scheme (config/belumosudil.yaml): its two criteria versions and the NIH organs of its form.
const BELUMOSUDIL_CRITERIA_VERSIONS = ACCESS_SCHEMES.belumosudil.criteriaVersions;
const BELUMOSUDIL_CRITERIA_2023 = BELUMOSUDIL_CRITERIA_VERSIONS[0] as CriteriaVersion;
const BELUMOSUDIL_CRITERIA_2025 = BELUMOSUDIL_CRITERIA_VERSIONS[1] as CriteriaVersion;
const organSpec = ACCESS_SCHEMES.belumosudil.form.organScores;
const GVHD_ORGANS = organSpec?.kind === 'list' && organSpec.item.organ?.kind === 'enum' ? organSpec.item.organ.values : [];
import { validateClinicalForm } from './clinical-form';
import {
  checkEligibility,
  criteriaVersionFor,
  eligibilityVerdict,
  evaluateCriteria,
  ruleVariables,
  validateCriteria,
  validateCriteriaVersion,
  type Criterion,
  type CriteriaVersion,
} from './eligibility';

const eligibleForm = {
  organScores: [
    { organ: 'skin', score: 2 },
    { organ: 'mouth', score: 1 },
    { organ: 'lungs', score: 0 },
  ],
  priorSystemicLines: 3,
  priorTreatments: ['corticosteroids', 'ruxolitinib', 'ibrutinib'],
  notEligibleForCorticosteroidsOrRuxolitinib: false,
  weightKg: 62.5,
  ageYears: 45,
  karnofsky: 80,
  stableCorticosteroidWeeks: 4,
  childBearingPotential: true,
  pregnancyTest: 'negative',
  contraceptionAgreed: true,
  canBeDeferred: false,
};

const resultOf = (version: CriteriaVersion, form: Record<string, unknown>, id: string): string | undefined =>
  evaluateCriteria(version.criteria, form).find((e) => e.criterion === id)?.result;

/** The §9 severity definition written in plain TypeScript, as an oracle for the JsonLogic rule. */
function moderateOrSevere(scores: { organ: string; score: number }[]): boolean {
  const involved = scores.filter((s) => s.score >= 1);
  const lung = scores.find((s) => s.organ === 'lungs')?.score ?? 0;
  const others = scores.filter((s) => s.organ !== 'lungs').map((s) => s.score);
  const moderate = (involved.length >= 3 && scores.every((s) => s.score <= 1)) || others.includes(2) || lung === 1;
  const severe = others.includes(3) || lung >= 2;
  return moderate || severe;
}

const organScoresArb = fc
  .subarray([...GVHD_ORGANS])
  .chain((organs) => fc.tuple(...organs.map((organ) => fc.record({ organ: fc.constant(organ), score: fc.integer({ min: 0, max: 3 }) }))));

const eligibleFormArb = fc
  .record({
    organScores: organScoresArb.filter(moderateOrSevere),
    priorSystemicLines: fc.integer({ min: 2, max: 5 }),
    notEligible: fc.boolean(),
    extra: fc.subarray(['ibrutinib', 'extracorporeal_photopheresis']),
    weightKg: fc.double({ min: 40, max: 200, noNaN: true }),
    ageYears: fc.integer({ min: 12, max: 90 }),
    performance: fc.integer({ min: 60, max: 100 }),
    stableCorticosteroidWeeks: fc.integer({ min: 2, max: 52 }),
    childBearingPotential: fc.boolean(),
  })
  .map((r) => ({
    organScores: r.organScores,
    priorSystemicLines: r.priorSystemicLines,
    priorTreatments: r.notEligible ? r.extra : ['corticosteroids', 'ruxolitinib', ...r.extra],
    notEligibleForCorticosteroidsOrRuxolitinib: r.notEligible,
    weightKg: r.weightKg,
    ageYears: r.ageYears,
    ...(r.ageYears >= 16 ? { karnofsky: r.performance } : { lansky: r.performance }),
    stableCorticosteroidWeeks: r.stableCorticosteroidWeeks,
    childBearingPotential: r.childBearingPotential,
    pregnancyTest: r.childBearingPotential ? 'negative' : 'not_applicable',
    contraceptionAgreed: r.childBearingPotential,
    canBeDeferred: false,
  }));

/** Any form the validator accepts, with fields independently present or absent. */
const anyFormArb = fc.record(
  {
    organScores: organScoresArb,
    priorSystemicLines: fc.integer({ min: 0, max: 8 }),
    priorTreatments: fc.subarray(['corticosteroids', 'ruxolitinib', 'ibrutinib']),
    notEligibleForCorticosteroidsOrRuxolitinib: fc.boolean(),
    weightKg: fc.integer({ min: 20, max: 90 }),
    ageYears: fc.integer({ min: 5, max: 80 }),
    karnofsky: fc.integer({ min: 0, max: 100 }),
    lansky: fc.integer({ min: 0, max: 100 }),
    stableCorticosteroidWeeks: fc.integer({ min: 0, max: 6 }),
    childBearingPotential: fc.boolean(),
    pregnancyTest: fc.constantFrom('negative', 'positive', 'not_applicable'),
    contraceptionAgreed: fc.boolean(),
    canBeDeferred: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('eligibility criteria as data (SPEC §9)', () => {
  it('publishes every shipped criteria version as valid JsonLogic', () => {
    for (const scheme of Object.values(ACCESS_SCHEMES)) {
      for (const version of scheme.criteriaVersions) {
        expect(validateCriteriaVersion(version)).toEqual({ ok: true, value: version });
      }
    }
  });

  it('refuses an unknown operator with the path of the rule', () => {
    const result = validateCriteria([{ id: 'a', sentence: 'A.', rule: { and: [{ '>=': [{ var: 'x' }, 1] }, { foo: [1] }] } }]);
    expect(result).toEqual({ ok: false, error: [{ field: 'criteria[0].rule.and[1]', reason: 'unknown operator "foo"' }] });
  });

  it('refuses malformed structures: two operators in one object, wrong arity, an even if, a computed var, log', () => {
    const result = validateCriteria([
      { id: 'a', sentence: 'A.', rule: { '>=': [1, 2], '<': [1, 2] } },
      { id: 'b', sentence: 'B.', rule: { '>=': [1] } },
      { id: 'c', sentence: 'C.', rule: { if: [true, 1] } },
      { id: 'd', sentence: 'D.', rule: { var: [{ var: 'x' }] } },
      { id: 'e', sentence: 'E.', rule: { log: 'x' } },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((r) => r.field)).toEqual([
      'criteria[0].rule',
      'criteria[1].rule.>=',
      'criteria[2].rule.if',
      'criteria[3].rule.var[0]',
      'criteria[4].rule',
    ]);
  });

  it('refuses duplicate ids, empty sentences, missing rules and unknown fields', () => {
    const result = validateCriteria([
      { id: 'a', sentence: 'A.', rule: true },
      { id: 'a', sentence: '', extra: 1 },
    ]);
    expect(result).toEqual({
      ok: false,
      error: [
        { field: 'criteria[1].extra', reason: 'is not a known field' },
        { field: 'criteria[1].id', reason: 'duplicates the criterion "a"' },
        { field: 'criteria[1].sentence', reason: 'must be a non-empty sentence' },
        { field: 'criteria[1].rule', reason: 'is required' },
      ],
    });
    expect(validateCriteria('x')).toEqual({ ok: false, error: [{ field: 'criteria', reason: 'must be a list of criteria' }] });
  });

  it('reads form variables only outside list-item scopes', () => {
    const cgvhd = BELUMOSUDIL_CRITERIA_2023.criteria[0] as Criterion;
    expect(ruleVariables(cgvhd.rule)).toEqual(['organScores']);
  });

  it('judges a complete eligible form eligible under both belumosudil versions', () => {
    for (const version of BELUMOSUDIL_CRITERIA_VERSIONS) {
      const check = checkEligibility(version, eligibleForm);
      expect(check.verdict).toBe('eligible');
      expect(check.criteriaVersion).toBe(version.version);
      expect(check.eligibility.every((e) => e.result === 'met')).toBe(true);
    }
  });

  it('refuses 6 prior lines in the 2023 protocol and accepts them in 2025', () => {
    const form = { ...eligibleForm, priorSystemicLines: 6 };
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, form, 'prior_systemic_lines_2_to_5')).toBe('not_met');
    expect(checkEligibility(BELUMOSUDIL_CRITERIA_2023, form).verdict).toBe('not_eligible');
    expect(checkEligibility(BELUMOSUDIL_CRITERIA_2025, form).verdict).toBe('eligible');
  });

  it('requires in 2025 that the treatment cannot be deferred', () => {
    expect(resultOf(BELUMOSUDIL_CRITERIA_2025, { ...eligibleForm, canBeDeferred: true }, 'cannot_be_deferred')).toBe('not_met');
    const { canBeDeferred: _omit, ...withoutDeferral } = eligibleForm;
    expect(checkEligibility(BELUMOSUDIL_CRITERIA_2025, withoutDeferral).verdict).toBe('incomplete');
    expect(checkEligibility(BELUMOSUDIL_CRITERIA_2023, withoutDeferral).verdict).toBe('eligible');
  });

  it('says unknown, naming the field, when a field the rule reads is missing or null', () => {
    const [weight] = evaluateCriteria(
      BELUMOSUDIL_CRITERIA_2023.criteria.filter((c) => c.id === 'weight_at_least_40_kg'),
      { ...eligibleForm, weightKg: null },
    );
    expect(weight).toEqual({
      criterion: 'weight_at_least_40_kg',
      result: 'unknown',
      message: 'Weight of at least 40 kg. — cannot be judged: missing weightKg.',
      missing: ['weightKg'],
    });
  });

  it('uses Karnofsky from 16 and Lansky below 16, needing only the one that applies', () => {
    const id = 'performance_status_at_least_60';
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { ageYears: 16, karnofsky: 60 }, id)).toBe('met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { ageYears: 16, karnofsky: 50, lansky: 90 }, id)).toBe('not_met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { ageYears: 15, lansky: 60 }, id)).toBe('met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { ageYears: 15, karnofsky: 90 }, id)).toBe('unknown');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { karnofsky: 90, lansky: 90 }, id)).toBe('unknown');
  });

  it('needs no pregnancy test nor contraception without child-bearing potential', () => {
    const form = { childBearingPotential: false };
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, form, 'negative_pregnancy_test')).toBe('met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, form, 'contraception_agreed')).toBe('met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { childBearingPotential: true, pregnancyTest: 'positive' }, 'negative_pregnancy_test')).toBe('not_met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { childBearingPotential: true }, 'contraception_agreed')).toBe('unknown');
  });

  it('accepts a patient not eligible for corticosteroids or ruxolitinib without them in the prior lines', () => {
    const id = 'prior_corticosteroids_and_ruxolitinib';
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { notEligibleForCorticosteroidsOrRuxolitinib: true }, id)).toBe('met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { notEligibleForCorticosteroidsOrRuxolitinib: false, priorTreatments: ['corticosteroids'] }, id)).toBe('not_met');
    expect(resultOf(BELUMOSUDIL_CRITERIA_2023, { priorTreatments: ['corticosteroids'] }, id)).toBe('unknown');
  });

  it('grades cGVHD by hand-picked cases: mild is refused, moderate and severe pass', () => {
    const id = 'cgvhd_moderate_or_severe';
    const judge = (organScores: { organ: string; score: number }[]): string | undefined => resultOf(BELUMOSUDIL_CRITERIA_2023, { organScores }, id);
    expect(judge([{ organ: 'skin', score: 1 }, { organ: 'mouth', score: 1 }])).toBe('not_met'); // mild: 2 organs at 1
    expect(judge([{ organ: 'skin', score: 1 }, { organ: 'mouth', score: 1 }, { organ: 'eyes', score: 1 }])).toBe('met'); // 3 organs at 1
    expect(judge([{ organ: 'skin', score: 1 }, { organ: 'mouth', score: 0 }, { organ: 'eyes', score: 0 }])).toBe('not_met'); // scored 0 = not involved
    expect(judge([{ organ: 'liver', score: 2 }])).toBe('met'); // an organ other than lung at 2
    expect(judge([{ organ: 'lungs', score: 1 }])).toBe('met'); // lung at 1
    expect(judge([{ organ: 'joints', score: 3 }])).toBe('met'); // severe
    expect(judge([])).toBe('not_met');
    expect(evaluateCriteria(BELUMOSUDIL_CRITERIA_2023.criteria.slice(0, 1), {})[0]?.result).toBe('unknown');
  });

  it('agrees with the §9 severity definition on every organ score list', () => {
    const rule = BELUMOSUDIL_CRITERIA_2023.criteria.slice(0, 1);
    fc.assert(
      fc.property(organScoresArb, (organScores) => {
        expect(evaluateCriteria(rule, { organScores })[0]?.result).toBe(moderateOrSevere(organScores) ? 'met' : 'not_met');
      }),
    );
  });

  it('never refuses a form that meets every criterion, and the validator accepts it', () => {
    fc.assert(
      fc.property(eligibleFormArb, fc.constantFrom(...BELUMOSUDIL_CRITERIA_VERSIONS), (form, version) => {
        expect(validateClinicalForm(ACCESS_SCHEMES.belumosudil, form).ok).toBe(true);
        expect(checkEligibility(version, form).verdict).toBe('eligible');
      }),
    );
  });

  it('never turns a judged criterion into its opposite when a field is removed (only unknown or unchanged)', () => {
    fc.assert(
      fc.property(anyFormArb, fc.constantFrom(...BELUMOSUDIL_CRITERIA_VERSIONS), (form, version) => {
        const before = evaluateCriteria(version.criteria, form);
        for (const field of Object.keys(form)) {
          const rest: Record<string, unknown> = { ...form };
          delete rest[field];
          evaluateCriteria(version.criteria, rest).forEach((after, i) => {
            const was = before[i]?.result;
            expect([was, 'unknown']).toContain(after.result);
          });
        }
      }),
    );
  });

  it('gives the verdict: any not_met is not eligible, all met is eligible, otherwise incomplete', () => {
    const e = (result: 'met' | 'not_met' | 'unknown'): { criterion: string; result: typeof result; message: string; missing: string[] } => ({
      criterion: 'x',
      result,
      message: '',
      missing: [],
    });
    expect(eligibilityVerdict([e('met'), e('met')])).toBe('eligible');
    expect(eligibilityVerdict([e('met'), e('unknown'), e('not_met')])).toBe('not_eligible');
    expect(eligibilityVerdict([e('met'), e('unknown')])).toBe('incomplete');
  });

  it('judges a request by the version in force on its date (2025 from 2025-09-17)', () => {
    const at = (date: string): string | undefined => {
      const v = criteriaVersionFor(BELUMOSUDIL_CRITERIA_VERSIONS, date);
      return v.ok ? v.value.version : v.error.code;
    };
    expect(at('2025-09-16')).toBe('belumosudil-2023');
    expect(at('2025-09-17')).toBe('belumosudil-2025');
    expect(at('2026-01-01')).toBe('belumosudil-2025');
    expect(at('2022-12-31')).toBe('NO_CRITERIA_IN_FORCE');
  });
});

describe('clinical form validation (SPEC §9, §10 unknown fields refused)', () => {
  it('names each wrong field with its path and reason', () => {
    const result = validateClinicalForm(ACCESS_SCHEMES.belumosudil, {
      organScores: [{ organ: 'skin', score: 4 }, { organ: 'heart', score: 1 }, { organ: 'skin', score: 1, note: 'x' }],
      weightKg: -3,
      priorSystemicLines: 2.5,
      pregnancyTest: 'maybe',
      childBearingPotential: 'yes',
      favouriteColour: 'blue',
    });
    expect(result).toEqual({
      ok: false,
      error: [
        { field: 'clinical.favouriteColour', reason: 'is not a known field' },
        { field: 'clinical.organScores[0].score', reason: 'must be an integer from 0 to 3' },
        { field: 'clinical.organScores[1].organ', reason: 'must be one of skin, mouth, eyes, gi, liver, lungs, joints, genital' },
        { field: 'clinical.organScores[2].note', reason: 'is not a known field' },
        { field: 'clinical.organScores[2].organ', reason: 'repeats skin' },
        { field: 'clinical.priorSystemicLines', reason: 'must be an integer from 0 to 50' },
        { field: 'clinical.weightKg', reason: 'must be a positive number up to 400' },
        { field: 'clinical.childBearingPotential', reason: 'must be true or false' },
        { field: 'clinical.pregnancyTest', reason: 'must be one of negative, positive, not_applicable' },
      ],
    });
  });

  it('accepts missing and null fields and leaves them out, so that criteria judge them unknown', () => {
    expect(validateClinicalForm(ACCESS_SCHEMES.belumosudil, { weightKg: 50, ageYears: null })).toEqual({ ok: true, value: { weightKg: 50 } });
    expect(validateClinicalForm(ACCESS_SCHEMES.tofersen, [])).toEqual({ ok: false, error: [{ field: 'clinical', reason: 'must be an object' }] });
  });

  it('checks the tofersen and ONC201 forms against their own fields', () => {
    expect(validateClinicalForm(ACCESS_SCHEMES.tofersen, { sod1MutationConfirmed: true, alsfrsR: 49 })).toEqual({
      ok: false,
      error: [{ field: 'clinical.alsfrsR', reason: 'must be an integer from 0 to 48' }],
    });
    const onc = { h3k27mAltered: true, confirmedByMolecularMeeting: true, tumourLocation: 'thalamus', radiotherapyCompleted: true, ageYears: 9, weightKg: 28, lansky: 70 };
    expect(validateClinicalForm(ACCESS_SCHEMES.onc201, onc).ok).toBe(true);
    expect(checkEligibility(ACCESS_SCHEMES.onc201.criteriaVersions[0] as CriteriaVersion, onc).verdict).toBe('eligible');
    expect(checkEligibility(ACCESS_SCHEMES.onc201.criteriaVersions[0] as CriteriaVersion, { ...onc, confirmedByMolecularMeeting: false }).verdict).toBe('not_eligible');
  });
});
