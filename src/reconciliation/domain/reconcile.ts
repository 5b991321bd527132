import { addPeriods, isIsoDate, isPeriod, periodBounds } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';
import { ReconciliationRefusal } from './reconciliation.errors';

/** Discrepancy kinds of a reconciliation (SPEC §5), in the order they are listed. */
export const DISCREPANCY_KINDS = [
  'UNDECLARED_PATIENT',
  'MISSING_FROM_RECAP',
  'DUPLICATE_ACROSS_ESTABLISHMENTS',
  'ORDER_EXCEEDS_NEED',
  'ORDER_WITHOUT_RECAP',
  'STOPPED_BUT_ORDERED',
  'RECAP_MISSING',
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** One discrepancy (SPEC §11 reconciliations row); `patient` is a pseudonym, null for an establishment-wide one. */
export interface Discrepancy {
  kind: DiscrepancyKind;
  establishment: string;
  patient: string | null;
  detail: string;
  /** The figures of the sentence (issue 17), rendered from `discrepancy.<kind>` in the reader's language; pseudonyms only. */
  params: DiscrepancyParams;
}

/** Each kind's figures; the period is the reconciliation's own. */
export interface DiscrepancyParamsOf {
  UNDECLARED_PATIENT: { patient: string; administrations: number; vials: number; declaredAt: string[]; laterStart: string | null };
  MISSING_FROM_RECAP: { patient: string; from: string; listed: number };
  DUPLICATE_ACROSS_ESTABLISHMENTS: { patient: string; recaps: { establishment: string; vials: number }[] };
  ORDER_EXCEEDS_NEED: { orders: number; vials: number; base: 'recap' | 'need'; baseVials: number; tolerancePct: number; limitVials: number };
  ORDER_WITHOUT_RECAP: { orders: number; vials: number };
  STOPPED_BUT_ORDERED: { patient: string; stopDate: string; stoppedAt: string; recapVials: number | null; orderVials: number };
  RECAP_MISSING: { running: number };
}
export type DiscrepancyParams = DiscrepancyParamsOf[DiscrepancyKind];

/** One line of an accepted recap; the patient is a pseudonym (the service resolves NIRs first). */
export interface ReconcileRecapLine {
  patient: string;
  administrations: number;
  vials: number;
}

/** The accepted recap of one establishment for the period (the latest one if several were sent). */
export interface ReconcileRecap {
  establishment: string;
  patients: readonly ReconcileRecapLine[];
}

export interface ReconcileTransfer {
  date: string;
  fromEstablishment: string;
  toEstablishment: string;
}

/**
 * A declared treatment of the medicine. `establishment` is where it is now (after its last
 * transfer); it started at the first transfer's `fromEstablishment`, or at `establishment`.
 * A stop is its `stopDate` (null while active). Dates are `YYYY-MM-DD`, ends included.
 */
export interface ReconcileTreatment {
  patient: string;
  establishment: string;
  startDate: string;
  stopDate: string | null;
  transfers: readonly ReconcileTransfer[];
}

export type ReconcileOrderStatus = 'submitted' | 'flagged' | 'confirmed' | 'reduced' | 'refused';

/**
 * An order of the period. `quantityVials` is the final quantity (the reduced one after a
 * reduction); `needVials` the need Contingent computed; `lines` its justification lines.
 */
export interface ReconcileOrder {
  establishment: string;
  status: ReconcileOrderStatus;
  quantityVials: number;
  needVials: number;
  lines: readonly { patient: string; vials: number }[];
}

export interface ReconcileInput {
  /** `YYYY-MM`; all the other inputs are for one medicine. */
  period: string;
  /** The policy's tolerance above the recap (or the need) before an order is flagged, in percent. */
  orderTolerancePct: number;
  /** Establishments that must send a recap besides those with a treatment running at the period's end. */
  expectedEstablishments?: readonly string[];
  recaps: readonly ReconcileRecap[];
  treatments: readonly ReconcileTreatment[];
  orders: readonly ReconcileOrder[];
}

/** Where a patient's treatment was during the period, at one establishment. */
interface Presence {
  from: string;
  /** Still there at the end of the period (no stop nor transfer out before it ends). */
  throughEnd: boolean;
}

/** The order of discrepancies: by kind (SPEC §5 order), establishment, then patient (none first). */
export function compareDiscrepancies(a: Discrepancy, b: Discrepancy): number {
  const kind = DISCREPANCY_KINDS.indexOf(a.kind) - DISCREPANCY_KINDS.indexOf(b.kind);
  if (kind !== 0) return kind;
  if (a.establishment !== b.establishment) return a.establishment < b.establishment ? -1 : 1;
  if (a.patient === b.patient) return 0;
  if (a.patient === null) return -1;
  if (b.patient === null) return 1;
  return a.patient < b.patient ? -1 : 1;
}

/** The date the recaps of a period are due: day `deadlineDay` of the next month (SPEC §5, default the 10th). */
export function recapDeadline(period: string, deadlineDay = 10): string {
  return `${addPeriods(period, 1)}-${String(deadlineDay).padStart(2, '0')}`;
}

/** A period may be reconciled once it has ended (SPEC §5: after the recap deadline, and again on a late recap). */
export function checkReconciliationPeriod(period: string, today: string): Result<string, ReconciliationRefusal> {
  if (!isPeriod(period)) {
    return fail({ code: 'RECONCILIATION_PERIOD_INVALID', params: { period: String(period) }, errors: [{ field: 'period', reason: 'must be YYYY-MM' }] });
  }
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  if (period >= today.slice(0, 7)) {
    return fail({ code: 'RECONCILIATION_PERIOD_NOT_ENDED', params: { period, today, from: `${addPeriods(period, 1)}-01` }, errors: [] });
  }
  return ok(period);
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

/**
 * Reconciles one medicine's period (SPEC §5 Reconciliation): compares the recaps with the
 * declared treatments (with their transfers and stops) and with the orders.
 *
 * - `UNDECLARED_PATIENT`: in an establishment's recap, with no treatment there in the period.
 * - `MISSING_FROM_RECAP`: treated at an establishment that sent a recap, through the end of the
 *   period (no stop, no transfer out), and absent from the recaps of every establishment where
 *   it was treated in the period.
 * - `DUPLICATE_ACROSS_ESTABLISHMENTS`: in the recaps of two or more establishments, unless a
 *   declared transfer puts the treatment at each of them during the period (one per establishment).
 * - `ORDER_EXCEEDS_NEED`: the establishment's orders (refused ones left out) above its recap's
 *   vials plus the tolerance, or above the orders' computed need when there is no recap.
 * - `ORDER_WITHOUT_RECAP`: orders, no recap.
 * - `STOPPED_BUT_ORDERED`: a recap or order line for a patient whose treatment stopped before
 *   the period and who has no treatment in it (reported instead of `UNDECLARED_PATIENT`).
 * - `RECAP_MISSING`: no recap from an establishment with a treatment running at the period's
 *   end, or listed in `expectedEstablishments`.
 *
 * Pure and deterministic: the order of the inputs changes nothing, and the result is sorted with
 * `compareDiscrepancies`. Throws on broken invariants (two recaps of one establishment, a patient
 * twice in one recap, a transfer chain that does not join up).
 */
export function reconcile(input: ReconcileInput): Discrepancy[] {
  if (!isPeriod(input.period)) throw new RangeError(`period must be YYYY-MM, got ${input.period}`);
  if (!Number.isFinite(input.orderTolerancePct) || input.orderTolerancePct < 0) {
    throw new RangeError(`orderTolerancePct must be 0 or more, got ${input.orderTolerancePct}`);
  }
  const period = input.period;
  const { first, last } = periodBounds(period);
  const out: Discrepancy[] = [];

  // Where each patient was treated during the period, and its latest stop before it.
  const presence = new Map<string, Map<string, Presence>>();
  const stoppedBefore = new Map<string, { date: string; establishment: string }>();
  const laterStart = new Map<string, string>();
  for (const treatment of input.treatments) {
    for (const segment of segmentsOf(treatment)) {
      if (segment.from > last || (segment.to !== null && segment.to < first)) continue;
      let at = presence.get(treatment.patient);
      if (at === undefined) presence.set(treatment.patient, (at = new Map<string, Presence>()));
      const throughEnd = segment.to === null || segment.to > last;
      const known = at.get(segment.establishment);
      at.set(segment.establishment, {
        from: known === undefined || segment.from < known.from ? segment.from : known.from,
        throughEnd: throughEnd || (known?.throughEnd ?? false),
      });
    }
    if (treatment.stopDate !== null && treatment.stopDate < first) {
      const known = stoppedBefore.get(treatment.patient);
      const here = { date: treatment.stopDate, establishment: treatment.establishment };
      if (known === undefined || here.date > known.date || (here.date === known.date && here.establishment < known.establishment)) {
        stoppedBefore.set(treatment.patient, here);
      }
    }
    if (treatment.startDate > last) {
      const known = laterStart.get(treatment.patient);
      if (known === undefined || treatment.startDate < known) laterStart.set(treatment.patient, treatment.startDate);
    }
  }

  // Recaps by establishment, and the establishments whose recap lists each patient.
  const recaps = new Map<string, Map<string, ReconcileRecapLine>>();
  const listedBy = new Map<string, string[]>();
  for (const recap of input.recaps) {
    if (recaps.has(recap.establishment)) throw new Error(`two recaps of establishment ${recap.establishment} for ${period}`);
    const lines = new Map<string, ReconcileRecapLine>();
    for (const line of recap.patients) {
      if (lines.has(line.patient)) throw new Error(`patient ${line.patient} twice in the recap of ${recap.establishment}`);
      lines.set(line.patient, line);
      const by = listedBy.get(line.patient);
      if (by === undefined) listedBy.set(line.patient, [recap.establishment]);
      else by.push(recap.establishment);
    }
    recaps.set(recap.establishment, lines);
  }

  // Lines of patients stopped before the period, from recaps and orders, one per establishment and patient.
  const stopped = new Map<string, { establishment: string; patient: string; recapVials: number | null; orderVials: number }>();
  const noteStopped = (establishment: string, patient: string, recapVials: number | null, orderVials: number): boolean => {
    if (presence.has(patient) || !stoppedBefore.has(patient)) return false;
    const key = `${establishment}\u0000${patient}`;
    const known = stopped.get(key);
    if (known === undefined) stopped.set(key, { establishment, patient, recapVials, orderVials });
    else known.orderVials += orderVials;
    return true;
  };

  for (const [establishment, lines] of recaps) {
    for (const line of lines.values()) {
      const at = presence.get(line.patient);
      if (at?.has(establishment)) continue;
      if (noteStopped(establishment, line.patient, line.vials, 0)) continue;
      const declaredAt = at === undefined ? [] : [...at.keys()].sort();
      out.push({
        kind: 'UNDECLARED_PATIENT',
        establishment,
        patient: line.patient,
        params: { patient: line.patient, administrations: line.administrations, vials: line.vials, declaredAt, laterStart: declaredAt.length > 0 ? null : (laterStart.get(line.patient) ?? null) },
        detail:
          `${line.patient} is in the ${period} recap (${plural(line.administrations, 'administration')}, ${plural(line.vials, 'vial')}) ` +
          `but no treatment of it is declared here in that period: ${whyUndeclared(at, laterStart.get(line.patient))}.`,
      });
    }
  }

  for (const [patient, establishments] of listedBy) {
    if (establishments.length < 2) continue;
    const at = presence.get(patient);
    if (establishments.every((e) => at?.has(e) ?? false)) continue;
    const sorted = [...establishments].sort();
    const vials = sorted.map((e) => `${e}: ${plural(recaps.get(e)?.get(patient)?.vials ?? 0, 'vial')}`).join(', ');
    for (const establishment of sorted) {
      out.push({
        kind: 'DUPLICATE_ACROSS_ESTABLISHMENTS',
        establishment,
        patient,
        params: { patient, recaps: sorted.map((e) => ({ establishment: e, vials: recaps.get(e)?.get(patient)?.vials ?? 0 })) },
        detail:
          `${patient} is in the ${period} recaps of ${sorted.length} establishments (${vials}) ` +
          `with no declared transfer placing its treatment at each of them in the period.`,
      });
    }
  }

  const runningAtEnd = new Map<string, number>();
  for (const [patient, at] of presence) {
    const listedAtOneOfThem = [...at.keys()].some((e) => recaps.get(e)?.has(patient) ?? false);
    for (const [establishment, where] of at) {
      if (!where.throughEnd) continue;
      runningAtEnd.set(establishment, (runningAtEnd.get(establishment) ?? 0) + 1);
      const recap = recaps.get(establishment);
      if (recap === undefined || listedAtOneOfThem) continue;
      out.push({
        kind: 'MISSING_FROM_RECAP',
        establishment,
        patient,
        params: { patient, from: where.from, listed: recap.size },
        detail:
          `${patient} is declared on treatment here from ${where.from} with no stop or transfer before the end of ${period}, ` +
          `but is not in the ${period} recap (${plural(recap.size, 'patient')} listed).`,
      });
    }
  }

  // Orders, refused ones left out, per establishment.
  const orders = new Map<string, { count: number; quantityVials: number; needVials: number }>();
  for (const order of input.orders) {
    if (!countsInReconciliation(order.status)) continue;
    const sum = orders.get(order.establishment) ?? { count: 0, quantityVials: 0, needVials: 0 };
    sum.count += 1;
    sum.quantityVials += order.quantityVials;
    sum.needVials += order.needVials;
    orders.set(order.establishment, sum);
    for (const line of order.lines) noteStopped(order.establishment, line.patient, null, line.vials);
  }
  for (const [establishment, sum] of orders) {
    const recap = recaps.get(establishment);
    const ordered = `${plural(sum.count, 'order')} for ${period} total ${plural(sum.quantityVials, 'vial')}`;
    if (recap === undefined) {
      out.push({ kind: 'ORDER_WITHOUT_RECAP', establishment, patient: null, detail: `${ordered}, but no recap was received for the period.`, params: { orders: sum.count, vials: sum.quantityVials } });
    }
    const recapVials = recap === undefined ? null : [...recap.values()].reduce((total, line) => total + line.vials, 0);
    const baseVials = recapVials ?? sum.needVials;
    const limitVials = Math.floor((baseVials * (100 + input.orderTolerancePct)) / 100 + 1e-9);
    if (sum.quantityVials > limitVials) {
      const base = recapVials === null ? `the ${plural(baseVials, 'vial')} of their computed need` : `the ${plural(baseVials, 'vial')} of the recap`;
      out.push({
        kind: 'ORDER_EXCEEDS_NEED',
        establishment,
        patient: null,
        params: { orders: sum.count, vials: sum.quantityVials, base: recapVials === null ? 'need' : 'recap', baseVials, tolerancePct: input.orderTolerancePct, limitVials },
        detail: `${ordered}, above ${base} plus the ${input.orderTolerancePct}% tolerance (at most ${plural(limitVials, 'vial')}).`,
      });
    }
  }

  for (const line of stopped.values()) {
    const stop = stoppedBefore.get(line.patient);
    if (stop === undefined) throw new Error(`no stop recorded for ${line.patient}`);
    const where = [
      line.recapVials === null ? null : `the ${period} recap (${plural(line.recapVials, 'vial')})`,
      line.orderVials === 0 && line.recapVials !== null ? null : `the ${period} orders (${plural(line.orderVials, 'vial')})`,
    ].filter((w): w is string => w !== null);
    out.push({
      kind: 'STOPPED_BUT_ORDERED',
      establishment: line.establishment,
      patient: line.patient,
      params: { patient: line.patient, stopDate: stop.date, stoppedAt: stop.establishment, recapVials: line.recapVials, orderVials: line.orderVials },
      detail: `${line.patient}'s treatment stopped on ${stop.date} (at ${stop.establishment}), before ${period}, yet it is in ${where.join(' and ')}.`,
    });
  }

  const expected = new Set<string>([...runningAtEnd.keys(), ...(input.expectedEstablishments ?? [])]);
  for (const establishment of expected) {
    if (recaps.has(establishment)) continue;
    const running = runningAtEnd.get(establishment) ?? 0;
    out.push({
      kind: 'RECAP_MISSING',
      establishment,
      patient: null,
      params: { running },
      detail:
        running > 0
          ? `No ${period} recap was received although ${plural(running, 'patient')} ${running === 1 ? 'is' : 'are'} declared on treatment here at the end of the period.`
          : `No ${period} recap was received although this establishment is expected to send one.`,
    });
  }

  return out.sort(compareDiscrepancies);
}

function countsInReconciliation(status: ReconcileOrderStatus): boolean {
  switch (status) {
    case 'submitted':
    case 'flagged':
    case 'confirmed':
    case 'reduced':
      return true;
    case 'refused':
      return false;
  }
}

function whyUndeclared(at: Map<string, Presence> | undefined, laterStart: string | undefined): string {
  if (at !== undefined && at.size > 0) return `its treatment is declared at ${[...at.keys()].sort().join(', ')}`;
  if (laterStart !== undefined) return `its treatment starts on ${laterStart}, after the period`;
  return 'no treatment of this patient is declared';
}

/** The stays of a treatment at each establishment: from its start or a transfer, to the next transfer or its stop. */
function segmentsOf(treatment: ReconcileTreatment): { establishment: string; from: string; to: string | null }[] {
  const transfers = [...treatment.transfers].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const segments: { establishment: string; from: string; to: string | null }[] = [];
  let establishment = transfers[0]?.fromEstablishment ?? treatment.establishment;
  let from = treatment.startDate;
  for (const transfer of transfers) {
    if (transfer.fromEstablishment !== establishment) {
      throw new Error(`transfer of ${treatment.patient} on ${transfer.date} leaves ${transfer.fromEstablishment}, but the treatment is at ${establishment}`);
    }
    segments.push({ establishment, from, to: transfer.date });
    establishment = transfer.toEstablishment;
    from = transfer.date;
  }
  if (establishment !== treatment.establishment) {
    throw new Error(`treatment of ${treatment.patient} ends at ${establishment} after its transfers, but is recorded at ${treatment.establishment}`);
  }
  segments.push({ establishment, from, to: treatment.stopDate });
  return segments;
}
