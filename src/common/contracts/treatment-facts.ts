/**
 * What reconciliation and reports read of treatments and orders, without importing those modules
 * (provided under TREATMENT_FACTS by the orders module, from the treatments' facts and its own).
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
  /**
   * Every treatment of the medicine started on or before the period's last day, those stopped
   * before the period included: reconciliation needs them to tell a line for a stopped patient
   * (STOPPED_BUT_ORDERED) from one for a patient never declared (UNDECLARED_PATIENT).
   */
  treatmentsInPeriod(medicine: string, period: string): Promise<TreatmentFact[]>;
  /** Every order of the medicine for the period, refused ones included. */
  ordersInPeriod(medicine: string, period: string): Promise<OrderFact[]>;
}
