import { countCategories, describeNumeric, percentOf, type CategoryCounts, type NumericSummary } from './report-statistics';

/**
 * The tables of the agency's periodic reports that are computed from the forms' fields (seeds/000
 * Rezurock report n°1, seeds/002 tofersen report n°6). Pure: the periodic report calls these with the
 * included patients' clinical forms and their follow-up forms.
 */

const LUNGS = 'lungs';

/**
 * cGVHD grade by the NIH consensus (seeds/000 Tableau 3): "GVHD chronique modérée : ≥3 organes atteints
 * avec un score ≤1, OU 1 seul organe atteint (sauf atteinte pulmonaire) avec un score à 2, OU atteinte
 * pulmonaire avec un score à 1. GVHD sévère : au moins un organe à 3 (sauf atteinte pulmonaire) OU
 * atteinte pulmonaire avec un score à 2." Any other involvement is `mild`; null without scores.
 */
export function gvhdGrade(organScores: unknown): 'moderate' | 'severe' | 'mild' | null {
  if (!Array.isArray(organScores) || organScores.length === 0) return null;
  const scores = organScores.filter((o): o is { organ: string; score: number } => typeof o === 'object' && o !== null && typeof (o as { score?: unknown }).score === 'number');
  const lung = scores.find((o) => o.organ === LUNGS)?.score ?? 0;
  const others = scores.filter((o) => o.organ !== LUNGS);
  if (lung >= 2 || others.some((o) => o.score >= 3)) return 'severe';
  const involved = scores.filter((o) => o.score >= 1);
  if (lung === 1 || others.some((o) => o.score === 2) || (involved.length >= 3 && involved.every((o) => o.score <= 1))) return 'moderate';
  return 'mild';
}

/** Age class of the Rezurock report's Tableau 2: "Enfant (12 - 18 ans)" below 18, "Adulte" from 18. */
export function ageClass(ageYears: unknown): 'child' | 'adult' | null {
  if (typeof ageYears !== 'number') return null;
  return ageYears < 18 ? 'child' : 'adult';
}

/** Body-mass index in kg/m², from the weight (kg) and height (cm); null when either is missing. */
export function bodyMassIndex(weightKg: unknown, heightCm: unknown): number | null {
  if (typeof weightKg !== 'number' || typeof heightCm !== 'number' || heightCm <= 0) return null;
  return weightKg / (heightCm / 100) ** 2;
}

/** BMI classes of Tableau 2: "< 18,5", "[18,5 ; 25[", "[25 ; 30[", "≥ 30". */
export function bmiClass(bmi: number | null): 'underweight' | 'normal' | 'overweight' | 'obese' | null {
  if (bmi === null) return null;
  if (bmi < 18.5) return 'underweight';
  if (bmi < 25) return 'normal';
  if (bmi < 30) return 'overweight';
  return 'obese';
}

export const BMI_CLASSES = ['underweight', 'normal', 'overweight', 'obese'] as const;
export const AGE_CLASSES = ['adult', 'child'] as const;
export const GVHD_GRADES = ['moderate', 'severe'] as const;
const YES_NO = ['no', 'yes'] as const;

const yesNo = (v: unknown): 'yes' | 'no' | null => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : null);

/** Tableau 4: "Lignes antérieures Comprenant Corticoïdes / Ruxolitinib" — yes when both are among the prior treatments. */
export function priorLinesIncludeCorticosteroidsAndRuxolitinib(priorTreatments: unknown): 'yes' | 'no' | null {
  if (!Array.isArray(priorTreatments)) return null;
  return priorTreatments.includes('corticosteroids') && priorTreatments.includes('ruxolitinib') ? 'yes' : 'no';
}

/**
 * Tableau 5 "Listing des patients avec des lignées antérieures ne comprenant pas de corticoïdes et de ruxolitinib"
 * ("001-002 CORTICOIDES IBRUTINIB ANTI-IL2 METHOTREXATE"): each such included patient (by pseudonym) with its
 * prior treatments in the order of the form, in pseudonym order.
 */
