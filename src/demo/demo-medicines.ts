import type { PublishPolicyDto } from '../medicines/dto/policy.dto';
import { loadRationingScheme, type MedicineConfig } from '../schemes/scheme-config';

/** The Nulojix scheme is data: config/nulojix.yaml (its medicine, indications and the policy timeline of SPEC §3). */
const nulojix = loadRationingScheme('nulojix');

export const NULOJIX = nulojix.medicine.code;

export const DEMO_MEDICINES: MedicineConfig[] = [nulojix.medicine];

/** The Nulojix timeline of SPEC §3, as policy versions, each checked like a published one. */
export const NULOJIX_TIMELINE: PublishPolicyDto[] = nulojix.policies;
