import { buildPeriodicReport, reportToCsv, type PeriodicReportInput, type ReportFormInput, type ReportRequestInput } from './periodic-report';

const req = (id: string, patient: string, establishment: string, prescriber: string, submittedOn: string, decision: ReportRequestInput['decision'], clinical: Record<string, unknown> = {}): ReportRequestInput => ({
  id,
  patient,
  establishment,
  prescriber,
  submittedOn,
  decision,
  clinical,
});
const form = (patient: string, kind: ReportFormInput['kind'], due: string | null, date: string, administered: boolean, reason: ReportFormInput['reason'] = null): ReportFormInput => ({
  patient,
  kind,
  due,
  date,
  administered,
  reason,
});

/** A small cohort, period 2025-01-01 to 2025-06-30, cut-off 2025-07-31. */
const cohort: PeriodicReportInput = {
  establishments: [
    { finess: 'E1', region: 'Île-de-France', category: 'CHU' },
    { finess: 'E2', region: 'Bretagne', category: 'CHG' },
    { finess: 'E3', region: 'Bretagne', category: 'CHU' },
  ],
  requests: [
    req('r1', 'P1', 'E1', 'dr1', '2025-01-10', { on: '2025-01-15', decision: 'authorise' }, { ageYears: 40, weightKg: 60, pregnancyTest: 'negative' }),
    req('r2', 'P2', 'E1', 'dr2', '2025-02-01', { on: '2025-02-10', decision: 'authorise' }, { ageYears: 20, weightKg: 50, pregnancyTest: 'not_applicable' }),
    req('r3', 'P3', 'E2', 'dr3', '2025-03-01', { on: '2025-03-05', decision: 'authorise' }, { ageYears: 60, pregnancyTest: 'not_applicable' }),
    req('r4', 'P4', 'E2', 'dr3', '2025-03-15', { on: '2025-03-20', decision: 'exclude' }),
    req('r5', 'P5', 'E3', 'dr4', '2025-04-01', { on: '2025-04-10', decision: 'refuse' }),
    req('r6', 'P6', 'E3', 'dr4', '2025-06-20', { on: '2025-08-05', decision: 'authorise' }), // decided after the cut-off: pending
    req('r7', 'P7', 'E1', 'dr1', '2024-12-20', { on: '2024-12-28', decision: 'authorise' }), // before the period
    req('r8', 'P8', 'E1', 'dr9', '2025-07-05', null), // after the period
    req('r9', 'P9', 'E2', 'dr5', '2025-05-01', null), // undecided: pending
  ],
  forms: [
    form('P1', 'initiation', null, '2025-01-15', true),
    form('P1', 'follow-up', 'M3', '2025-04-20', true),
    form('P2', 'initiation', null, '2025-02-12', true),
    form('P2', 'stop', null, '2025-04-01', false, 'death'),
    form('P3', 'initiation', null, '2025-03-06', false),
    form('P3', 'follow-up', 'M3', '2025-08-02', true), // after the cut-off
    form('P7', 'initiation', null, '2024-12-28', true), // not included in this period
  ],
  adverseEvents: [
    { patient: 'P1', date: '2025-02-01', serious: true, expected: false },
    { patient: 'P2', date: '2025-03-01', serious: false, expected: true },
    { patient: 'P5', date: '2025-04-05', serious: true, expected: true }, // not included
    { patient: 'P1', date: '2025-08-10', serious: true, expected: true }, // after the cut-off
  ],
  patients: [
    { patient: 'P1', sex: 'F' },
    { patient: 'P2', sex: 'M' },
    { patient: 'P3', sex: 'F' },
  ],
};
const options = {
  from: '2025-01-01',
  to: '2025-06-30',
  cutoff: '2025-07-31',
  numericVariables: ['ageYears', 'weightKg'],
  categoricalVariables: [{ name: 'pregnancyTest', values: ['negative', 'positive', 'not_applicable'] }],
};

