/**
 * What reconciliation and reports read of treatments and orders, without importing those modules
 * (provided under TREATMENT_FACTS by the orders module, from the treatments' facts and its own).
 */
import type { EntityManager } from 'typeorm';

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

/**
 * Tables the caller created in its transaction (temporary ones) for `stagePeriodFacts` to fill, so
 * that a set-based reader (reconciliation) joins the facts in SQL without reading the owners' tables.
 */
export interface PeriodFactTables {
  /** `(id, patient, establishment, start_date, stop_date)`: the same treatments as `treatmentsInPeriod`; `establishment` where it is now. */
  treatments: string;
  /** `(treatment_id, seq, date, from_establishment, to_establishment)`: their transfers, `seq` 1, 2, … in date order (then declaration). */
  transfers: string;
  /** `(id, establishment, status, quantity, need)`: the same orders as `ordersInPeriod`, `quantity` the reduced one once reduced. */
  orders: string;
  /** `(order_id, patient, vials)`: their justification lines. */
  orderLines: string;
}

export interface TreatmentFacts {
  /**
   * Copies the facts of `treatmentsInPeriod` and `ordersInPeriod` into `tables` with INSERT … SELECT
   * in the caller's transaction (`manager`): nothing is read into memory.
   */
  stagePeriodFacts(manager: EntityManager, medicine: string, period: string, tables: PeriodFactTables): Promise<void>;
  /**
   * Every treatment of the medicine started on or before the period's last day, those stopped
   * before the period included: reconciliation needs them to tell a line for a stopped patient
   * (STOPPED_BUT_ORDERED) from one for a patient never declared (UNDECLARED_PATIENT).
   */
  treatmentsInPeriod(medicine: string, period: string): Promise<TreatmentFact[]>;
  /** Every order of the medicine for the period, refused ones included. */
  ordersInPeriod(medicine: string, period: string): Promise<OrderFact[]>;
}