export function priorLinesListing(included: readonly { patient: string; clinical: Readonly<Record<string, unknown>> }[]): { patient: string; lines: string[] }[] {
  return included
    .filter((r) => priorLinesIncludeCorticosteroidsAndRuxolitinib(r.clinical.priorTreatments) === 'no')
    .map((r) => ({ patient: r.patient, lines: (r.clinical.priorTreatments as unknown[]).filter((x): x is string => typeof x === 'string') }))
    .sort((a, b) => (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0));
}

/** Round half away from zero to `digits`. */
function round(x: number | null, digits: number): number | null {
  return x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
}

export function roundSummary(s: NumericSummary, digits = 2): NumericSummary {
  return { ...s, mean: round(s.mean, digits), sd: round(s.sd, digits), median: round(s.median, digits), q1: round(s.q1, digits), q3: round(s.q3, digits), min: round(s.min, digits), max: round(s.max, digits) };
}

export interface CharacteristicsTables {
  /** Tableau 2 */
  ageClasses?: CategoryCounts;
  heightCm?: NumericSummary;
  bmi?: NumericSummary;
  bmiClasses?: CategoryCounts;
  /** Tableau 3 */
  gvhdGrade?: CategoryCounts;
  /** Tableau 4 */
  priorLinesIncludeCorticosteroidsAndRuxolitinib?: CategoryCounts;
  /** Tableau 6 */
  strongCyp3aInducer?: CategoryCounts;
  protonPumpInhibitor?: CategoryCounts;
}

/** The clinical-form fields the characteristics tables read (the report keeps only these of each included patient's form). */
export const CHARACTERISTIC_FIELDS = ['ageYears', 'heightCm', 'weightKg', 'organScores', 'priorTreatments', 'concomitantStrongCyp3aInducer', 'concomitantProtonPumpInhibitor'] as const;

/** The characteristics tables of the included patients, each only where the scheme's form carries its fields. */
export function characteristicsTables(clinicals: readonly Readonly<Record<string, unknown>>[]): CharacteristicsTables {
  return characteristicsTablesOf((field) => clinicals.map((c) => c[field]));
}

/**
 * The characteristics tables from the included patients' values of each field, in patient order (`column(field)`,
 * `undefined` where a form lacks the field): the periodic report keeps its patients' fields as columns.
 */
export function characteristicsTablesOf(column: (field: (typeof CHARACTERISTIC_FIELDS)[number]) => readonly unknown[]): CharacteristicsTables {
  const out: CharacteristicsTables = {};
  const has = (values: readonly unknown[]): boolean => values.some((v) => v !== undefined);
  const ages = column('ageYears');
  if (has(ages)) out.ageClasses = countCategories(ages.map(ageClass), AGE_CLASSES);
  const heights = column('heightCm');
  if (has(heights)) {
    out.heightCm = roundSummary(describeNumeric(heights.map((h) => (typeof h === 'number' ? h : null))), 1);
    const weights = column('weightKg');
    const bmis = heights.map((h, i) => bodyMassIndex(weights[i], h));
    out.bmi = roundSummary(describeNumeric(bmis), 2);
    out.bmiClasses = countCategories(bmis.map(bmiClass), BMI_CLASSES);
  }
  const organScores = column('organScores');
  if (has(organScores)) out.gvhdGrade = countCategories(organScores.map(gvhdGrade), GVHD_GRADES);
  const priorTreatments = column('priorTreatments');
  if (has(priorTreatments)) out.priorLinesIncludeCorticosteroidsAndRuxolitinib = countCategories(priorTreatments.map(priorLinesIncludeCorticosteroidsAndRuxolitinib), YES_NO);
  const cyp3a = column('concomitantStrongCyp3aInducer');
  if (has(cyp3a)) out.strongCyp3aInducer = countCategories(cyp3a.map(yesNo), YES_NO);
  const ppi = column('concomitantProtonPumpInhibitor');
  if (has(ppi)) out.protonPumpInhibitor = countCategories(ppi.map(yesNo), YES_NO);
  return out;
}

