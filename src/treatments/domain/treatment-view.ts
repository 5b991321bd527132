import { StopReason, TreatmentStatus } from './treatment-state';

/** A transfer as reported: the treatment left `from` and is held by `to` from `date` on. */
export interface TransferLeg {
  date: string;
  from: string;
  to: string;
}

/** A treatment with its whole history, as stored. Transfers are in declaration order. */
export interface TreatmentRecord {
  id: string;
  patient: string;
  medicine: string;
  indication: string;
  requestId: string | null;
  policyVersion: number;
  status: TreatmentStatus;
  establishment: string;
  establishmentSince: string;
  startDate: string;
  weightKg: number;
  stopDate: string | null;
  stopReason: StopReason | null;
  transfers: readonly TransferLeg[];
}

/**
 * What one establishment sees of a treatment (SPEC §1, §5 Declarations). The establishment that
 * holds it now sees all of it (`active` or `stopped`, with the transfers that brought it there).
 * An establishment it was transferred out of sees its history up to that transfer (its last one
 * out), with `status: "transferred"`, the establishment it went to and the date; never what
 * happened after (a later stop or transfer elsewhere).
 */
export interface TreatmentView {
  id: string;
  patient: string;
  medicine: string;
  indication: string;
  request: string | null;
  policyVersion: number;
  status: TreatmentStatus | 'transferred';
  /** Who holds the treatment (for a former holder: where it was transferred to). */
  establishment: string;
  startDate: string;
  weightKg: number;
  stopDate: string | null;
  stopReason: StopReason | null;
  /** For a former holder: the date the treatment left it. */
  transferredOn: string | null;
  transfers: TransferLeg[];
}

/** The treatment as `viewer` (a FINESS, or null for the lab and the agency) may see it; null when it may not. */
export function viewOfTreatment(t: TreatmentRecord, viewer: string | null): TreatmentView | null {
  const base = {
    id: t.id,
    patient: t.patient,
    medicine: t.medicine,
    indication: t.indication,
    request: t.requestId,
    policyVersion: t.policyVersion,
    startDate: t.startDate,
    weightKg: t.weightKg,
  };
  if (viewer === null || viewer === t.establishment) {
    return { ...base, status: t.status, establishment: t.establishment, stopDate: t.stopDate, stopReason: t.stopReason, transferredOn: null, transfers: [...t.transfers] };
  }
  let lastOut = -1;
  t.transfers.forEach((leg, i) => {
    if (leg.from === viewer) lastOut = i;
  });
  const out = t.transfers[lastOut];
  if (!out) return null;
  return { ...base, status: 'transferred', establishment: out.to, stopDate: null, stopReason: null, transferredOn: out.date, transfers: t.transfers.slice(0, lastOut + 1) };
}
