/**
 * What reconciliation and reports read of treatments and orders, without importing those modules
 * (provided by the treatments/orders module under TREATMENT_FACTS).
 */
export const TREATMENT_FACTS = Symbol('TREATMENT_FACTS');

export interface TreatmentFact {
  id: string;
  patient: string;
  medicine: string;
  /** Where the treatment is now. */
  establishment: string;
  status: 'active' | 'stopped';
  startDate: string;
  stopDate: string | null;
  stopReason: string | null;
  weightKg: number;
  transfers: { date: string; from: string; to: string }[];
}

export interface OrderFact {
  id: string;
  establishment: string;
  medicine: string;
  period: string;
  status: string;
  /** Ordered quantity, or the reduced one once the lab reduced it. */
  quantity: number;
  need: number;
  lines: { patient: string; vials: number }[];
}

export interface TreatmentFacts {
  /** Every treatment of the medicine that was active at some point in the period (started on or before its last day, not stopped before its first). */
  treatmentsInPeriod(medicine: string, period: string): Promise<TreatmentFact[]>;
  /** Every order of the medicine for the period, refused ones included. */
  ordersInPeriod(medicine: string, period: string): Promise<OrderFact[]>;
}