/** What a follow-up form says of the conditions of use (Rezurock report §2b). */
export interface FollowUpFacts {
  patient: string;
  interruption?: boolean;
  doseChanged?: boolean;
  injections?: number;
}

export interface ConditionsOfUse {
  /** Follow-up forms received (the base of the counts below: "dans l'une des 5 fiches de suivi M3"). */
  followUpForms: number;
  interruptions: number;
  doseChanges: number;
}

export function conditionsOfUse(followUps: readonly FollowUpFacts[]): ConditionsOfUse {
  return {
    followUpForms: followUps.length,
    interruptions: followUps.filter((f) => f.interruption === true).length,
    doseChanges: followUps.filter((f) => f.doseChanged === true).length,
  };
}

/** Injections per exposed patient (tofersen report: N, mean ± SD, median, min–max), summed over its forms; null when no form counts injections. */
export function injectionsPerPatient(followUps: readonly FollowUpFacts[], exposedPatients: readonly string[]): NumericSummary | null {
  if (!followUps.some((f) => typeof f.injections === 'number')) return null;
  const total = new Map<string, number>();
  for (const f of followUps) if (typeof f.injections === 'number') total.set(f.patient, (total.get(f.patient) ?? 0) + f.injections);
  return roundSummary(describeNumeric(exposedPatients.map((p) => total.get(p) ?? 0)), 1);
}

/** Stops by reason where a stop may give several reasons (tofersen report: "plusieurs raisons d'arrêt … ont pu être mentionnées"). */
export function stopsByReason(stops: readonly { reasons: readonly string[] }[], reasons: readonly string[]): { total: number; byReason: Record<string, { n: number; percent: number }> } {
  const byReason: Record<string, { n: number; percent: number }> = {};
  for (const r of reasons) byReason[r] = { n: 0, percent: 0 };
  for (const s of stops) {
    for (const r of new Set(s.reasons)) byReason[r] = { n: (byReason[r]?.n ?? 0) + 1, percent: 0 };
  }
  for (const r of Object.keys(byReason)) (byReason[r] as { n: number; percent: number }).percent = percentOf((byReason[r] as { n: number }).n, stops.length);
  return { total: stops.length, byReason };
}

export type Causality = 'related' | 'not_related' | 'unknown';

/** One adverse event of a pharmacovigilance case (SOC and PT MedDRA). */
export interface AdverseEventInput {
  patient: string;
  /** The case it belongs to; events without one are each their own case. */
  caseId: string;
  soc: string;
  pt: string;
  serious: boolean;
  expected: boolean;
  causality: Causality;
  fatal: boolean;
  ledToStop: boolean;
}

export interface CaseCount {
  cases: number;
  patients: number;
}

export interface PharmacovigilanceTables {
  /** Tableau 11: cases and patients. */
  cases: { total: CaseCount; related: CaseCount; serious: CaseCount; seriousRelated: CaseCount; deaths: CaseCount; ledToStop: CaseCount };
  /** Tableau 12: events by SOC and PT, serious / non-serious × expected / unexpected. */
  events: { soc: string; pt: string; serious: { expected: number; unexpected: number }; nonSerious: { expected: number; unexpected: number }; total: { expected: number; unexpected: number } }[];
  eventTotals: { serious: { expected: number; unexpected: number }; nonSerious: { expected: number; unexpected: number }; total: { expected: number; unexpected: number } };
}

/**
 * Pharmacovigilance cases (seeds/000 §e): "Un cas PV relié correspond à un cas PV comportant au moins un EI
 * considéré comme relié au traitement … ainsi que … les EI pour lesquels la causalité n'a pas été renseignée
 * ou bien était non évaluable" — a case is related when any event is related or of unknown causality;
 * serious when any event is serious; a death when any event is fatal.
 */
