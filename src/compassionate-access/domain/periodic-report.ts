import { isIsoDate } from '../../common/domain/period';
import { fail, ok, type Result } from '../../common/domain/result';
import { statusAtCutoff } from './access-workflow';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';
import { dueForms, formLabel, STOP_REASONS, type ReceivedForm, type StopReason } from './follow-up';
import {
  countCategoriesOf,
  describeNumericColumn,
  kaplanMeier,
  medianFollowUp,
  survivalAt,
  timeBetween,
  type CategoryCounts,
  type NumericSummary,
} from './report-statistics';
import {
  CHARACTERISTIC_FIELDS,
  characteristicsTablesOf,
  pharmacovigilanceTables,
  priorLinesIncludeCorticosteroidsAndRuxolitinib,
  prescriberTables,
  priorLinesListing,
  roundSummary,
  stopsByReason,
  type AdverseEventInput,
  type CharacteristicsTables,
  type ConditionsOfUse,
  type PharmacovigilanceTables,
  type PrescriberInput,
  type PrescriberTables,
} from './report-tables';
import { FlagColumn, Float64Column, Int32Column, NONE, NOT_GIVEN, OrderedCodeSets, sortedIndices, TextCodes, ValueCodes } from './report-aggregates';
import { EfficacyTally, type EfficacyTables } from './report-tables-efficacy';

export interface ReportRequestInput {
  id: string;
  patient: string;
  /** FINESS of the requesting establishment. */
  establishment: string;
  prescriber: string;
  submittedOn: string;
  /** The final decision, if any; one taken after the cut-off leaves the request pending. */
  decision: { on: string; decision: 'authorise' | 'refuse' | 'exclude' } | null;
  clinical: Readonly<Record<string, unknown>>;
  /** Start of the follow-up schedule when it is not the decision date (a request carried over keeps its first authorisation date). */
  authorisedOn?: string;
  /** A request carried over from a replaced medicine (SPEC §9 ONC201 → dordaviprone): not a new request, its patient still included. */
  carriedOver?: boolean;
  /** The follow-up went on under another medicine from this date: no form of this medicine is expected after it. */
  endedOn?: string | null;
  /** Authorised by the agency although a criterion was not met (SPEC §9 Derogation). */
  derogation?: boolean;
  /** The prescriber's specialty, for Tableau 8. */
  specialty?: string | null;
  /** The patient's registered sex, for the `sex` category (instead of `PeriodicReportInput.patients`). */
  sex?: string | null;
}

export interface ReportFormInput extends ReceivedForm {
  patient: string;
  /** The form's data: `interruption`, `doseChanged`, `injections`, and a stop's further `reasons`. */
  data?: Readonly<Record<string, unknown>> | null;
}

export interface ReportEstablishmentInput {
  finess: string;
  region: string;
  /** e.g. CHU, CHG. */
  category: string;
}

export interface ReportAdverseEventInput {
  patient: string;
  date: string;
  serious: boolean;
  expected: boolean;
  /** The pharmacovigilance case; an event without one is a case of its own. */
  caseId?: string;
  soc?: string;
  pt?: string;
  causality?: AdverseEventInput['causality'];
  fatal?: boolean;
  ledToStop?: boolean;
}

export interface PeriodicReportInput {
  requests: readonly ReportRequestInput[];
  forms: readonly ReportFormInput[];
  establishments: readonly ReportEstablishmentInput[];
  adverseEvents?: readonly ReportAdverseEventInput[];
  /** Registration data, for the `sex` category. */
  patients?: readonly { patient: string; sex: string | null }[];
  /** Each patient's first authorisation of this medicine, any request (before the period too). */
  firstAuthorisations?: readonly { patient: string; on: string }[];
}

export interface PeriodicReportOptions {
  from: string;
  to: string;
  cutoff: string;
  /** Clinical-form fields summarised as numbers (N, mean ± SD, median, Q1 ; Q3, min ; max, missing). */
  numericVariables?: readonly string[];
  /** Clinical-form fields counted by value; `values` lists those to show even at 0. */
  categoricalVariables?: readonly { name: string; values?: readonly string[] }[];
  everyMonths?: number;
  /** The time at which survival is read, in months (24 as in the tofersen report). */
  survivalAtMonths?: number;
  /**
   * The protocol's start (the first criteria version's date): a request of a patient authorised before it
   * is `excluded` (seeds/000: "exclues du fait d'une autorisation ANSM accordée avant le 26/09/2023").
   */
  protocolFrom?: string;
}

export interface GroupCounts {
  total: number;
  byRegion: Record<string, number>;
  byCategory: Record<string, number>;
}

