import { isIsoDate } from '../../common/domain/period';
import { fail, ok, type Result } from '../../common/domain/result';
import { statusAtCutoff } from './access-workflow';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';
import { dueForms, firstExposureOn, formLabel, STOP_REASONS, type ReceivedForm, type StopReason } from './follow-up';
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
  characteristicsTables,
  conditionsOfUse,
  injectionsPerPatient,
  pharmacovigilanceTables,
  prescriberTables,
  roundSummary,
  stopsByReason,
  type AdverseEventInput,
  type CharacteristicsTables,
  type ConditionsOfUse,
  type FollowUpFacts,
  type PharmacovigilanceTables,
  type PrescriberTables,
} from './report-tables';

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
  /** Prescribers and centres that included patients (Tableaux 7 and 8). */
  inclusions: PrescriberTables;
  conditionsOfUse: ConditionsOfUse;
  injectionsPerPatient: NumericSummary | null;
  /** Stops by reason, a stop counted once for each of its reasons. */
  stopReasons: { total: number; byReason: Record<string, { n: number; percent: number }> };
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
 *   of seeds/000 and seeds/002 computed from the forms (report-tables.ts);
 * - a request of a patient first authorised before `protocolFrom` is excluded, not accepted.
 * Refuses a cut-off before the start (REPORT_CUTOFF_BEFORE_START) and a reversed or malformed period.
 */
