import type { AccessReport } from '../../compassionate-access/access-reports.service';
import type { CategoryCounts, NumericSummary } from '../../compassionate-access/domain/report-statistics';
import { fr, type MessageKey } from '../i18n/messages';
import type { Lang } from '../i18n/translator';

/** One table of the printable report: its caption, a header and rows of cells (a variable's first cell spans its rows). */
export interface ReportTable {
  id: string;
  caption: string;
  head: string[];
  rows: { cells: string[]; group?: string }[];
  note?: string;
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  tables: ReportTable[];
}

type T = (key: MessageKey, params?: Record<string, string | number | null | undefined>) => string;

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * The periodic report laid out like the seed report (seeds/000 Rezurock n°1, seeds/002 tofersen n°6):
 * the same tables in the same order, "Moyenne ± ET", "Médiane", "Q1 ; Q3", "Min. ; Max.", "Manquant",
 * counts with percentages to one decimal. Labels come from the page dictionary; a variable or value the
 * dictionary does not name is shown under a generic label, never as a raw code.
 */
export function accessReportSections(report: AccessReport, t: T, lang: Lang): ReportSection[] {
  const fixed = (digits: number) => new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const num = (v: number | null | undefined, digits: number): string => (v === null || v === undefined ? '—' : fixed(digits).format(v));
  const int = (v: number): string => fixed(0).format(v);
  const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${fixed(1).format(v)} %`);
  const label = (key: string, fallback: MessageKey): string => (key in fr ? t(key as MessageKey) : t(fallback));
  const varLabel = (name: string): string => label(`accessReport.var.${name}`, 'accessReport.var.other');
  const valueLabel = (name: string, value: string): string => {
    if (value === 'missing') return t('accessReport.missing');
    // regions are place names, shown as they are
    if (name === 'region') return value;
    const specific = `accessReport.value.${name}.${value}`;
    if (specific in fr) return t(specific as MessageKey);
    return label(`accessReport.value.${value}`, 'accessReport.value.other');
  };
  const included = report.patients.included;
  const totalHead = (n: number): string[] => [t('accessReport.variable'), '', t('accessReport.total', { n: int(n) })];

  const numericRows = (name: string, s: NumericSummary, digits = 1): ReportTable['rows'] => {
    const group = varLabel(name);
    return [
      { group, cells: [group, 'N', int(s.n)] },
      { group, cells: ['', t('accessReport.meanSd'), `${num(s.mean, digits)} ± ${num(s.sd, digits)}`] },
      { group, cells: ['', t('accessReport.median'), num(s.median, digits)] },
      { group, cells: ['', t('accessReport.q1q3'), `${num(s.q1, digits)} ; ${num(s.q3, digits)}`] },
      { group, cells: ['', t('accessReport.minMax'), `${num(s.min, digits)} ; ${num(s.max, digits)}`] },
      { group, cells: ['', t('accessReport.missing'), int(s.missing)] },
    ];
  };
  const categoryRows = (name: string, counts: CategoryCounts): ReportTable['rows'] => {
    const group = varLabel(name);
    return Object.entries(counts).map(([value, c], i) => ({
      group,
      cells: [i === 0 ? group : '', valueLabel(name, value), value === 'missing' ? int(c.n) : `${int(c.n)} (${pct(c.percent)})`],
    }));
  };
  const table = (id: string, caption: string, head: string[], rows: ReportTable['rows'], note?: string): ReportTable => ({ id, caption, head, rows, ...(note === undefined ? {} : { note }) });

  const sections: ReportSection[] = [];
  const r = report.requests;
  const f = report.patients.followUpMonths;
  sections.push({
    heading: t('accessReport.s.patients'),
    paragraphs: [
      t('accessReport.p.requests', { received: int(r.received), excluded: int(r.excluded), pending: int(r.pending), accepted: int(r.accepted) }),
      t('accessReport.p.exposed', { exposed: int(report.patients.exposed), included: int(included), percent: pct(report.patients.exposedPercent) }),
      t('accessReport.p.followUp', { median: num(report.patients.medianFollowUpMonths, 1), mean: num(f.mean, 1), sd: num(f.sd, 1), min: num(f.min, 1), max: num(f.max, 1) }),
      ...(report.derogations > 0 ? [t('accessReport.p.derogations', { n: int(report.derogations) })] : []),
      ...(r.carriedOver > 0 ? [t('accessReport.p.carriedOver', { n: int(r.carriedOver) })] : []),
    ],
    tables: [
      table('tableau-1', t('accessReport.table1', { n: int(included) }), [t('accessReport.forms'), t('accessReport.formsReceived'), t('accessReport.formsExpected'), t('accessReport.formsPercent')],
        report.forms.map((x) => ({ cells: [x.form === 'initiation' ? t('accessReport.form.initiation') : t('accessReport.form.followUp', { label: x.form }), int(x.received), int(x.expected), pct(x.percent)] })),
        t('accessReport.table1Note')),
    ],
  });

  const c = report.characteristics;
  const general: ReportTable['rows'] = [];
  if (report.variables.ageYears) general.push(...numericRows('ageYears', report.variables.ageYears));
  if (c.ageClasses) general.push(...categoryRows('ageClasses', c.ageClasses));
  if (report.categories.sex) general.push(...categoryRows('sex', report.categories.sex));
  if (report.variables.weightKg) general.push(...numericRows('weightKg', report.variables.weightKg, 2));
  if (c.heightCm) general.push(...numericRows('heightCm', c.heightCm));
  if (c.bmi) general.push(...numericRows('bmi', c.bmi, 2));
  if (c.bmiClasses) general.push(...categoryRows('bmiClasses', c.bmiClasses));
  for (const [name, s] of Object.entries(report.variables)) if (!['ageYears', 'weightKg', 'priorSystemicLines'].includes(name)) general.push(...numericRows(name, s));
  for (const [name, counts] of Object.entries(report.categories)) if (name !== 'sex') general.push(...categoryRows(name, counts));
  const disease: ReportTable[] = [];
  if (c.gvhdGrade) disease.push(table('tableau-3', t('accessReport.table3'), totalHead(included), categoryRows('gvhdGrade', c.gvhdGrade)));
  const prior: ReportTable['rows'] = [];
  if (report.variables.priorSystemicLines) prior.push(...numericRows('priorSystemicLines', report.variables.priorSystemicLines));
  if (c.priorLinesIncludeCorticosteroidsAndRuxolitinib) prior.push(...categoryRows('priorLinesIncludeCorticosteroidsAndRuxolitinib', c.priorLinesIncludeCorticosteroidsAndRuxolitinib));
  if (prior.length > 0) disease.push(table('tableau-4', t('accessReport.table4'), totalHead(included), prior));
  if (report.priorLinesListing.length > 0) {
    const width = Math.max(...report.priorLinesListing.map((l) => l.lines.length));
    // a treatment the dictionary does not name is shown as its code in capitals, as the seed lists them ("IBRUTINIB")
    const treatment = (code: string): string => {
      const key = `accessReport.treatment.${code}`;
      return key in fr ? t(key as MessageKey) : code.replace(/_/g, ' ').toUpperCase();
    };
    disease.push(table('tableau-5', t('accessReport.table5'),
      [t('accessReport.patientNumber'), ...Array.from({ length: width }, (_, i) => (i === 0 ? t('accessReport.firstLine') : t('accessReport.nthLine', { n: i + 1 })))],
      report.priorLinesListing.map((l) => ({ cells: [l.patient, ...Array.from({ length: width }, (_, i) => (l.lines[i] === undefined ? '' : treatment(l.lines[i])))] }))));
  }
  const concomitant: ReportTable['rows'] = [];
  if (c.strongCyp3aInducer) concomitant.push(...categoryRows('strongCyp3aInducer', c.strongCyp3aInducer));
  if (c.protonPumpInhibitor) concomitant.push(...categoryRows('protonPumpInhibitor', c.protonPumpInhibitor));
  if (concomitant.length > 0) disease.push(table('tableau-6', t('accessReport.table6'), totalHead(included), concomitant));
  sections.push({ heading: t('accessReport.s.characteristics'), paragraphs: [], tables: [table('tableau-2', t('accessReport.table2'), totalHead(included), general), ...disease] });

  const inc = report.inclusions;
  sections.push({
    heading: t('accessReport.s.prescribers'),
    paragraphs: [t('accessReport.p.prescribers', { patients: int(included), prescribers: int(inc.prescribers), centres: int(inc.centres) })],
    tables: [
      table('tableau-7', t('accessReport.table7'), totalHead(inc.centres), categoryRows('centreCategory', inc.centresByCategory)),
      table('tableau-8', t('accessReport.table8'), totalHead(inc.prescribers), [
        ...categoryRows('region', inc.prescribersByRegion),
        ...numericRows('patientsPerPrescriber', inc.patientsPerPrescriber),
        ...categoryRows('specialty', inc.prescribersBySpecialty),
      ]),
    ],
  });

  const use = report.conditionsOfUse;
  const stops = report.stopReasons;
  const useTables: ReportTable[] = [];
  if (report.injectionsPerPatient !== null) useTables.push(table('injections', t('accessReport.tableInjections', { n: int(report.patients.exposed) }), totalHead(report.patients.exposed), numericRows('injections', report.injectionsPerPatient)));
  useTables.push(table('arrets', t('accessReport.tableStops', { n: int(stops.total) }), [t('accessReport.stopReason'), t('accessReport.total', { n: int(stops.total) })],
    Object.entries(stops.byReason).map(([reason, x]) => ({ cells: [valueLabel('stopReason', reason), `${int(x.n)} (${pct(x.percent)})`] })), t('accessReport.tableStopsNote')));
  const s = report.survival;
  useTables.push(table('survie', t('accessReport.tableSurvival', { n: int(s.n) }), [t('accessReport.km.time'), t('accessReport.km.atRisk'), t('accessReport.km.events'), t('accessReport.km.censored'), t('accessReport.km.survival')],
    s.steps.map((x) => ({ cells: [num(x.time, 1), int(x.atRisk), int(x.events), int(x.censored), pct(x.survival * 100)] })),
    t('accessReport.km.at', { months: int(s.at.time), survival: s.at.survival === null ? t('accessReport.km.notEstimable') : pct(s.at.survival * 100) })));
  sections.push({
    heading: t('accessReport.s.use'),
    paragraphs: [t('accessReport.p.use', { forms: int(use.followUpForms), interruptions: int(use.interruptions), doseChanges: int(use.doseChanges) })],
    tables: useTables,
  });

  // c. and d.: Tableaux 9 and 10, over the exposed patients with at least one follow-up form, visit by visit
  const eff = report.efficacy;
  const countCells = (c: { n: number; percent: number | null }, value: string): string => (value === 'missing' ? int(c.n) : `${int(c.n)} (${pct(c.percent)})`);
  if (eff.clinicalResponse !== null) {
    const rows: ReportTable['rows'] = eff.clinicalResponse.flatMap((v) => v.rows.flatMap((row) => {
      const group = row.name !== undefined
        ? t('accessReport.organOtherRow', { name: row.name, visit: v.visit })
        : t('accessReport.organRow', { organ: t(`accessReport.organ.${row.organ}` as MessageKey), visit: v.visit });
      // the row counting which other organ was named shows the names as given (e.g. ARTICULAIRE)
      const value = (k: string): string => (k === 'missing' ? t('accessReport.missing') : row.organ === 'other' && row.name === undefined ? k : valueLabel('response', k));
      return Object.entries(row.counts).map(([k, c], i) => ({ group, cells: [i === 0 ? group : '', value(k), countCells(c, k)] }));
    }));
    sections.push({ heading: t('accessReport.s.efficacy'), paragraphs: [], tables: [table('tableau-9', t('accessReport.table9'), totalHead(eff.population), rows)] });
  }
  if (eff.qualityOfLife !== null) {
    const rows: ReportTable['rows'] = eff.qualityOfLife.flatMap((v) => {
      let previous: string | null = null;
      return v.rows.flatMap((row) => {
        const dimension = t(`accessReport.lee.dimension.${row.dimension}` as MessageKey);
        const group = t('accessReport.leeRow', { item: t(`accessReport.lee.${row.item}` as MessageKey), visit: v.visit });
        const first = previous !== dimension;
        previous = dimension;
        return Object.entries(row.counts).map(([k, c], i) => ({
          group,
          cells: [first && i === 0 ? dimension : '', i === 0 ? group : '', k === 'missing' ? t('accessReport.missing') : valueLabel('severity', k), countCells(c, k)],
        }));
      });
    });
    sections.push({
      heading: t('accessReport.s.qualityOfLife'),
      paragraphs: [],
      tables: [table('tableau-10', t('accessReport.table10'), [t('accessReport.dimensions'), t('accessReport.variable'), '', t('accessReport.total', { n: int(eff.population) })], rows)],
    });
  }

  const pv = report.pharmacovigilance;
  const caseRow = (key: MessageKey, x: { cases: number; patients: number }): { cells: string[] } => ({ cells: [t(key), int(x.cases), int(x.patients)] });
  const ev = (x: { expected: number; unexpected: number }): string[] => [int(x.expected), int(x.unexpected)];
  const bySoc = new Map<string, typeof pv.events>();
  for (const e of pv.events) bySoc.set(e.soc, [...(bySoc.get(e.soc) ?? []), e]);
  const eventRows: ReportTable['rows'] = [];
  for (const [soc, events] of bySoc) {
    eventRows.push({ group: soc, cells: [socLabel(soc, t), '', '', '', '', '', ''] });
    for (const e of events) eventRows.push({ group: soc, cells: [ptLabel(e.pt, t), ...ev(e.serious), ...ev(e.nonSerious), ...ev(e.total)] });
  }
  eventRows.push({ cells: [t('accessReport.pv.total'), ...ev(pv.eventTotals.serious), ...ev(pv.eventTotals.nonSerious), ...ev(pv.eventTotals.total)] });
  sections.push({
    heading: t('accessReport.s.pv'),
    paragraphs: [t('accessReport.p.pvRelated')],
    tables: [
      table('tableau-11', t('accessReport.table11'), ['', t('accessReport.pv.cases'), t('accessReport.pv.patients')], [
        caseRow('accessReport.pv.total', pv.cases.total),
        caseRow('accessReport.pv.related', pv.cases.related),
        caseRow('accessReport.pv.serious', pv.cases.serious),
        caseRow('accessReport.pv.seriousRelated', pv.cases.seriousRelated),
        caseRow('accessReport.pv.deaths', pv.cases.deaths),
        caseRow('accessReport.pv.ledToStop', pv.cases.ledToStop),
      ]),
      table('tableau-12', t('accessReport.table12'), [
        t('accessReport.pv.socPt'),
        t('accessReport.pv.seriousExpected', { n: int(pv.eventTotals.serious.expected) }), t('accessReport.pv.seriousUnexpected', { n: int(pv.eventTotals.serious.unexpected) }),
        t('accessReport.pv.nonSeriousExpected', { n: int(pv.eventTotals.nonSerious.expected) }), t('accessReport.pv.nonSeriousUnexpected', { n: int(pv.eventTotals.nonSerious.unexpected) }),
        t('accessReport.pv.totalExpected', { n: int(pv.eventTotals.total.expected) }), t('accessReport.pv.totalUnexpected', { n: int(pv.eventTotals.total.unexpected) }),
      ], eventRows),
    ],
  });
  return sections;
}

/** MedDRA SOC and PT are the reporter's own French terms; "unknown" stands for an event reported without one. */
function socLabel(soc: string, t: T): string {
  return soc === 'unknown' ? t('accessReport.pv.socUnknown') : soc;
}

function ptLabel(pt: string, t: T): string {
  return pt === 'unknown' ? t('accessReport.pv.ptUnknown') : pt;
}