export function pharmacovigilanceTables(events: readonly AdverseEventInput[]): PharmacovigilanceTables {
  const byCase = new Map<string, AdverseEventInput[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  const count = (pick: (list: AdverseEventInput[]) => boolean): CaseCount => {
    const chosen = [...byCase.values()].filter(pick);
    return { cases: chosen.length, patients: new Set(chosen.map((l) => (l[0] as AdverseEventInput).patient)).size };
  };
  const related = (l: AdverseEventInput[]): boolean => l.some((e) => e.causality !== 'not_related');
  const serious = (l: AdverseEventInput[]): boolean => l.some((e) => e.serious);
  const rows = new Map<string, PharmacovigilanceTables['events'][number]>();
  const zero = (): { expected: number; unexpected: number } => ({ expected: 0, unexpected: 0 });
  const totals = { serious: zero(), nonSerious: zero(), total: zero() };
  for (const e of events) {
    const key = `${e.soc}\u0000${e.pt}`;
    const row = rows.get(key) ?? { soc: e.soc, pt: e.pt, serious: zero(), nonSerious: zero(), total: zero() };
    const column = e.expected ? 'expected' : 'unexpected';
    row[e.serious ? 'serious' : 'nonSerious'][column] += 1;
    row.total[column] += 1;
    totals[e.serious ? 'serious' : 'nonSerious'][column] += 1;
    totals.total[column] += 1;
    rows.set(key, row);
  }
  return {
    cases: {
      total: count(() => true),
      related: count(related),
      serious: count(serious),
      seriousRelated: count((l) => serious(l) && related(l)),
      deaths: count((l) => l.some((e) => e.fatal)),
      ledToStop: count((l) => l.some((e) => e.ledToStop)),
    },
    events: [...rows.values()].sort((a, b) => (a.soc === b.soc ? (a.pt < b.pt ? -1 : 1) : a.soc < b.soc ? -1 : 1)),
    eventTotals: totals,
  };
}

export interface PrescriberInput {
  prescriber: string;
  establishment: string;
  specialty: string | null;
  patient: string;
}

export interface PrescriberTables {
  /** "les 32 patients ont été inclus par 28 médecins dans 20 centres" */
  prescribers: number;
  centres: number;
  /** Tableau 7 */
  centresByCategory: CategoryCounts;
  /** Tableau 8 */
  prescribersByRegion: CategoryCounts;
  prescribersBySpecialty: CategoryCounts;
  patientsPerPrescriber: NumericSummary;
}

/** Prescribers and centres that included patients (seeds/000 Tableaux 7 and 8), each prescriber at its establishment of first inclusion. */
export function prescriberTables(inclusions: Iterable<PrescriberInput>, establishments: ReadonlyMap<string, { region: string; category: string }>): PrescriberTables {
  const patientsOf = new Map<string, Set<string>>();
  const first = new Map<string, PrescriberInput>();
  const centres = new Set<string>();
  for (const i of inclusions) {
    if (!first.has(i.prescriber)) first.set(i.prescriber, i);
    patientsOf.set(i.prescriber, (patientsOf.get(i.prescriber) ?? new Set()).add(i.patient));
    centres.add(i.establishment);
  }
  const prescribers = [...first.values()];
  return {
    prescribers: prescribers.length,
    centres: centres.size,
    centresByCategory: countCategories([...centres].map((c) => establishments.get(c)?.category ?? null)),
    prescribersByRegion: countCategories(prescribers.map((p) => establishments.get(p.establishment)?.region ?? null)),
    prescribersBySpecialty: countCategories(prescribers.map((p) => p.specialty)),
    patientsPerPrescriber: roundSummary(describeNumeric(prescribers.map((p) => (patientsOf.get(p.prescriber) as Set<string>).size)), 1),
  };
}