export interface PeriodicReport {
  period: { from: string; to: string; cutoff: string };
  requests: { received: number; excluded: number; pending: number; accepted: number; refused: number; carriedOver: number };
  patients: {
    included: number;
    exposed: number;
    /** "Pour 5 des 32 patients inclus dans l'AC (15.6%)" */
    exposedPercent: number | null;
    medianFollowUpMonths: number | null;
    /** Follow-up of the exposed "depuis la date de la demande d'AC" to the last form, in months. */
    followUpMonths: NumericSummary;
  };
  characteristics: CharacteristicsTables;
  /** Tableau 5: included patients whose prior lines lack corticosteroids or ruxolitinib, with those lines. */
  priorLinesListing: { patient: string; lines: string[] }[];
  /** Prescribers and centres that included patients (Tableaux 7 and 8). */
  inclusions: PrescriberTables;
  conditionsOfUse: ConditionsOfUse;
  injectionsPerPatient: NumericSummary | null;
  /** Stops by reason, a stop counted once for each of its reasons. */
  stopReasons: { total: number; byReason: Record<string, { n: number; percent: number }> };
  /** Tableaux 9 (clinical response by organ) and 10 (quality of life), per visit, over the exposed with a follow-up form. */
  efficacy: EfficacyTables;
  pharmacovigilance: PharmacovigilanceTables;
  /** Included patients authorised by derogation. */
  derogations: number;
  forms: { form: string; received: number; expected: number; percent: number | null }[];
  variables: Record<string, NumericSummary>;
  categories: Record<string, CategoryCounts>;
  stops: Record<StopReason, number> & { total: number };
  adverseEvents: {
    total: number;
    serious: { expected: number; unexpected: number };
    nonSerious: { expected: number; unexpected: number };
  };
  prescribers: GroupCounts;
  centres: GroupCounts;
  survival: {
    unit: 'months';
    n: number;
    events: number;
    steps: { time: number; atRisk: number; events: number; censored: number; survival: number }[];
    at: { time: number; survival: number | null };
  };
}

const round = (x: number | null, digits: number): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

function groupCounts(members: Map<string, string>, establishments: Map<string, ReportEstablishmentInput>): GroupCounts {
  const byRegion: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const finess of members.values()) {
    const e = establishments.get(finess);
    const region = e?.region ?? 'unknown';
    const category = e?.category ?? 'unknown';
    byRegion[region] = (byRegion[region] ?? 0) + 1;
    byCategory[category] = (byCategory[category] ?? 0) + 1;
  }
  return { total: members.size, byRegion, byCategory };
}

/** Code-unit order of ISO dates (locale-free and fast, unlike localeCompare). */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function formOrder(label: string): number {
  return label === 'initiation' ? 0 : Number(label.slice(1));
}

/** Flags of an included patient. */
const CARRIED_OVER = 1;
const DEROGATION = 2;
const STOPPED = 4;
const FOLLOW_UP = 8;
/** Flags of an adverse event. */
const SERIOUS = 1;
const EXPECTED = 2;
const FATAL = 4;
const LED_TO_STOP = 8;

/** Tableaux 9 and 10 answers of a form that does not confirm administration, held until its patient is known to be exposed. */
interface HeldAnswers {
  visit: string;
  data: { organResponses?: unknown; leeSymptoms?: unknown };
}

/**
 * The periodic report of a compassionate-access scheme (SPEC §9, §11 reports row), as of `cutoff`:
 * - requests: those submitted from `from` to `to` (and not after the cut-off), by their status at the cut-off;
 *   requests carried over from a replaced medicine are counted apart (`carriedOver`), their patients included;
 * - included patients: distinct patients of accepted requests, from their first authorisation date;
 * - exposed: included patients with a form received by the cut-off that confirms administration;
 * - forms: per scheduled form, received by the cut-off vs expected (included patients whose due date falls
 *   before the cut-off, none after a stop), percent to 1 decimal (null when none is expected);
 * - variables and categories: over the included patients' clinical forms at inclusion;
 * - follow-up of the exposed in months from the request date to the last form; survival from their first
 *   administration: death (a stop form with reason `death`) is the event, the others are censored at their
 *   last form (Kaplan–Meier);
 * - prescribers and centres that included patients, by region and category of establishment, and the tables
 *   of seeds/000 and seeds/002 computed from the forms (report-tables.ts, report-tables-efficacy.ts);
 * - a request of a patient first authorised before `protocolFrom` is excluded, not accepted.
 * The forms and adverse events stream in one at a time (`addForm`, `addAdverseEvent`, in any order): what is kept
 * grows with the included patients, not with the forms, and is compact (report-aggregates.ts): each included
 * patient is a number, its facts a slot in typed-array columns, its texts and clinical values int codes; no form's
 * data outlives its `addForm`. `start` refuses a cut-off before the start (REPORT_CUTOFF_BEFORE_START) and a
 * reversed or malformed period.
 */