describe('periodic report (SPEC §9, §11 reports)', () => {
  const result = buildPeriodicReport(cohort, options);
  if (!result.ok) throw new Error(result.error.code);
  const report = result.value;

  it('counts requests received in the period by their status at the cut-off', () => {
    // received r1–r6, r9 = 7; accepted r1 r2 r3; excluded r4; refused r5; pending r6 (decided 08-05) and r9
    expect(report.requests).toEqual({ received: 7, excluded: 1, pending: 2, accepted: 3, refused: 1, carriedOver: 0 });
  });

  it('includes a carried-over patient without counting a new request, keeping the schedule of the first authorisation', () => {
    // P10 authorised on 2024-11-20 for the replaced medicine, carried over on 2025-04-01: initiation (2024-11-20) is before
    // the period but the schedule continues: M6 2025-05-20 expected and received; M9 2025-08-20 is after the cut-off.
    // The ONC201-era request ended on the switch date: for it, M6 (after 04-01) is no longer expected.
    const carried = buildPeriodicReport(
      {
        ...cohort,
        requests: [{ ...req('r10', 'P10', 'E1', 'dr1', '2025-04-01', { on: '2025-04-01', decision: 'authorise' }), authorisedOn: '2024-11-20', carriedOver: true }],
        forms: [form('P10', 'initiation', null, '2024-11-20', true), form('P10', 'follow-up', 'M3', '2025-02-20', true), form('P10', 'follow-up', 'M6', '2025-05-21', true)],
      },
      options,
    );
    if (!carried.ok) throw new Error(carried.error.code);
    expect(carried.value.requests).toEqual({ received: 0, excluded: 0, pending: 0, accepted: 0, refused: 0, carriedOver: 1 });
    expect(carried.value.patients.included).toBe(1);
    expect(carried.value.prescribers.total).toBe(0);
    expect(carried.value.forms).toEqual([
      { form: 'initiation', received: 1, expected: 1, percent: 100 },
      { form: 'M3', received: 1, expected: 1, percent: 100 },
      { form: 'M6', received: 1, expected: 1, percent: 100 },
    ]);
    const ended = buildPeriodicReport(
      {
        ...cohort,
        requests: [{ ...req('r11', 'P11', 'E1', 'dr1', '2025-01-05', { on: '2025-01-10', decision: 'authorise' }), endedOn: '2025-04-01' }],
        forms: [form('P11', 'initiation', null, '2025-01-10', true)],
      },
      options,
    );
    if (!ended.ok) throw new Error(ended.error.code);
    expect(ended.value.forms).toEqual([{ form: 'initiation', received: 1, expected: 1, percent: 100 }]);
  });

  it('counts included and exposed patients and the follow-up of the exposed "depuis la date de la demande d\'AC" (seeds/000)', () => {
    // included P1 P2 P3; exposed P1 (initiation administered) and P2; P3's only administered form is after the cut-off
    // follow-up from the request date to the last form: P1 01-10 → 04-20 = 100 days = 3.285 months; P2 02-01 → 04-01 = 59 days = 1.938 months
    // median of two = (100 + 59) / 2 = 79.5 days = 2.611… months → 2.61; SD = (3.285 − 1.938) / √2 = 0.95 → 1.0
    // "Pour 5 des 32 patients inclus dans l'AC (15.6%)": here 2 of 3 = 66.7 %
    expect(report.patients).toEqual({
      included: 3, exposed: 2, exposedPercent: 66.7, medianFollowUpMonths: 2.61,
      followUpMonths: { n: 2, mean: 2.6, sd: 1, median: 2.6, q1: 1.9, q3: 3.3, min: 1.9, max: 3.3, missing: 0 },
    });
  });

  it('compares forms received with forms expected before the cut-off', () => {
    // P1 authorised 01-15: initiation, M3 04-15, M6 07-15 (M9 10-15 is after the cut-off)
    // P2 authorised 02-10, stopped 04-01: initiation only (M3 05-10 is after the stop)
    // P3 authorised 03-05: initiation, M3 06-05
    // received by 07-31: initiation P1 P2 P3; M3 P1 (P3's M3 came 08-02)
    expect(report.forms).toEqual([
      { form: 'initiation', received: 3, expected: 3, percent: 100 },
      { form: 'M3', received: 1, expected: 2, percent: 50 },
      { form: 'M6', received: 0, expected: 1, percent: 0 },
    ]);
  });

  it('describes numeric variables of the included patients', () => {
    // age 40 20 60: mean 40, sd = √((0 + 400 + 400) / 2) = 20; sorted 20 40 60:
    // median 3·0.5 = 1.5 → 2nd = 40; q1 0.75 → 1st = 20; q3 2.25 → 3rd = 60
    expect(report.variables.ageYears).toEqual({ n: 3, mean: 40, sd: 20, median: 40, q1: 20, q3: 60, min: 20, max: 60, missing: 0 });
    // weight 60 50, P3 missing: mean 55, sd = √((25 + 25) / 1) = 7.071… → 7.07; median 2·0.5 = 1 → (50 + 60) / 2 = 55
    // q1 0.5 → 1st = 50; q3 1.5 → 2nd = 60
    expect(report.variables.weightKg).toEqual({ n: 2, mean: 55, sd: 7.07, median: 55, q1: 50, q3: 60, min: 50, max: 60, missing: 1 });
  });

  it('counts categories with percentages of the included patients', () => {
    // 1/3 = 33.3 %, 2/3 = 66.7 %
    expect(report.categories).toEqual({
      pregnancyTest: { negative: { n: 1, percent: 33.3 }, positive: { n: 0, percent: 0 }, not_applicable: { n: 2, percent: 66.7 } },
      sex: { F: { n: 2, percent: 66.7 }, M: { n: 1, percent: 33.3 } },
    });
  });

  it('counts stops by reason and adverse events by seriousness and expectedness', () => {
    expect(report.stops).toEqual({ progression: 0, adverse_event: 0, death: 1, patient_wish: 0, transfer: 0, other: 0, total: 1 });
    expect(report.adverseEvents).toEqual({ total: 2, serious: { expected: 0, unexpected: 1 }, nonSerious: { expected: 1, unexpected: 0 } });
  });

  it('counts the prescribers and centres that included patients ("les 32 patients ont été inclus par 28 médecins dans 20 centres")', () => {
    // included P1 (dr1, E1), P2 (dr2, E1), P3 (dr3, E2); dr4 (refused) and dr5 (pending) included nobody
    expect(report.prescribers).toEqual({ total: 3, byRegion: { 'Île-de-France': 2, Bretagne: 1 }, byCategory: { CHU: 2, CHG: 1 } });
    expect(report.centres).toEqual({ total: 2, byRegion: { 'Île-de-France': 1, Bretagne: 1 }, byCategory: { CHU: 1, CHG: 1 } });
    expect(report.inclusions).toMatchObject({ prescribers: 3, centres: 2, centresByCategory: { CHU: { n: 1, percent: 50 }, CHG: { n: 1, percent: 50 } } });
    expect(report.inclusions.patientsPerPrescriber).toEqual({ n: 3, mean: 1, sd: 0, median: 1, q1: 1, q3: 1, min: 1, max: 1, missing: 0 });
  });

  it('estimates survival of the exposed by Kaplan–Meier, deaths from stop forms, others censored at their last form', () => {
    // P2 dies at 48 / 30.4375 = 1.577 months (2 at risk → S = 1/2); P1 censored at 95 / 30.4375 = 3.121 months
    // at 24 months the curve is past the last news: not estimable (null)
    expect(report.survival).toEqual({
      unit: 'months',
      n: 2,
      events: 1,
      steps: [
        { time: 1.58, atRisk: 2, events: 1, censored: 0, survival: 0.5 },
        { time: 3.12, atRisk: 1, events: 0, censored: 1, survival: 0.5 },
      ],
      at: { time: 24, survival: null },
    });
    const at2 = buildPeriodicReport(cohort, { ...options, survivalAtMonths: 2 });
    expect(at2.ok && at2.value.survival.at).toEqual({ time: 2, survival: 0.5 });
  });

  it('refuses a cut-off before the start of the period, and a reversed period', () => {
    expect(buildPeriodicReport(cohort, { from: '2025-01-01', to: '2025-06-30', cutoff: '2024-12-31' })).toEqual({
      ok: false,
      error: { code: 'REPORT_CUTOFF_BEFORE_START', params: { cutoff: '2024-12-31', from: '2025-01-01' } },
    });
    expect(buildPeriodicReport(cohort, { from: '2025-06-30', to: '2025-01-01', cutoff: '2025-07-31' })).toMatchObject({ ok: false, error: { code: 'REPORT_PERIOD_INVALID' } });
  });

  it('writes the CSV as section,item,measure,value rows', () => {
    const csv = reportToCsv(report).split('\n');
    expect(csv[0]).toBe('section,item,measure,value');
    expect(csv).toContain('requests,,received,7');
    expect(csv).toContain('forms,M3,percent,50');
    expect(csv).toContain('variables,weightKg,sd,7.07');
    expect(csv).toContain('categories,sex:F,percent,66.7');
    expect(csv).toContain('prescribers,region:Bretagne,n,1');
    expect(csv).toContain('survival,at=24 months,survival,');
    expect(csv.at(-1)).toBe('');
    const quoted = reportToCsv({ ...report, categories: { site: { 'a,"b"': { n: 1, percent: 100 } } } });
    expect(quoted).toContain('categories,"site:a,""b""",n,1');
  });
});
