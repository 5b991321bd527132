import type { ClinicalFormSpec } from './clinical-form';
import type { CriteriaVersion } from './eligibility';

/**
 * Tofersen clinical form. DEMO: SPEC §9 names the scheme (SOD1 ALS, after the national ALS meeting)
 * but not its form; these fields are a plausible small set, not the agency's protocol.
 */
export const TOFERSEN_FORM: ClinicalFormSpec = {
  sod1MutationConfirmed: { kind: 'boolean' },
  alsDiagnosis: { kind: 'enum', values: ['definite', 'probable', 'possible', 'not_confirmed'] },
  ageYears: { kind: 'integer', min: 0, max: 130 },
  alsfrsR: { kind: 'integer', min: 0, max: 48 },
  permanentVentilation: { kind: 'boolean' },
  intrathecalAccessPossible: { kind: 'boolean' },
  childBearingPotential: { kind: 'boolean' },
  pregnancyTest: { kind: 'enum', values: ['negative', 'positive', 'not_applicable'] },
};

/** Tofersen criteria (DEMO, see TOFERSEN_FORM). */
export const TOFERSEN_CRITERIA_2023: CriteriaVersion = {
  scheme: 'tofersen',
  version: 'tofersen-2023',
  effectiveFrom: '2023-01-01',
  criteria: [
    {
      id: 'sod1_mutation_confirmed',
      sentence: 'A pathogenic SOD1 mutation confirmed by genetic testing.',
      rule: { '===': [{ var: 'sod1MutationConfirmed' }, true] },
    },
    {
      id: 'als_diagnosis',
      sentence: 'ALS diagnosed as definite, probable or possible.',
      rule: { in: [{ var: 'alsDiagnosis' }, ['definite', 'probable', 'possible']] },
    },
    { id: 'adult', sentence: 'Aged 18 or over.', rule: { '>=': [{ var: 'ageYears' }, 18] } },
    {
      id: 'no_permanent_ventilation',
      sentence: 'No permanent invasive ventilation.',
      rule: { '===': [{ var: 'permanentVentilation' }, false] },
    },
    {
      id: 'intrathecal_access_possible',
      sentence: 'Intrathecal administration (lumbar puncture) is possible.',
      rule: { '===': [{ var: 'intrathecalAccessPossible' }, true] },
    },
    {
      id: 'negative_pregnancy_test',
      sentence: 'A negative pregnancy test for a woman of child-bearing potential.',
      rule: { if: [{ var: 'childBearingPotential' }, { '==': [{ var: 'pregnancyTest' }, 'negative'] }, true] },
    },
  ],
};

export const TOFERSEN_CRITERIA_VERSIONS: readonly CriteriaVersion[] = [TOFERSEN_CRITERIA_2023];