export class PeriodicReportBuilder {
  private readonly requests = { received: 0, excluded: 0, pending: 0, accepted: 0, refused: 0, carriedOver: 0 };
  private readonly followUpCounts = { followUpForms: 0, interruptions: 0, doseChanges: 0 };
  private anyInjections = false;
  private readonly efficacy = new EfficacyTally();
  private adverseEventIndex = 0;
  private readonly adverseEvents = { total: 0, serious: { expected: 0, unexpected: 0 }, nonSerious: { expected: 0, unexpected: 0 } };

  private readonly firstAuthorised = new Map<string, string>();
  private readonly sexOf = new Map<string, string | null>();
  private readonly withSex: boolean;
  private readonly lastDay: string;
  private formsStarted = false;
  private arrivals = 0;

  /** Each included patient's number, and the patients by number. */
  private readonly index = new Map<string, number>();
  private readonly patients: string[] = [];
  /** Dates, codes, labels and names, one copy each; the included patients' clinical values, one copy each. */
  private readonly texts = new TextCodes();
  private readonly values = new ValueCodes();

  // the included request of each patient: its arrival rank (to list the included in decision order, ties in arrival order) and its facts
  private readonly rank = new Int32Column(0);
  private readonly decisionOn = new Int32Column(NONE);
  private readonly submittedOn = new Int32Column(NONE);
  private readonly authorisedOn = new Int32Column(NONE);
  private readonly endedOn = new Int32Column(NONE);
  private readonly establishment = new Int32Column(NONE);
  private readonly prescriber = new Int32Column(NONE);
  private readonly specialty = new Int32Column(NONE);
  private readonly sex = new Int32Column(NOT_GIVEN);
  private readonly flags = new FlagColumn();
  /** The clinical-form fields the report reads: value codes, or plain numbers for a field only summarised as a number. */
  private readonly clinicalCodes = new Map<string, Int32Column>();
  private readonly clinicalNumbers = new Map<string, Float64Column>();

  // what the forms say of each patient
  private readonly firstExposure = new Int32Column(NONE);
  private readonly last = new Int32Column(NONE);
  private readonly stopDate = new Int32Column(NONE);
  private readonly stopReason = new Int32Column(NONE);
  private readonly stopReasons = new Int32Column(NONE);
  private readonly injections = new Float64Column();
  /** Its scheduled labels received (`initiation`, `M3`, …) in the order received, as codes of `labelCodes` (few, given in first-seen order). */
  private readonly labelCodes = new TextCodes();
  private readonly labels = new OrderedCodeSets();
  /** The distinct lists of a stop's reasons. */
  private readonly reasonLists: string[][] = [];
  private readonly reasonListCodes = new Map<string, number>();
  private readonly held = new Map<number, HeldAnswers[]>();

  // the adverse events of included patients
  private events = 0;
  private readonly eventPatient = new Int32Column(NONE);
  private readonly eventArrival = new Int32Column(NONE);
  private readonly eventCase = new Int32Column(NONE);
  private readonly eventSoc = new Int32Column(NONE);
  private readonly eventPt = new Int32Column(NONE);
  private readonly eventCausality = new Int32Column(NONE);
  private readonly eventFlags = new FlagColumn();

  private constructor(
    private readonly input: Omit<PeriodicReportInput, 'forms' | 'adverseEvents' | 'requests'>,
    private readonly options: PeriodicReportOptions,
  ) {
    this.lastDay = options.to < options.cutoff ? options.to : options.cutoff;
    for (const a of input.firstAuthorisations ?? []) {
      const known = this.firstAuthorised.get(a.patient);
      if (known === undefined || a.on < known) this.firstAuthorised.set(a.patient, a.on);
    }
    for (const p of input.patients ?? []) this.sexOf.set(p.patient, p.sex);
    this.withSex = input.patients !== undefined;
    const numeric = new Set(options.numericVariables ?? []);
    const coded = new Set<string>([...CHARACTERISTIC_FIELDS, ...(options.categoricalVariables ?? []).map((c) => c.name)]);
    for (const name of coded) this.clinicalCodes.set(name, new Int32Column(NONE));
    for (const name of numeric) if (!coded.has(name)) this.clinicalNumbers.set(name, new Float64Column());
  }

  private beforeProtocol(r: ReportRequestInput): boolean {
    if (this.options.protocolFrom === undefined || r.carriedOver === true) return false;
    const first = [this.firstAuthorised.get(r.patient), r.authorisedOn, r.decision?.on].filter((d): d is string => d !== undefined).sort()[0];
    return first !== undefined && first < this.options.protocolFrom;
  }

  private reservePatients(count: number): void {
    for (const c of [this.rank, this.decisionOn, this.submittedOn, this.authorisedOn, this.endedOn, this.establishment, this.prescriber, this.specialty, this.sex]) c.reserve(count);
    for (const c of [this.firstExposure, this.last, this.stopDate, this.stopReason, this.stopReasons]) c.reserve(count);
    for (const c of this.clinicalCodes.values()) c.reserve(count);
    for (const c of this.clinicalNumbers.values()) c.reserve(count);
    this.flags.reserve(count);
    this.injections.reserve(count);
    this.labels.reserve(count);
  }

