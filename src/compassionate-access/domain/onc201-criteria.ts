import type { ClinicalFormSpec } from './clinical-form';
import type { CriteriaVersion } from './eligibility';

/**
 * ONC201 clinical form. DEMO: SPEC §9 names the scheme (H3K27M-altered midline glioma, after the
 * national molecular meeting) but not its form; these fields are a plausible small set.
 */
export const ONC201_FORM: ClinicalFormSpec = {
  h3k27mAltered: { kind: 'boolean' },
  confirmedByMolecularMeeting: { kind: 'boolean' },
  tumourLocation: { kind: 'enum', values: ['thalamus', 'brainstem', 'spinal_cord', 'other_midline', 'not_midline'] },
  radiotherapyCompleted: { kind: 'boolean' },
  ageYears: { kind: 'integer', min: 0, max: 130 },
  weightKg: { kind: 'positive', max: 400 },
  karnofsky: { kind: 'integer', min: 0, max: 100 },
  lansky: { kind: 'integer', min: 0, max: 100 },
};

/** ONC201 criteria (DEMO, see ONC201_FORM). */
export const ONC201_CRITERIA_2024: CriteriaVersion = {
  scheme: 'onc201',
  version: 'onc201-2024',
  effectiveFrom: '2024-01-01',
  criteria: [
    {
      id: 'h3k27m_confirmed_by_molecular_meeting',
      sentence: 'An H3K27M alteration confirmed by the national molecular meeting.',
      rule: { and: [{ '===': [{ var: 'h3k27mAltered' }, true] }, { '===': [{ var: 'confirmedByMolecularMeeting' }, true] }] },
    },
    {
      id: 'midline_glioma',
      sentence: 'A glioma of the midline (thalamus, brainstem, spinal cord or other midline structure).',
      rule: { '!=': [{ var: 'tumourLocation' }, 'not_midline'] },
    },
    {
      id: 'radiotherapy_completed',
      sentence: 'First-line radiotherapy completed.',
      rule: { '===': [{ var: 'radiotherapyCompleted' }, true] },
    },
    // seeds/004: "pour le traitement d'enfants de plus de 10 kg": strictly more than 10 kg.
    { id: 'weight_more_than_10_kg', sentence: 'Weight of more than 10 kg.', rule: { '>': [{ var: 'weightKg' }, 10] } },
    {
      id: 'performance_status_at_least_50',
      sentence: 'Karnofsky score (age 16 or over) or Lansky score (under 16) of at least 50.',
      rule: { if: [{ '>=': [{ var: 'ageYears' }, 16] }, { '>=': [{ var: 'karnofsky' }, 50] }, { '>=': [{ var: 'lansky' }, 50] }] },
    },
  ],
};

export const ONC201_CRITERIA_VERSIONS: readonly CriteriaVersion[] = [ONC201_CRITERIA_2024];