export function buildPeriodicReport(
  input: PeriodicReportInput,
  options: PeriodicReportOptions,
): Result<PeriodicReport, CompassionateAccessError> {
  const { from, to, cutoff } = options;
  if (![from, to, cutoff].every(isIsoDate) || to < from) {
    return fail(accessError('REPORT_PERIOD_INVALID', { from, to }));
  }
  if (cutoff < from) {
    return fail(accessError('REPORT_CUTOFF_BEFORE_START', { cutoff, from }));
  }
  const lastDay = to < cutoff ? to : cutoff;
  const scope = input.requests.filter((r) => r.submittedOn >= from && r.submittedOn <= lastDay);

  const requests = { received: 0, excluded: 0, pending: 0, accepted: 0, refused: 0, carriedOver: 0 };
  const included = new Map<string, ReportRequestInput>();
  const firstAuthorised = new Map<string, string>();
  for (const a of input.firstAuthorisations ?? []) {
    const known = firstAuthorised.get(a.patient);
    if (known === undefined || a.on < known) firstAuthorised.set(a.patient, a.on);
  }
  const beforeProtocol = (r: ReportRequestInput): boolean => {
    if (options.protocolFrom === undefined || r.carriedOver === true) return false;
    const first = [firstAuthorised.get(r.patient), r.authorisedOn, r.decision?.on].filter((d): d is string => d !== undefined).sort()[0];
    return first !== undefined && first < options.protocolFrom;
  };
  for (const r of [...scope].sort((a, b) => compareText(a.decision?.on ?? '', b.decision?.on ?? ''))) {
    const found = statusAtCutoff(r, cutoff);
    const status = found === 'accepted' && beforeProtocol(r) ? 'excluded' : found;
    if (r.carriedOver === true) {
      if (status === 'accepted') requests.carriedOver += 1;
    } else {
      requests.received += 1;
      requests[status] += 1;
    }
    if (status === 'accepted' && !included.has(r.patient)) included.set(r.patient, r);
  }

  const formsOf = new Map<string, ReportFormInput[]>();
  for (const f of input.forms) {
    if (f.date > cutoff || !included.has(f.patient)) continue;
    const list = formsOf.get(f.patient);
    if (list === undefined) formsOf.set(f.patient, [f]);
    else list.push(f);
  }

  const expected = new Map<string, number>();
  const received = new Map<string, number>();
  const stops = Object.fromEntries(STOP_REASONS.map((r) => [r, 0])) as Record<StopReason, number>;
  let stopTotal = 0;
  const followUps: number[] = [];
  const fromRequest: number[] = [];
  const exposedPatients: string[] = [];
  const followUpFacts: FollowUpFacts[] = [];
  const stopList: { reasons: string[] }[] = [];
  const observations: { time: number; event: boolean }[] = [];
  let exposed = 0;
  for (const [patient, request] of included) {
    const forms = formsOf.get(patient) ?? [];
    const stop = forms.find((f) => f.kind === 'stop');
    if (stop !== undefined) {
      stopTotal += 1;
      if (stop.reason !== null) stops[stop.reason] += 1;
      const more = Array.isArray(stop.data?.reasons) ? (stop.data.reasons as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      stopList.push({ reasons: [...(stop.reason === null ? [] : [stop.reason]), ...more] });
    }
    for (const f of forms) {
      if (f.kind !== 'follow-up') continue;
      const d = f.data ?? {};
      followUpFacts.push({
        patient,
        ...(typeof d.interruption === 'boolean' ? { interruption: d.interruption } : {}),
        ...(typeof d.doseChanged === 'boolean' ? { doseChanged: d.doseChanged } : {}),
        ...(typeof d.injections === 'number' ? { injections: d.injections } : {}),
      });
    }
    const authorisedOn = request.authorisedOn ?? (request.decision as { on: string }).on;
    const endedOn = [stop?.date, request.endedOn ?? undefined].filter((d): d is string => d !== undefined).sort()[0] ?? null;
    for (const due of dueForms(authorisedOn, cutoff, { everyMonths: options.everyMonths, stoppedOn: endedOn })) {
      expected.set(due.form, (expected.get(due.form) ?? 0) + 1);
    }
    for (const label of new Set(forms.map(formLabel))) {
      if (label !== null) received.set(label, (received.get(label) ?? 0) + 1);
    }
    const start = firstExposureOn(forms);
    if (start !== null) {
      exposed += 1;
      const last = forms.map((f) => f.date).sort().at(-1) as string;
      const death = stop?.reason === 'death';
      const time = timeBetween(start, death ? (stop).date : last, 'months');
      followUps.push(time);
      observations.push({ time, event: death });
      exposedPatients.push(patient);
      fromRequest.push(timeBetween(request.submittedOn, last, 'months'));
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
  if (input.patients !== undefined) {
    const sexOf = new Map(input.patients.map((p) => [p.patient, p.sex]));
    categories.sex = countCategories([...included.keys()].map((p) => sexOf.get(p) ?? null));
  }

  const adverseEvents = { total: 0, serious: { expected: 0, unexpected: 0 }, nonSerious: { expected: 0, unexpected: 0 } };
  const pvEvents: AdverseEventInput[] = [];
  for (const [i, ae] of (input.adverseEvents ?? []).entries()) {
    if (ae.date > cutoff || !included.has(ae.patient)) continue;
    pvEvents.push({
      patient: ae.patient, caseId: ae.caseId ?? `event-${i}`, soc: ae.soc ?? 'unknown', pt: ae.pt ?? 'unknown', serious: ae.serious, expected: ae.expected,
      causality: ae.causality ?? 'unknown', fatal: ae.fatal ?? false, ledToStop: ae.ledToStop ?? false,
    });
    adverseEvents.total += 1;
    adverseEvents[ae.serious ? 'serious' : 'nonSerious'][ae.expected ? 'expected' : 'unexpected'] += 1;
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
  return ok({
    period: { from, to, cutoff },
    requests,
    patients: {
      included: included.size,
      exposed,
      exposedPercent: included.size === 0 ? null : round((exposed * 100) / included.size, 1),
      medianFollowUpMonths: round(medianFollowUp(fromRequest), 2),
      followUpMonths: roundSummary(describeNumeric(fromRequest), 1),
    },
    characteristics: characteristicsTables(clinicals),
    inclusions: prescriberTables(
      [...included.values()].map((r) => ({ prescriber: r.prescriber, establishment: r.establishment, specialty: r.specialty ?? null, patient: r.patient })),
      establishments,
    ),
    conditionsOfUse: conditionsOfUse(followUpFacts),
    injectionsPerPatient: injectionsPerPatient(followUpFacts, exposedPatients),
    stopReasons: stopsByReason(stopList, STOP_REASONS),
    pharmacovigilance: pharmacovigilanceTables(pvEvents),
    derogations: [...included.values()].filter((r) => r.derogation === true).length,
    forms: formsTable,
    variables,
    categories,
    stops: { ...stops, total: stopTotal },
    adverseEvents,
    prescribers: groupCounts(prescribers, establishments),
    centres: groupCounts(centres, establishments),
    survival: {
      unit: 'months',
      n: curve.n,
      events: curve.events,
      steps: curve.steps.map((s) => ({ ...s, time: round(s.time, 2) as number, survival: round(s.survival, 4) as number })),
      at: { time: at, survival: round(survivalAt(curve, at), 4) },
    },
  });
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
