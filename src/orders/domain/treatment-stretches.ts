import { StopReason } from '../../treatments/domain/treatment-state';
import { TreatmentStretch } from './order-need';

export interface TreatmentHistory {
  patient: string;
  /** The establishment that holds the treatment now. */
  establishment: string;
  startDate: string;
  weightKg: number;
  stopDate: string | null;
  stopReason: StopReason | null;
  /** In declaration order. */
  transfers: readonly { date: string; from: string; to: string }[];
}

/**
 * Cuts a treatment into its stretches at each establishment (SPEC §5: a transfer moves the
 * treatment, the schedule's day 1 stays): before the first transfer the first establishment
 * holds it from the start; each transfer date ends one stretch (exclusive, reason `transfer`)
 * and opens the next (inclusive); the last stretch ends at the stop, if any.
 */
export function stretchesOf(t: TreatmentHistory): TreatmentStretch[] {
  const legs = t.transfers;
  const out: TreatmentStretch[] = [];
  for (let k = 0; k <= legs.length; k++) {
    const into = k === 0 ? undefined : legs[k - 1];
    const outOf = legs[k];
    out.push({
      patient: t.patient,
      establishment: into ? into.to : (legs[0]?.from ?? t.establishment),
      startDate: t.startDate,
      weightKg: t.weightKg,
      activeFrom: into ? into.date : null,
      stopDate: outOf ? outOf.date : t.stopDate,
      stopReason: outOf ? 'transfer' : t.stopReason,
    });
  }
  return out;
}
