import type { ClinicalFormSpec } from './clinical-form';
import type { Criterion, CriteriaVersion, JsonRule } from './eligibility';

/** Organs of the NIH cGVHD scoring (SPEC §9); a score of 0 means not involved. */
export const GVHD_ORGANS = ['skin', 'mouth', 'eyes', 'gi', 'liver', 'lungs', 'joints', 'genital'] as const;

/** The belumosudil clinical form, field by field (SPEC §9 access request). */
export const BELUMOSUDIL_FORM: ClinicalFormSpec = {
  organScores: {
    kind: 'list',
    item: { organ: { kind: 'enum', values: GVHD_ORGANS }, score: { kind: 'integer', min: 0, max: 3 } },
    uniqueBy: 'organ',
  },
  priorSystemicLines: { kind: 'integer', min: 0, max: 50 },
  priorTreatments: { kind: 'tags' },
  notEligibleForCorticosteroidsOrRuxolitinib: { kind: 'boolean' },
  weightKg: { kind: 'positive', max: 400 },
  ageYears: { kind: 'integer', min: 0, max: 130 },
  karnofsky: { kind: 'integer', min: 0, max: 100 },
  lansky: { kind: 'integer', min: 0, max: 100 },
  stableCorticosteroidWeeks: { kind: 'integer', min: 0, max: 520 },
  childBearingPotential: { kind: 'boolean' },
  pregnancyTest: { kind: 'enum', values: ['negative', 'positive', 'not_applicable'] },
  contraceptionAgreed: { kind: 'boolean' },
  canBeDeferred: { kind: 'boolean' },
  /** Report-only fields (Rezurock report n°1, Tableaux 2 and 6). */
  heightCm: { kind: 'integer', min: 30, max: 250 },
  concomitantStrongCyp3aInducer: { kind: 'boolean' },
  concomitantProtonPumpInhibitor: { kind: 'boolean' },
};

const organs: JsonRule = { var: 'organScores' };
const onItem = (organ: '==' | '!=', op: '==' | '>=', score: number): JsonRule => ({
  some: [organs, { and: [{ [organ]: [{ var: 'organ' }, 'lungs'] }, { [op]: [{ var: 'score' }, score] }] }],
});
/** Counts involved organs (score ≥ 1) with standard JsonLogic `reduce`: no derived fields needed. */
const involvedOrgans: JsonRule = {
  reduce: [organs, { '+': [{ var: 'accumulator' }, { if: [{ '>=': [{ var: 'current.score' }, 1] }, 1, 0] }] }, 0],
};
const moderate: JsonRule = {
  or: [
    { and: [{ '>=': [involvedOrgans, 3] }, { none: [organs, { '>': [{ var: 'score' }, 1] }] }] },
    onItem('!=', '==', 2),
    onItem('==', '==', 1),
  ],
};
const severe: JsonRule = { or: [onItem('!=', '==', 3), onItem('==', '>=', 2)] };

const cgvhd: Criterion = {
  id: 'cgvhd_moderate_or_severe',
  sentence:
    'Moderate cGVHD (3 or more organs involved, none scored above 1; or an organ other than the lungs scored 2; or the lungs scored 1) or severe cGVHD (an organ other than the lungs scored 3, or the lungs scored 2 or more).',
  rule: { or: [moderate, severe] },
};
const corticosteroidsAndRuxolitinib: Criterion = {
  id: 'prior_corticosteroids_and_ruxolitinib',
  sentence: 'Prior lines include corticosteroids and ruxolitinib, unless the patient is not eligible for them.',
  rule: {
    or: [
      { '===': [{ var: 'notEligibleForCorticosteroidsOrRuxolitinib' }, true] },
      { and: [{ in: ['corticosteroids', { var: 'priorTreatments' }] }, { in: ['ruxolitinib', { var: 'priorTreatments' }] }] },
    ],
  },
};
const common: Criterion[] = [
  { id: 'weight_at_least_40_kg', sentence: 'Weight of at least 40 kg.', rule: { '>=': [{ var: 'weightKg' }, 40] } },
  { id: 'age_at_least_12', sentence: 'Aged 12 or over.', rule: { '>=': [{ var: 'ageYears' }, 12] } },
  {
    id: 'performance_status_at_least_60',
    sentence: 'Karnofsky score (age 16 or over) or Lansky score (under 16) of at least 60.',
    rule: { if: [{ '>=': [{ var: 'ageYears' }, 16] }, { '>=': [{ var: 'karnofsky' }, 60] }, { '>=': [{ var: 'lansky' }, 60] }] },
  },
  {
    id: 'stable_corticosteroids_2_weeks',
    sentence: 'Corticosteroids at a stable dose for the last 2 weeks.',
    rule: { '>=': [{ var: 'stableCorticosteroidWeeks' }, 2] },
  },
  {
    id: 'negative_pregnancy_test',
    sentence: 'A negative pregnancy test for a woman of child-bearing potential.',
    rule: { if: [{ var: 'childBearingPotential' }, { '==': [{ var: 'pregnancyTest' }, 'negative'] }, true] },
  },
  {
    id: 'contraception_agreed',
    sentence: 'Contraception agreed where fertility is kept.',
    rule: { if: [{ var: 'childBearingPotential' }, { '===': [{ var: 'contraceptionAgreed' }, true] }, true] },
  },
];

/**
 * Belumosudil, 2023 protocol (SPEC §9), in force from its start (seeds/000: "La mise à disposition … relative au
 * Protocole d'Utilisation Thérapeutique et de Suivi des Patients a démarré le 26 septembre 2023"); earlier
 * requests are judged as non-protocol (judgeRequest).
 */
export const BELUMOSUDIL_CRITERIA_2023: CriteriaVersion = {
  scheme: 'belumosudil',
  version: 'belumosudil-2023',
  effectiveFrom: '2023-09-26',
  criteria: [
    cgvhd,
    {
      id: 'prior_systemic_lines_2_to_5',
      sentence: 'At least 2 and at most 5 prior systemic lines.',
      rule: { '<=': [2, { var: 'priorSystemicLines' }, 5] },
    },
    corticosteroidsAndRuxolitinib,
    ...common,
  ],
};

/** Belumosudil, 2025 version in force from 2025-09-17 (SPEC §9): no maximum of 5 lines; the treatment cannot be deferred. */
export const BELUMOSUDIL_CRITERIA_2025: CriteriaVersion = {
  scheme: 'belumosudil',
  version: 'belumosudil-2025',
  effectiveFrom: '2025-09-17',
  criteria: [
    cgvhd,
    {
      id: 'prior_systemic_lines_at_least_2',
      sentence: 'At least 2 prior systemic lines.',
      rule: { '>=': [{ var: 'priorSystemicLines' }, 2] },
    },
    corticosteroidsAndRuxolitinib,
    ...common,
    {
      id: 'cannot_be_deferred',
      sentence: 'The treatment cannot be deferred.',
      rule: { '===': [{ var: 'canBeDeferred' }, false] },
    },
  ],
};

export const BELUMOSUDIL_CRITERIA_VERSIONS: readonly CriteriaVersion[] = [BELUMOSUDIL_CRITERIA_2023, BELUMOSUDIL_CRITERIA_2025];