  /**
   * Counts one request (any order; every request before the first form): those submitted in the period by their
   * status at the cut-off; a patient is included by its accepted request decided first (the first given on a tie).
   */
  addRequest(r: ReportRequestInput): void {
    if (this.formsStarted) throw new Error('the periodic report takes every request before the forms');
    if (r.submittedOn < this.options.from || r.submittedOn > this.lastDay) return;
    const arrival = this.arrivals++;
    const found = statusAtCutoff(r, this.options.cutoff);
    const status = found === 'accepted' && this.beforeProtocol(r) ? 'excluded' : found;
    if (r.carriedOver === true) {
      if (status === 'accepted') this.requests.carriedOver += 1;
    } else {
      this.requests.received += 1;
      this.requests[status] += 1;
    }
    if (status !== 'accepted') return;
    const t = this.texts;
    let i = this.index.get(r.patient);
    if (i === undefined) {
      i = this.patients.length;
      this.patients.push(r.patient);
      this.index.set(r.patient, i);
      this.reservePatients(i + 1);
    } else if (compareText(t.orNull(this.decisionOn.get(i)) ?? '', r.decision?.on ?? '') <= 0) return;
    this.rank.set(i, arrival);
    this.decisionOn.set(i, r.decision === null ? NONE : t.code(r.decision.on));
    this.submittedOn.set(i, t.code(r.submittedOn));
    this.authorisedOn.set(i, t.optional(r.authorisedOn));
    this.endedOn.set(i, t.optional(r.endedOn));
    this.establishment.set(i, t.code(r.establishment));
    this.prescriber.set(i, t.code(r.prescriber));
    this.specialty.set(i, t.optional(r.specialty));
    this.sex.set(i, r.sex === undefined ? NOT_GIVEN : t.optional(r.sex));
    this.flags.set(i, CARRIED_OVER, r.carriedOver === true);
    this.flags.set(i, DEROGATION, r.derogation === true);
    for (const [name, column] of this.clinicalCodes) column.set(i, this.values.code(r.clinical[name]));
    for (const [name, column] of this.clinicalNumbers) {
      const v = r.clinical[name];
      column.set(i, typeof v === 'number' ? v : NaN);
    }
  }

  /** A report over `input.requests`, if given; more requests may follow by `addRequest`, then the forms. */
  static start(
    input: Omit<PeriodicReportInput, 'forms' | 'adverseEvents' | 'requests'> & { requests?: readonly ReportRequestInput[] },
    options: PeriodicReportOptions,
  ): Result<PeriodicReportBuilder, CompassionateAccessError> {
    const { from, to, cutoff } = options;
    if (![from, to, cutoff].every(isIsoDate) || to < from) {
      return fail(accessError('REPORT_PERIOD_INVALID', { from, to }));
    }
    if (cutoff < from) {
      return fail(accessError('REPORT_CUTOFF_BEFORE_START', { cutoff, from }));
    }
    const builder = new PeriodicReportBuilder(input, options);
    for (const r of input.requests ?? []) builder.addRequest(r);
    return ok(builder);
  }

  /** Whether the report counts this patient's forms and adverse events (an included patient). */
  includes(patient: string): boolean {
    return this.index.has(patient);
  }

  private reasonList(reasons: string[]): number {
    const key = JSON.stringify(reasons);
    let code = this.reasonListCodes.get(key);
    if (code === undefined) {
      code = this.reasonLists.length;
      this.reasonLists.push(reasons);
      this.reasonListCodes.set(key, code);
    }
    return code;
  }

