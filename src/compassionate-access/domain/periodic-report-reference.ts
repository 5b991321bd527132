/**
 * TEST ONLY: the periodic report's builder as it was before its compact aggregates (issue 15), one object per
 * included patient holding its request and form facts. periodic-report-properties.spec.ts checks on random
 * inputs that PeriodicReportBuilder gives exactly this builder's report. Not used by the application.
 */
import { isIsoDate } from '../../common/domain/period';
import { fail, ok, type Result } from '../../common/domain/result';
import { statusAtCutoff } from './access-workflow';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';
import { dueForms, formLabel, STOP_REASONS, type StopReason } from './follow-up';
import type {
  GroupCounts,
  PeriodicReport,
  PeriodicReportInput,
  PeriodicReportOptions,
  ReportAdverseEventInput,
  ReportEstablishmentInput,
  ReportFormInput,
  ReportRequestInput,
} from './periodic-report';
import {
  countCategories,
  describeNumeric,
  kaplanMeier,
  medianFollowUp,
  survivalAt,
  timeBetween,
  type CategoryCounts,
  type NumericSummary,
} from './report-statistics';
import {
  CHARACTERISTIC_FIELDS,
  characteristicsTables,
  pharmacovigilanceTables,
  prescriberTables,
  priorLinesListing,
  roundSummary,
  stopsByReason,
  type AdverseEventInput,
} from './report-tables';
import { EfficacyTally } from './report-tables-efficacy';

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

/** What the report keeps of one included patient's forms while they stream by: a few dates, its labels and its stop. */
interface PatientForms {
  stop: { date: string; reason: StopReason | null; reasons: string[] } | null;
  /** Its scheduled labels received (`initiation`, `M3`, …), few: an array is lighter than a set. */
  labels: string[];
  firstExposure: string | null;
  last: string | null;
  injections: number | null;
  followUps: number;
  /** Tableaux 9 and 10 answers of forms that do not confirm administration, held until the patient is known to be exposed. */
  held: { visit: string; data: Readonly<Record<string, unknown>> }[] | null;
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
 * grows with the included patients, not with the forms. `start` refuses a cut-off before the start
 * (REPORT_CUTOFF_BEFORE_START) and a reversed or malformed period.
 */
export class ReferencePeriodicReportBuilder {
  private readonly requests = { received: 0, excluded: 0, pending: 0, accepted: 0, refused: 0, carriedOver: 0 };
  private readonly included = new Map<string, ReportRequestInput>();
  private readonly patientForms = new Map<string, PatientForms>();
  private readonly followUpCounts = { followUpForms: 0, interruptions: 0, doseChanges: 0 };
  private anyInjections = false;
  private readonly efficacy = new EfficacyTally();
  private readonly pvEvents: AdverseEventInput[] = [];
  private adverseEventIndex = 0;
  private readonly adverseEvents = { total: 0, serious: { expected: 0, unexpected: 0 }, nonSerious: { expected: 0, unexpected: 0 } };

  private readonly firstAuthorised = new Map<string, string>();
  private readonly sexOf = new Map<string, string | null>();
  private readonly withSex: boolean;
  private readonly lastDay: string;
  /** The clinical-form fields the report reads; an included patient's form keeps only these. */
  private readonly clinicalFields: Set<string>;
  private formsStarted = false;
  /** One copy of each repeated text (dates, codes, labels) and of each repeated form value, so that what is kept per patient stays small. */
  private readonly texts = new Map<string, string>();
  private readonly values = new Map<string, unknown>();
  /** The arrival rank of each included patient's request, to list the included in decision order, ties in arrival order. */
  private readonly rank = new Map<string, number>();
  private arrivals = 0;

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
    this.clinicalFields = new Set([...CHARACTERISTIC_FIELDS, ...(options.numericVariables ?? []), ...(options.categoricalVariables ?? []).map((c) => c.name)]);
  }

  private intern(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    this.texts.set(text, text);
    return text;
  }

  private internValue(value: unknown): unknown {
    if (typeof value === 'string') return this.intern(value);
    if (typeof value !== 'object' || value === null) return value;
    const key = JSON.stringify(value);
    const known = this.values.get(key);
    if (known !== undefined) return known;
    this.values.set(key, value);
    return value;
  }

