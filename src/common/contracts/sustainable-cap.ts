/**
 * The monthly initiations the declared stock sustains (SPEC §8b), asked by the policies when a cap is
 * published (provided by the supply module under SUSTAINABLE_CAP, so medicines imports none of it).
 */
export const SUSTAINABLE_CAP = Symbol('SUSTAINABLE_CAP');

export interface SustainableCaps {
  /** null when no stock is declared or nothing can be projected. */
  sustainableCap(medicine: string): Promise<{ sustainableMonthlyInitiations: number | null; supplyVersion: number } | null>;
}
