/** The five roles of SPEC §1. */
export const ROLES = ['pharmacist', 'prescriber', 'committee', 'lab', 'agency'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as the token says. `establishment` is a FINESS or null. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  establishment: string | null;
  specialty: string | null;
}

/** The system itself (cron jobs, seeds), for audit events. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', username: 'system', role: 'agency', establishment: null, specialty: null };

/** Pharmacists and prescribers see only their own establishment (SPEC §1). */
export function isEstablishmentBound(actor: Actor): boolean {
  return actor.role === 'pharmacist' || actor.role === 'prescriber';
}

/** True when the actor may see data of this establishment. */
export function canSeeEstablishment(actor: Actor, finess: string | null | undefined): boolean {
  if (!isEstablishmentBound(actor)) return true;
  return finess !== null && finess !== undefined && actor.establishment === finess;
}