  addForm(f: ReportFormInput): void {
    if (!this.formsStarted) {
      // the requests are all in: what only they needed goes
      this.formsStarted = true;
      this.firstAuthorised.clear();
      this.values.seal();
    }
    if (f.date > this.options.cutoff) return;
    const i = this.index.get(f.patient);
    if (i === undefined) return;
    const t = this.texts;
    const last = this.last.get(i);
    if (last === NONE || f.date > t.text(last)) this.last.set(i, t.code(f.date));
    const first = this.firstExposure.get(i);
    if (f.administered && (first === NONE || f.date < t.text(first))) this.firstExposure.set(i, t.code(f.date));
    if (f.kind === 'stop') {
      if (!this.flags.has(i, STOPPED)) {
        const more = Array.isArray(f.data?.reasons) ? (f.data.reasons as unknown[]).filter((x): x is string => typeof x === 'string') : [];
        this.flags.set(i, STOPPED, true);
        this.stopDate.set(i, t.code(f.date));
        this.stopReason.set(i, t.optional(f.reason));
        this.stopReasons.set(i, this.reasonList([...(f.reason === null ? [] : [f.reason]), ...more]));
      }
      return;
    }
    const label = formLabel(f);
    const code = label === null ? NONE : this.labelCodes.code(label);
    const repeated = label !== null && this.labels.includes(i, code);
    if (label !== null && !repeated) this.labels.add(i, code);
    if (f.kind !== 'follow-up') return;
    const d = f.data ?? {};
    this.flags.set(i, FOLLOW_UP, true);
    this.followUpCounts.followUpForms += 1;
    if (d.interruption === true) this.followUpCounts.interruptions += 1;
    if (d.doseChanged === true) this.followUpCounts.doseChanges += 1;
    if (typeof d.injections === 'number') {
      this.anyInjections = true;
      this.injections.set(i, this.injections.get(i) + d.injections);
    }
    // Tableaux 9 and 10 count a patient once a visit, and only an exposed one
    if (repeated || label === null || (d.organResponses === undefined && d.leeSymptoms === undefined)) return;
    if (f.administered) this.efficacy.add(label, d);
    else {
      // only the answers the tables read are held, not the form's data
      const answers: HeldAnswers = { visit: label, data: { organResponses: d.organResponses, leeSymptoms: d.leeSymptoms } };
      const held = this.held.get(i);
      if (held === undefined) this.held.set(i, [answers]);
      else held.push(answers);
    }
  }

  addAdverseEvent(ae: ReportAdverseEventInput): void {
    const arrival = this.adverseEventIndex++;
    if (ae.date > this.options.cutoff) return;
    const patient = this.index.get(ae.patient);
    if (patient === undefined) return;
    const e = this.events++;
    for (const c of [this.eventPatient, this.eventArrival, this.eventCase, this.eventSoc, this.eventPt, this.eventCausality]) c.reserve(e + 1);
    this.eventFlags.reserve(e + 1);
    const t = this.texts;
    this.eventPatient.set(e, patient);
    this.eventArrival.set(e, arrival);
    this.eventCase.set(e, ae.caseId === undefined || ae.caseId === null ? NONE : t.code(ae.caseId));
    this.eventSoc.set(e, t.code(ae.soc ?? 'unknown'));
    this.eventPt.set(e, t.code(ae.pt ?? 'unknown'));
    this.eventCausality.set(e, t.code(ae.causality ?? 'unknown'));
    // the tables read these as truth values
    this.eventFlags.setAll(e, (ae.serious ? SERIOUS : 0) | (ae.expected ? EXPECTED : 0) | ((ae.fatal ?? false) ? FATAL : 0) | ((ae.ledToStop ?? false) ? LED_TO_STOP : 0));
    this.adverseEvents.total += 1;
    this.adverseEvents[ae.serious ? 'serious' : 'nonSerious'][ae.expected ? 'expected' : 'unexpected'] += 1;
  }

  /** The included patients' values of a clinical field, in `order` (`undefined` where absent; NaN for a missing number). */
  private clinical(name: string, order: readonly number[]): unknown[] {
    const numbers = this.clinicalNumbers.get(name);
    if (numbers !== undefined) return order.map((i) => numbers.get(i));
    const codes = this.clinicalCodes.get(name) as Int32Column;
    return order.map((i) => this.values.value(codes.get(i)));
  }

  /** A numeric variable's values in `order`, NaN where not a number. */
  private numbers(name: string, order: readonly number[]): Float64Array {
    const out = new Float64Array(order.length);
    const numbers = this.clinicalNumbers.get(name);
    const codes = this.clinicalCodes.get(name);
    order.forEach((i, k) => {
      const v = numbers !== undefined ? numbers.get(i) : this.values.value((codes as Int32Column).get(i));
      out[k] = typeof v === 'number' ? v : NaN;
    });
    return out;
  }

  /** The included patients' prescribers, one at a time (Tableaux 7 and 8). */
  private *inclusions(order: readonly number[]): Generator<PrescriberInput> {
    const t = this.texts;
    for (const i of order) {
      yield { prescriber: t.text(this.prescriber.get(i)), establishment: t.text(this.establishment.get(i)), specialty: t.orNull(this.specialty.get(i)), patient: this.patients[i] as string };
    }
  }

  private pharmacovigilanceEvents(): AdverseEventInput[] {
    const t = this.texts;
    const out: AdverseEventInput[] = [];
    for (let e = 0; e < this.events; e++) {
      const caseCode = this.eventCase.get(e);
      const has = (flag: number): boolean => this.eventFlags.has(e, flag);
      out.push({
        patient: this.patients[this.eventPatient.get(e)] as string,
        caseId: caseCode === NONE ? `event-${this.eventArrival.get(e)}` : t.text(caseCode),
        soc: t.text(this.eventSoc.get(e)),
        pt: t.text(this.eventPt.get(e)),
        serious: has(SERIOUS),
        expected: has(EXPECTED),
        causality: t.text(this.eventCausality.get(e)) as AdverseEventInput['causality'],
        fatal: has(FATAL),
        ledToStop: has(LED_TO_STOP),
      });
    }
    return out;
  }

