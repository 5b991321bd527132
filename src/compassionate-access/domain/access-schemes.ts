import { fail, ok, type Result } from '../../common/domain/result';
import { BELUMOSUDIL_CRITERIA_VERSIONS, BELUMOSUDIL_FORM } from './belumosudil-criteria';
import type { ClinicalFormSpec } from './clinical-form';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';
import type { CriteriaVersion } from './eligibility';
import { ONC201_CRITERIA_VERSIONS, ONC201_FORM } from './onc201-criteria';
import { TOFERSEN_CRITERIA_VERSIONS, TOFERSEN_FORM } from './tofersen-criteria';

export type SchemeCode = 'belumosudil' | 'tofersen' | 'onc201';

/** A compassionate-access scheme as data (SPEC §9). */
export interface AccessScheme {
  code: SchemeCode;
  medicineName: string;
  indication: string;
  /** Prescriber specialties allowed to ask (SPEC §9 Who may ask). */
  prescriberSpecialties: readonly string[];
  /** Whether the national meeting reviews each countersigned request (`meeting_review`). */
  requiresMeeting: boolean;
  authorisationValidityDays: number;
  /** Follow-up forms every N months after the initiation form (M3, M6, …). */
  followUpEveryMonths: number;
  form: ClinicalFormSpec;
  criteriaVersions: readonly CriteriaVersion[];
}

export const ACCESS_SCHEMES: Readonly<Record<SchemeCode, AccessScheme>> = {
  belumosudil: {
    code: 'belumosudil',
    medicineName: 'Rezurock 200 mg tablets',
    indication: 'chronic GVHD',
    prescriberSpecialties: ['haematology'],
    requiresMeeting: false,
    authorisationValidityDays: 365,
    followUpEveryMonths: 3,
    form: BELUMOSUDIL_FORM,
    criteriaVersions: BELUMOSUDIL_CRITERIA_VERSIONS,
  },
  tofersen: {
    code: 'tofersen',
    medicineName: 'tofersen 100 mg intrathecal',
    indication: 'SOD1 ALS',
    prescriberSpecialties: ['neurology'],
    requiresMeeting: true,
    authorisationValidityDays: 365,
    followUpEveryMonths: 3,
    form: TOFERSEN_FORM,
    criteriaVersions: TOFERSEN_CRITERIA_VERSIONS,
  },
  onc201: {
    code: 'onc201',
    medicineName: 'ONC201 (dordaviprone)',
    indication: 'H3K27M-altered midline glioma',
    // Not named in SPEC §9: demo assumption.
    prescriberSpecialties: ['oncology', 'paediatric_oncology', 'neuro_oncology'],
    requiresMeeting: true,
    authorisationValidityDays: 365,
    followUpEveryMonths: 3,
    form: ONC201_FORM,
    criteriaVersions: ONC201_CRITERIA_VERSIONS,
  },
};

/** Only the scheme's named specialties may ask (SPEC §9 Who may ask). */
export function checkPrescriberSpecialty(scheme: { code: string; prescriberSpecialties: readonly string[] }, specialty: string): Result<true, CompassionateAccessError> {
  if (scheme.prescriberSpecialties.includes(specialty)) return ok(true);
  return fail(
    accessError(
      'PRESCRIBER_SPECIALTY_NOT_ALLOWED',
      `A ${specialty} prescriber may not ask for ${scheme.code}; allowed: ${scheme.prescriberSpecialties.join(', ')}.`,
    ),
  );
}
