import { FieldReason } from '../../common/domain/domain-error';
import { addPeriods, isIsoDate, isPeriod } from '../../common/domain/period';
import { Result, fail, ok } from '../../common/domain/result';
import {
  DosingSchedule,
  MaintenanceDoseChange,
  PlannedAdministration,
  administrationsInPeriod,
  vialsNeeded,
} from '../../medicines/domain/dosing-schedule';
import { StopReason } from '../../treatments/domain/treatment-state';
import { OrderRefusal } from './orders.errors';

/**
 * One stretch of a patient's treatment of the ordered medicine at one establishment: the whole
 * treatment, or the part before / after a transfer. The active window is [activeFrom, stopDate).
 */
export interface TreatmentStretch {
  /** Pseudonym. */
  patient: string;
  /** FINESS of the establishment treating the patient in this stretch. */
  establishment: string;
  /** Day 1 of the schedule (the treatment's start, unchanged by a transfer). */
  startDate: string;
  weightKg: number;
  /** Transfer-in date for the receiving establishment; null/absent = startDate. */
  activeFrom?: string | null;
  /** Stop date, or transfer-out date for the establishment left; exclusive. */
  stopDate?: string | null;
  stopReason?: StopReason | null;
}

export interface AssessOrderInput {
  /** FINESS of the ordering establishment. */
  establishment: string;
  /** YYYY-MM. */
  period: string;
  /** YYYY-MM-DD, Europe/Paris (Clock.today()). */
  today: string;
  quantityVials: number;
  lines: readonly { patient: string }[];
  /** Every known stretch of the line patients for this medicine, any establishment (others are ignored, never revealed). */
  treatments: readonly TreatmentStretch[];
  /** The schedule of the policy version in force, and maintenance doses of later/earlier versions (maintenanceDoseChangesFrom). */
  schedule: DosingSchedule;
  maintenanceDoseChanges?: readonly MaintenanceDoseChange[];
  /** Policy's `orderTolerancePct` (≥ 0). */
  orderTolerancePct: number;
  /** Orders are for the current period or up to this many periods ahead (default 2). */
  periodsAhead?: number;
  /** The policy's `orderJustificationRequired`: the order must list its lines (default true). */
  justificationRequired?: boolean;
}

export type OrderFlagCode = 'ORDER_EXCEEDS_NEED' | 'PATIENT_STOPPED' | 'LINE_WITHOUT_NEED';

export interface OrderFlag {
  code: OrderFlagCode;
  message: string;
  /** Index in `lines` for a line flag. */
  line?: number;
  patient?: string;
  /** The sentence's parameters (line numbers 1-based), rendered from the code in the reader's language (common/messages). */
  params?: Record<string, string | number | null>;
}

export interface AssessedLine {
  patient: string;
  administrations: PlannedAdministration[];
  vials: number;
}

export interface OrderAssessment {
  status: 'submitted' | 'flagged';
  quantityVials: number;
  /** Sum of the lines' vials (SPEC §5). */
  needVials: number;
  /** The most that passes without a flag: floor(need × (100 + tolerance) / 100). */
  toleratedVials: number;
  lines: AssessedLine[];
  flags: OrderFlag[];
}

const DEFAULT_PERIODS_AHEAD = 2;

/**
 * Checks an order against the patients it names (SPEC §5 Order, §6): each line's vials are those
 * of the administrations in the period, the need is their sum, and an order above the need beyond
 * the policy's tolerance is `flagged`.
 *
 * Refused (returned as OrderRefusal, nothing stored): a quantity that is not a positive integer;
 * a period before today's or more than `periodsAhead` ahead; no line when a justification is
 * required; the same patient on two lines (ORDER_DUPLICATE_LINE); a patient with no treatment
 * stretch at the ordering establishment (ORDER_LINE_PATIENT_UNKNOWN, the same sentence whether
 * the pseudonym is unknown or treated elsewhere, so existence is not leaked).
 * Flagged (order kept, `flagged`): ORDER_EXCEEDS_NEED; PATIENT_STOPPED (stopped or transferred
 * out before the period: 0 vials); LINE_WITHOUT_NEED (no administration in the period).
 * A patient stopped during the period counts the administrations before the stop date, unflagged.
 */