  finish(): PeriodicReport {
    const { from, to, cutoff } = this.options;
    const options = this.options;
    const input = this.input;
    const t = this.texts;
    const decisionOn = this.decisionOn;
    const rank = this.rank;
    const on = (i: number): string => t.orNull(decisionOn.get(i)) ?? '';
    // the included patients in decision order, ties in arrival order
    const order = sortedIndices(this.patients.length, (a, b) => compareText(on(a), on(b)) || rank.get(a) - rank.get(b));
    const expected = new Map<string, number>();
    const received = new Map<string, number>();
    const stops = Object.fromEntries(STOP_REASONS.map((r) => [r, 0])) as Record<StopReason, number>;
    let stopTotal = 0;
    // per exposed patient, in order: numbers in Float64Arrays rather than arrays of boxed numbers
    const fromRequest = new Float64Array(order.length);
    const injections = new Float64Array(order.length);
    const stopList: { reasons: string[] }[] = [];
    const observations: { time: number; event: boolean }[] = [];
    let exposed = 0;
    let withFollowUp = 0;
    const countLabel = (code: number): void => {
      const label = this.labelCodes.text(code);
      received.set(label, (received.get(label) ?? 0) + 1);
    };
    for (const i of order) {
      const stopped = this.flags.has(i, STOPPED);
      const stopDate = stopped ? t.text(this.stopDate.get(i)) : undefined;
      const stopReason = stopped ? (t.orNull(this.stopReason.get(i)) as StopReason | null) : null;
      if (stopped) {
        stopTotal += 1;
        if (stopReason !== null) stops[stopReason] += 1;
        stopList.push({ reasons: this.reasonLists[this.stopReasons.get(i)] as string[] });
      }
      // an included request is accepted, so decided
      const authorisedOn = t.orNull(this.authorisedOn.get(i)) ?? t.text(decisionOn.get(i));
      const endedOn = [stopDate, t.orNull(this.endedOn.get(i)) ?? undefined].filter((d): d is string => d !== undefined).sort()[0] ?? null;
      for (const due of dueForms(authorisedOn, cutoff, { everyMonths: options.everyMonths, stoppedOn: endedOn })) {
        expected.set(due.form, (expected.get(due.form) ?? 0) + 1);
      }
      this.labels.forEach(i, countLabel);
      const firstExposure = this.firstExposure.get(i);
      if (firstExposure !== NONE) {
        exposed += 1;
        const last = t.text(this.last.get(i));
        const death = stopReason === 'death';
        observations.push({ time: timeBetween(t.text(firstExposure), death ? (stopDate as string) : last, 'months'), event: death });
        injections[exposed - 1] = this.injections.get(i);
        fromRequest[exposed - 1] = timeBetween(t.text(this.submittedOn.get(i)), last, 'months');
        if (this.flags.has(i, FOLLOW_UP)) withFollowUp += 1;
        for (const h of this.held.get(i) ?? []) this.efficacy.add(h.visit, h.data);
      }
    }

    const labels = [...new Set([...expected.keys(), ...received.keys()])].sort((a, b) => formOrder(a) - formOrder(b));
    const formsTable = labels.map((form) => {
      const e = expected.get(form) ?? 0;
      const r = received.get(form) ?? 0;
      return { form, received: r, expected: e, percent: e === 0 ? null : round((r * 100) / e, 1) };
    });

    const variables: Record<string, NumericSummary> = {};
    for (const name of options.numericVariables ?? []) {
      const s = describeNumericColumn(this.numbers(name, order));
      variables[name] = {
        ...s,
        mean: round(s.mean, 2),
        sd: round(s.sd, 2),
        median: round(s.median, 2),
        q1: round(s.q1, 2),
        q3: round(s.q3, 2),
      };
    }
    const asCategory = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : null);
    const categories: Record<string, CategoryCounts> = {};
    for (const { name, values } of options.categoricalVariables ?? []) {
      const codes = this.clinicalCodes.get(name) as Int32Column;
      categories[name] = countCategoriesOf(order.length, (k) => asCategory(this.values.value(codes.get(order[k] as number))), values);
    }
    const sex = this.sex;
    if (this.withSex || order.some((i) => sex.get(i) !== NOT_GIVEN)) {
      categories.sex = countCategoriesOf(order.length, (k) => {
        const i = order[k] as number;
        const code = sex.get(i);
        return code === NOT_GIVEN ? (this.sexOf.get(this.patients[i] as string) ?? null) : t.orNull(code);
      });
    }

