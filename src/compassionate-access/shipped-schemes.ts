import { loadAccessScheme, type AccessMedicineConfig } from '../schemes/scheme-config';
import type { ClinicalFormSpec } from './domain/clinical-form';
import type { CriteriaVersion } from './domain/eligibility';

export type SchemeCode = 'belumosudil' | 'tofersen' | 'onc201';

/** A compassionate-access scheme as shipped in config/<scheme>.yaml (SPEC §9): its form, criteria versions and medicines. */
export interface ShippedScheme {
  code: SchemeCode;
  form: ClinicalFormSpec;
  criteriaVersions: readonly CriteriaVersion[];
  medicines: readonly AccessMedicineConfig[];
  prescriberSpecialties: readonly string[];
  /** The workflow's view (WorkflowScheme): a national meeting reviews each request; the authorisation's validity. */
  requiresMeeting: boolean;
  authorisationValidityDays: number;
}

const load = (code: SchemeCode): ShippedScheme => {
  const c = loadAccessScheme(code);
  const first = c.medicines[0];
  return {
    code, form: c.form, criteriaVersions: c.criteriaVersions, medicines: c.medicines, prescriberSpecialties: first?.prescriberSpecialties ?? [],
    requiresMeeting: (first?.meeting ?? null) !== null, authorisationValidityDays: first?.validityDays ?? 365,
  };
};

/** The three schemes of the seeds, read once from config/ through the publish validation. */
export const SHIPPED_SCHEMES: Readonly<Record<SchemeCode, ShippedScheme>> = {
  belumosudil: load('belumosudil'),
  tofersen: load('tofersen'),
  onc201: load('onc201'),
};