export function assessOrder(input: AssessOrderInput): Result<OrderAssessment, OrderRefusal> {
  const { period, today, quantityVials, lines, orderTolerancePct } = input;
  if (!Number.isFinite(orderTolerancePct) || orderTolerancePct < 0) throw new RangeError(`orderTolerancePct must be ≥ 0, got ${orderTolerancePct}`);
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);

  if (!Number.isInteger(quantityVials) || quantityVials < 1) {
    return fail({
      code: 'ORDER_QUANTITY_INVALID',
      params: { quantity: quantityVials, reduced: false },
      errors: [{ field: 'quantity', reason: 'must be an integer ≥ 1' }],
    });
  }
  const windowProblem = checkOrderPeriod(period, today, input.periodsAhead ?? DEFAULT_PERIODS_AHEAD);
  if (windowProblem) return fail(windowProblem);
  const justificationRequired = input.justificationRequired ?? true;
  if (justificationRequired && lines.length === 0) {
    return fail({
      code: 'ORDER_JUSTIFICATION_REQUIRED',
      params: {},
      errors: [{ field: 'lines', reason: 'must list at least one patient' }],
    });
  }

  const duplicates = duplicateLines(lines);
  if (duplicates.length > 0) {
    return fail({
      code: 'ORDER_DUPLICATE_LINE',
      params: { lines: duplicates.map((d) => String(d.index + 1)), firstLines: duplicates.map((d) => String(d.first + 1)) },
      errors: duplicates.map((d) => ({ field: `lines[${d.index}].patient`, reason: `same patient as lines[${d.first}]` })),
    });
  }

  const here = new Map<string, TreatmentStretch[]>();
  for (const t of input.treatments) {
    if (t.establishment !== input.establishment) continue;
    const list = here.get(t.patient) ?? [];
    list.push(t);
    here.set(t.patient, list);
  }
  const unknown: FieldReason[] = [];
  lines.forEach((line, i) => {
    if (!here.has(line.patient)) unknown.push({ field: `lines[${i}].patient`, reason: 'no treatment of this medicine at this establishment for this patient' });
  });
  if (unknown.length > 0) {
    return fail({
      code: 'ORDER_LINE_PATIENT_UNKNOWN',
      params: { count: unknown.length, lines: unknown.map((u) => String(Number(/\d+/.exec(u.field)?.[0] ?? '0') + 1)) },
      errors: unknown,
    });
  }

  const periodFirst = `${period}-01`;
  const flags: OrderFlag[] = [];
  const assessed: AssessedLine[] = lines.map((line, i) => {
    const stretches = here.get(line.patient) ?? [];
    const administrations = stretches
      .flatMap((s) =>
        administrationsInPeriod({
          schedule: input.schedule,
          startDate: s.startDate,
          weightKg: s.weightKg,
          period,
          activeFrom: s.activeFrom ?? null,
          stopDate: s.stopDate ?? null,
          ...(input.maintenanceDoseChanges ? { maintenanceDoseChanges: input.maintenanceDoseChanges } : {}),
        }),
      )
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const vials = vialsNeeded(administrations);
    if (vials === 0) flags.push(zeroLineFlag(line.patient, i, stretches, period, periodFirst));
    return { patient: line.patient, administrations, vials };
  });

  const needVials = assessed.reduce((sum, l) => sum + l.vials, 0);
  // Without lines where none is required (Nulojix from 2024-01-11), there is no need to hold the quantity against.
  if (!justificationRequired && lines.length === 0) return ok({ status: 'submitted', quantityVials, needVials, toleratedVials: quantityVials, lines: [], flags });
  const toleratedVials = Math.floor((needVials * (100 + orderTolerancePct)) / 100 + 1e-9);
  if (quantityVials > toleratedVials) {
    const above = quantityVials - needVials;
    const tolerance = orderTolerancePct === 0 ? 'tolerance 0%' : `tolerance ${orderTolerancePct}%: up to ${toleratedVials} vials`;
    flags.unshift({
      code: 'ORDER_EXCEEDS_NEED',
      message: `ordered ${quantityVials} vials, need ${needVials} (${tolerance}): ${above} vial${above === 1 ? '' : 's'} above need`,
      params: { quantity: quantityVials, need: needVials, tolerancePct: orderTolerancePct, tolerated: toleratedVials },
    });
  }
  return ok({ status: flags.length > 0 ? 'flagged' : 'submitted', quantityVials, needVials, toleratedVials, lines: assessed, flags });
}

/** The order window (SPEC §5 Order): today's period or up to `periodsAhead` periods ahead; null when inside. */
export function checkOrderPeriod(period: string, today: string, periodsAhead: number): OrderRefusal | null {
  const current = today.slice(0, 7);
  const last = addPeriods(current, periodsAhead);
  if (!isPeriod(period) || period < current || period > last) {
    return {
      code: 'ORDER_PERIOD_OUT_OF_WINDOW',
      params: { period, from: current, to: last },
      errors: [{ field: 'period', reason: `must be a period YYYY-MM from ${current} to ${last}` }],
    };
  }
  return null;
}

function zeroLineFlag(patient: string, line: number, stretches: readonly TreatmentStretch[], period: string, periodFirst: string): OrderFlag {
  const ends = stretches.map((s) => s.stopDate ?? null);
  const allEnded = ends.every((d): d is string => d !== null && d <= periodFirst);
  if (allEnded) {
    const last = stretches.reduce((a, b) => ((a.stopDate ?? '') >= (b.stopDate ?? '') ? a : b));
    const how = last.stopReason === 'transfer' ? 'left this establishment (transfer)' : `stopped${last.stopReason ? ` (${last.stopReason})` : ''}`;
    return {
      code: 'PATIENT_STOPPED',
      message: `lines[${line}]: patient ${patient} ${how} on ${last.stopDate ?? '?'}, before ${period}: 0 vials`,
      line,
      patient,
      params: { line: line + 1, patient, stopDate: last.stopDate ?? null, stopReason: last.stopReason ?? null, period },
    };
  }
  return { code: 'LINE_WITHOUT_NEED', message: `lines[${line}]: patient ${patient} has no administration planned in ${period}: 0 vials`, line, patient, params: { line: line + 1, patient, period } };
}

function duplicateLines(lines: readonly { patient: string }[]): { index: number; first: number }[] {
  const seen = new Map<string, number>();
  const out: { index: number; first: number }[] = [];
  lines.forEach((line, index) => {
    const first = seen.get(line.patient);
    if (first === undefined) seen.set(line.patient, index);
    else out.push({ index, first });
  });
  return out;
}