    const establishments = new Map(input.establishments.map((e) => [e.finess, e]));
    const prescribers = new Map<string, string>();
    const centres = new Map<string, string>();
    const submitted = (i: number): string => t.text(this.submittedOn.get(i));
    for (const i of order.filter((x) => !this.flags.has(x, CARRIED_OVER)).sort((a, b) => compareText(submitted(a), submitted(b)))) {
      const prescriber = t.text(this.prescriber.get(i));
      const establishment = t.text(this.establishment.get(i));
      if (!prescribers.has(prescriber)) prescribers.set(prescriber, establishment);
      centres.set(establishment, establishment);
    }

    // Tableau 5 lists the patients whose prior lines lack corticosteroids or ruxolitinib: only those are passed on
    const priorTreatments = this.clinicalCodes.get('priorTreatments') as Int32Column;
    const listed: { patient: string; clinical: { priorTreatments: unknown } }[] = [];
    for (const i of order) {
      const lines = this.values.value(priorTreatments.get(i));
      if (priorLinesIncludeCorticosteroidsAndRuxolitinib(lines) === 'no') listed.push({ patient: this.patients[i] as string, clinical: { priorTreatments: lines } });
    }
    let derogations = 0;
    for (const i of order) if (this.flags.has(i, DEROGATION)) derogations += 1;
    const exposedFromRequest = fromRequest.subarray(0, exposed);
    const followUp = describeNumericColumn(exposedFromRequest);
    // the median follow-up is the summary's median when every time is a number (always, from ISO dates)
    const medianFollowUpMonths = followUp.n === exposed ? followUp.median : medianFollowUp(Array.from(exposedFromRequest));

    const curve = kaplanMeier(observations);
    const at = options.survivalAtMonths ?? 24;
    return {
      period: { from, to, cutoff },
      requests: { ...this.requests },
      patients: {
        included: order.length,
        exposed,
        exposedPercent: order.length === 0 ? null : round((exposed * 100) / order.length, 1),
        medianFollowUpMonths: round(medianFollowUpMonths, 2),
        followUpMonths: roundSummary(followUp, 1),
      },
      characteristics: characteristicsTablesOf((field) => this.clinical(field, order)),
      priorLinesListing: priorLinesListing(listed),
      inclusions: prescriberTables(this.inclusions(order), establishments),
      conditionsOfUse: { ...this.followUpCounts },
      injectionsPerPatient: this.anyInjections ? roundSummary(describeNumericColumn(injections.subarray(0, exposed)), 1) : null,
      stopReasons: stopsByReason(stopList, STOP_REASONS),
      efficacy: this.efficacy.tables(withFollowUp),
      pharmacovigilance: pharmacovigilanceTables(this.pharmacovigilanceEvents()),
      derogations,
      forms: formsTable,
      variables,
      categories,
      stops: { ...stops, total: stopTotal },
      adverseEvents: this.adverseEvents,
      prescribers: groupCounts(prescribers, establishments),
      centres: groupCounts(centres, establishments),
      survival: {
        unit: 'months',
        n: curve.n,
        events: curve.events,
        steps: curve.steps.map((s) => ({ ...s, time: round(s.time, 2) as number, survival: round(s.survival, 4) as number })),
        at: { time: at, survival: round(survivalAt(curve, at), 4) },
      },
    };
  }
}