  private beforeProtocol(r: ReportRequestInput): boolean {
    if (this.options.protocolFrom === undefined || r.carriedOver === true) return false;
    const first = [this.firstAuthorised.get(r.patient), r.authorisedOn, r.decision?.on].filter((d): d is string => d !== undefined).sort()[0];
    return first !== undefined && first < this.options.protocolFrom;
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
    const known = this.included.get(r.patient);
    if (known !== undefined && compareText(known.decision?.on ?? '', r.decision?.on ?? '') <= 0) return;
    const clinical: Record<string, unknown> = {};
    for (const name of this.clinicalFields) if (r.clinical[name] !== undefined) clinical[name] = this.internValue(r.clinical[name]);
    const text = (t: string | null | undefined): string | null | undefined => (typeof t === 'string' ? this.intern(t) : t);
    this.included.set(r.patient, {
      id: '', patient: r.patient, establishment: this.intern(r.establishment), prescriber: this.intern(r.prescriber), submittedOn: this.intern(r.submittedOn),
      decision: r.decision === null ? null : { on: this.intern(r.decision.on), decision: r.decision.decision }, clinical,
      ...(r.authorisedOn === undefined ? {} : { authorisedOn: this.intern(r.authorisedOn) }),
      ...(r.carriedOver === undefined ? {} : { carriedOver: r.carriedOver }),
      ...(r.endedOn === undefined ? {} : { endedOn: text(r.endedOn) }),
      ...(r.derogation === undefined ? {} : { derogation: r.derogation }),
      ...(r.specialty === undefined ? {} : { specialty: text(r.specialty) }),
      ...(r.sex === undefined ? {} : { sex: text(r.sex) }),
    });
    this.rank.set(r.patient, arrival);
  }

  /** A report over `input.requests`, if given; more requests may follow by `addRequest`, then the forms. */
  static start(
    input: Omit<PeriodicReportInput, 'forms' | 'adverseEvents' | 'requests'> & { requests?: readonly ReportRequestInput[] },
    options: PeriodicReportOptions,
  ): Result<ReferencePeriodicReportBuilder, CompassionateAccessError> {
    const { from, to, cutoff } = options;
    if (![from, to, cutoff].every(isIsoDate) || to < from) {
      return fail(accessError('REPORT_PERIOD_INVALID', { from, to }));
    }
    if (cutoff < from) {
      return fail(accessError('REPORT_CUTOFF_BEFORE_START', { cutoff, from }));
    }
    const builder = new ReferencePeriodicReportBuilder(input, options);
    for (const r of input.requests ?? []) builder.addRequest(r);
    return ok(builder);
  }

  /** Whether the report counts this patient's forms and adverse events (an included patient). */
  includes(patient: string): boolean {
    return this.included.has(patient);
  }

  addForm(f: ReportFormInput): void {
    if (!this.formsStarted) {
      // the requests are all in: what only they needed goes
      this.formsStarted = true;
      this.firstAuthorised.clear();
      this.values.clear();
    }
    if (f.date > this.options.cutoff || !this.included.has(f.patient)) return;
    let p = this.patientForms.get(f.patient);
    if (p === undefined) {
      p = { stop: null, labels: [], firstExposure: null, last: null, injections: null, followUps: 0, held: null };
      this.patientForms.set(f.patient, p);
    }
    if (p.last === null || f.date > p.last) p.last = this.intern(f.date);
    if (f.administered && (p.firstExposure === null || f.date < p.firstExposure)) p.firstExposure = this.intern(f.date);
    if (f.kind === 'stop') {
      if (p.stop === null) {
        const more = Array.isArray(f.data?.reasons) ? (f.data.reasons as unknown[]).filter((x): x is string => typeof x === 'string') : [];
        p.stop = { date: f.date, reason: f.reason, reasons: [...(f.reason === null ? [] : [f.reason]), ...more] };
      }
      return;
    }
    const label = formLabel(f);
    const repeated = label !== null && p.labels.includes(label);
    if (label !== null && !repeated) p.labels.push(this.intern(label));
    if (f.kind !== 'follow-up') return;
    const d = f.data ?? {};
    p.followUps += 1;
    this.followUpCounts.followUpForms += 1;
    if (d.interruption === true) this.followUpCounts.interruptions += 1;
    if (d.doseChanged === true) this.followUpCounts.doseChanges += 1;
    if (typeof d.injections === 'number') {
      this.anyInjections = true;
      p.injections = (p.injections ?? 0) + d.injections;
    }
    // Tableaux 9 and 10 count a patient once a visit, and only an exposed one
    if (repeated || label === null || (d.organResponses === undefined && d.leeSymptoms === undefined)) return;
    if (f.administered) this.efficacy.add(label, d);
    else (p.held ??= []).push({ visit: label, data: d });
  }

  addAdverseEvent(ae: ReportAdverseEventInput): void {
    const i = this.adverseEventIndex++;
    if (ae.date > this.options.cutoff || !this.included.has(ae.patient)) return;
    this.pvEvents.push({
      patient: ae.patient, caseId: ae.caseId ?? `event-${i}`, soc: ae.soc ?? 'unknown', pt: ae.pt ?? 'unknown', serious: ae.serious, expected: ae.expected,
      causality: ae.causality ?? 'unknown', fatal: ae.fatal ?? false, ledToStop: ae.ledToStop ?? false,
    });
    this.adverseEvents.total += 1;
    this.adverseEvents[ae.serious ? 'serious' : 'nonSerious'][ae.expected ? 'expected' : 'unexpected'] += 1;
  }