/** The periodic report over forms and adverse events held in memory (PeriodicReportBuilder fed from arrays). */
export function buildPeriodicReport(
  input: PeriodicReportInput,
  options: PeriodicReportOptions,
): Result<PeriodicReport, CompassionateAccessError> {
  const started = PeriodicReportBuilder.start(input, options);
  if (!started.ok) return started;
  const builder = started.value;
  for (const f of input.forms) builder.addForm(f);
  for (const ae of input.adverseEvents ?? []) builder.addAdverseEvent(ae);
  return ok(builder.finish());
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The report as CSV (SPEC §9 "as JSON, CSV"): UTF-8, a header `section,item,measure,value`, one row per
 * figure, e.g. `requests,,received,7`, `forms,M3,percent,50`, `variables,ageYears,mean,40`,
 * `categories,sex:F,n,2`, `prescribers,region:Bretagne,n,3`, `survival,t=1.58,survival,0.5`. Null is empty.
 */
export function reportToCsv(report: PeriodicReport): string {
  const rows: (string | number | null)[][] = [['section', 'item', 'measure', 'value']];
  const add = (section: string, item: string, measure: string, value: string | number | null): void => {
    rows.push([section, item, measure, value]);
  };
  add('period', '', 'from', report.period.from);
  add('period', '', 'to', report.period.to);
  add('period', '', 'cutoff', report.period.cutoff);
  for (const [k, v] of Object.entries(report.requests)) add('requests', '', k, v);
  for (const [k, v] of Object.entries(report.patients)) {
    if (typeof v === 'object' && v !== null) for (const [m, x] of Object.entries(v)) add('patients', k, m, x as number | null);
    else add('patients', '', k, v);
  }
  for (const f of report.forms) {
    add('forms', f.form, 'received', f.received);
    add('forms', f.form, 'expected', f.expected);
    add('forms', f.form, 'percent', f.percent);
  }
  for (const [name, s] of Object.entries(report.variables)) {
    for (const [k, v] of Object.entries(s)) add('variables', name, k, v as number | null);
  }
  for (const [name, counts] of Object.entries(report.categories)) {
    for (const [value, c] of Object.entries(counts)) {
      add('categories', `${name}:${value}`, 'n', c.n);
      add('categories', `${name}:${value}`, 'percent', c.percent);
    }
  }
  for (const [k, v] of Object.entries(report.stops)) add('stops', k, 'n', v);
  add('adverseEvents', 'total', 'n', report.adverseEvents.total);
  for (const s of ['serious', 'nonSerious'] as const) {
    for (const e of ['expected', 'unexpected'] as const) add('adverseEvents', `${s}:${e}`, 'n', report.adverseEvents[s][e]);
  }
  for (const section of ['prescribers', 'centres'] as const) {
    const g = report[section];
    add(section, 'total', 'n', g.total);
    for (const [k, v] of Object.entries(g.byRegion)) add(section, `region:${k}`, 'n', v);
    for (const [k, v] of Object.entries(g.byCategory)) add(section, `category:${k}`, 'n', v);
  }
  const addTable = (section: string, name: string, table: NumericSummary | CategoryCounts): void => {
    for (const [k, v] of Object.entries(table)) {
      if (typeof v === 'object' && v !== null) {
        add(section, `${name}:${k}`, 'n', (v as { n: number }).n);
        // the missing count of a categorical table has no percentage (its `percent` is null)
        const percent = (v as { percent: number | null }).percent;
        if (percent !== null) add(section, `${name}:${k}`, 'percent', percent);
      } else add(section, name, k, v as number | null);
    }
  };
  for (const [name, table] of Object.entries(report.characteristics)) addTable('characteristics', name, table as NumericSummary | CategoryCounts);
  for (const l of report.priorLinesListing) l.lines.forEach((line, i) => add('priorLinesListing', l.patient, `line${i + 1}`, line));
  add('inclusions', 'prescribers', 'n', report.inclusions.prescribers);
  add('inclusions', 'centres', 'n', report.inclusions.centres);
  addTable('inclusions', 'centresByCategory', report.inclusions.centresByCategory);
  addTable('inclusions', 'prescribersByRegion', report.inclusions.prescribersByRegion);
  addTable('inclusions', 'prescribersBySpecialty', report.inclusions.prescribersBySpecialty);
  addTable('inclusions', 'patientsPerPrescriber', report.inclusions.patientsPerPrescriber);
  for (const [k, v] of Object.entries(report.conditionsOfUse)) add('conditionsOfUse', '', k, v as number);
  if (report.injectionsPerPatient !== null) addTable('injections', 'perPatient', report.injectionsPerPatient);
  for (const [k, v] of Object.entries(report.stopReasons.byReason)) {
    add('stopReasons', k, 'n', v.n);
    add('stopReasons', k, 'percent', v.percent);
  }
  add('efficacy', 'population', 'n', report.efficacy.population);
  for (const v of report.efficacy.clinicalResponse ?? []) {
    for (const row of v.rows) addTable('clinicalResponse', `${v.visit}/${row.organ}${row.name === undefined ? '' : `(${row.name})`}`, row.counts);
  }
  for (const v of report.efficacy.qualityOfLife ?? []) {
    for (const row of v.rows) addTable('qualityOfLife', `${v.visit}/${row.dimension}/${row.item}`, row.counts);
  }
  for (const [k, v] of Object.entries(report.pharmacovigilance.cases)) {
    add('pharmacovigilance', k, 'cases', v.cases);
    add('pharmacovigilance', k, 'patients', v.patients);
  }
  for (const e of report.pharmacovigilance.events) {
    for (const g of ['serious', 'nonSerious', 'total'] as const) for (const x of ['expected', 'unexpected'] as const) add('pharmacovigilanceEvents', `${e.soc}/${e.pt}`, `${g}:${x}`, e[g][x]);
  }
  add('derogations', '', 'n', report.derogations);
  add('survival', '', 'n', report.survival.n);
  add('survival', '', 'events', report.survival.events);
  for (const s of report.survival.steps) {
    for (const k of ['atRisk', 'events', 'censored', 'survival'] as const) add('survival', `t=${s.time}`, k, s[k]);
  }
  add('survival', `at=${report.survival.at.time} ${report.survival.unit}`, 'survival', report.survival.at.survival);
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