  finish(): PeriodicReport {
    const { from, to, cutoff } = this.options;
    const options = this.options;
    const input = this.input;
    const rank = (p: string): number => this.rank.get(p) as number;
    const included = new Map(
      [...this.included].sort(([p, a], [q, b]) => compareText(a.decision?.on ?? '', b.decision?.on ?? '') || rank(p) - rank(q)),
    );
    const expected = new Map<string, number>();
    const received = new Map<string, number>();
    const stops = Object.fromEntries(STOP_REASONS.map((r) => [r, 0])) as Record<StopReason, number>;
    let stopTotal = 0;
    const fromRequest: number[] = [];
    const injections: number[] = [];
    const stopList: { reasons: string[] }[] = [];
    const observations: { time: number; event: boolean }[] = [];
    let exposed = 0;
    let withFollowUp = 0;
    for (const [patient, request] of included) {
      const p = this.patientForms.get(patient);
      const stop = p?.stop ?? null;
      if (stop !== null) {
        stopTotal += 1;
        if (stop.reason !== null) stops[stop.reason] += 1;
        stopList.push({ reasons: stop.reasons });
      }
      const authorisedOn = request.authorisedOn ?? (request.decision as { on: string }).on;
      const endedOn = [stop?.date, request.endedOn ?? undefined].filter((d): d is string => d !== undefined).sort()[0] ?? null;
      for (const due of dueForms(authorisedOn, cutoff, { everyMonths: options.everyMonths, stoppedOn: endedOn })) {
        expected.set(due.form, (expected.get(due.form) ?? 0) + 1);
      }
      if (p === undefined) continue;
      for (const label of p.labels) received.set(label, (received.get(label) ?? 0) + 1);
      if (p.firstExposure !== null) {
        exposed += 1;
        const last = p.last as string;
        const death = stop?.reason === 'death';
        observations.push({ time: timeBetween(p.firstExposure, death ? stop.date : last, 'months'), event: death });
        injections.push(p.injections ?? 0);
        fromRequest.push(timeBetween(request.submittedOn, last, 'months'));
        if (p.followUps > 0) withFollowUp += 1;
        for (const h of p.held ?? []) this.efficacy.add(h.visit, h.data);
      }
    }

    const labels = [...new Set([...expected.keys(), ...received.keys()])].sort((a, b) => formOrder(a) - formOrder(b));
    const formsTable = labels.map((form) => {
      const e = expected.get(form) ?? 0;
      const r = received.get(form) ?? 0;
      return { form, received: r, expected: e, percent: e === 0 ? null : round((r * 100) / e, 1) };
    });

    const clinicals = [...included.values()].map((r) => r.clinical);
    const variables: Record<string, NumericSummary> = {};
    for (const name of options.numericVariables ?? []) {
      const s = describeNumeric(clinicals.map((c) => (typeof c[name] === 'number' ? (c[name]) : null)));
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
      categories[name] = countCategories(clinicals.map((c) => asCategory(c[name])), values);
    }
    if (this.withSex || [...included.values()].some((r) => r.sex !== undefined)) {
      categories.sex = countCategories([...included].map(([p, r]) => (r.sex !== undefined ? r.sex : (this.sexOf.get(p) ?? null))));
    }

    const establishments = new Map(input.establishments.map((e) => [e.finess, e]));
    const prescribers = new Map<string, string>();
    const centres = new Map<string, string>();
    for (const r of [...included.values()].filter((x) => x.carriedOver !== true).sort((a, b) => compareText(a.submittedOn, b.submittedOn))) {
      if (!prescribers.has(r.prescriber)) prescribers.set(r.prescriber, r.establishment);
      centres.set(r.establishment, r.establishment);
    }

    const curve = kaplanMeier(observations);
    const at = options.survivalAtMonths ?? 24;
    return {
      period: { from, to, cutoff },
      requests: { ...this.requests },
      patients: {
        included: included.size,
        exposed,
        exposedPercent: included.size === 0 ? null : round((exposed * 100) / included.size, 1),
        medianFollowUpMonths: round(medianFollowUp(fromRequest), 2),
        followUpMonths: roundSummary(describeNumeric(fromRequest), 1),
      },
      characteristics: characteristicsTables(clinicals),
      priorLinesListing: priorLinesListing([...included.values()]),
      inclusions: prescriberTables(
        [...included.values()].map((r) => ({ prescriber: r.prescriber, establishment: r.establishment, specialty: r.specialty ?? null, patient: r.patient })),
        establishments,
      ),
      conditionsOfUse: { ...this.followUpCounts },
      injectionsPerPatient: this.anyInjections ? roundSummary(describeNumeric(injections), 1) : null,
      stopReasons: stopsByReason(stopList, STOP_REASONS),
      efficacy: this.efficacy.tables(withFollowUp),
      pharmacovigilance: pharmacovigilanceTables(this.pvEvents),
      derogations: [...included.values()].filter((r) => r.derogation === true).length,
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
export function buildReferencePeriodicReport(
  input: PeriodicReportInput,
  options: PeriodicReportOptions,
): Result<PeriodicReport, CompassionateAccessError> {
  const started = ReferencePeriodicReportBuilder.start(input, options);
  if (!started.ok) return started;
  const builder = started.value;
  for (const f of input.forms) builder.addForm(f);
  for (const ae of input.adverseEvents ?? []) builder.addAdverseEvent(ae);
  return ok(builder.finish());
}

