import fc from 'fast-check';
import { PeriodicReportBuilder, type PeriodicReportOptions, type ReportAdverseEventInput, type ReportFormInput, type ReportRequestInput } from './periodic-report';
import { ReferencePeriodicReportBuilder } from './periodic-report-reference';
import { STOP_REASONS } from './follow-up';
import { LEE_ITEMS, ORGANS, ORGAN_RESPONSES, SYMPTOM_SEVERITIES } from './report-tables-efficacy';

/**
 * The compact builder (report-aggregates.ts, issue 15) against the builder it replaced (periodic-report-reference.ts):
 * on random cohorts — a few patients with several requests each (ties of decision dates, replaced inclusions),
 * carried-over and switched requests, missing and odd clinical values, repeated and late forms, stops with
 * several reasons, held efficacy answers, adverse events with and without cases — both give the same report.
 */

const DATES = ['2024-08-15', '2024-10-01', '2024-12-31', '2025-01-01', '2025-01-15', '2025-02-28', '2025-03-01', '2025-04-20', '2025-06-30', '2025-07-31', '2025-08-02', '2025-10-10'];
const date = fc.constantFrom(...DATES);
const patient = fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8');
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const number = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double({ noDefaultInfinity: false }), fc.constantFrom(0, -0, 18, 40, 40, 60, NaN));
const oddValue = fc.oneof(number, fc.constantFrom('40', 'negative', '', true, false, null));

const clinical = fc.record(
  {
    ageYears: oddValue,
    weightKg: oddValue,
    heightCm: fc.oneof(fc.constantFrom(150, 170, 182, 0, -0), oddValue),
    score: oddValue,
    pregnancyTest: fc.oneof(fc.constantFrom('negative', 'positive', 'not_applicable', 'other'), oddValue),
    flag: oddValue,
    organScores: fc.oneof(
      fc.array(fc.record({ organ: fc.constantFrom('skin', 'mouth', 'lungs', 'eyes'), score: fc.integer({ min: 0, max: 3 }) }), { maxLength: 4 }),
      fc.constantFrom('none', null),
    ),
    priorTreatments: fc.oneof(fc.subarray(['corticosteroids', 'ruxolitinib', 'ibrutinib', 'methotrexate']), fc.constant(null)),
    concomitantStrongCyp3aInducer: fc.oneof(fc.boolean(), fc.constant('yes')),
    concomitantProtonPumpInhibitor: fc.boolean(),
  },
  { requiredKeys: [] },
);

const request: fc.Arbitrary<ReportRequestInput> = fc
  .record({
    id: fc.constantFrom('r1', 'r2', 'r3'),
    patient,
    establishment: fc.constantFrom('E1', 'E2', 'E3', 'E-unknown'),
    prescriber: fc.constantFrom('d1', 'd2', 'd3', 'd4'),
    submittedOn: date,
    decision: fc.option(fc.record({ on: date, decision: fc.constantFrom('authorise' as const, 'authorise' as const, 'refuse' as const, 'exclude' as const) }), { nil: null }),
    clinical,
    authorisedOn: maybe(date),
    carriedOver: maybe(fc.boolean()),
    endedOn: maybe(fc.option(date, { nil: null })),
    derogation: maybe(fc.boolean()),
    specialty: maybe(fc.option(fc.constantFrom('haematology', 'oncology'), { nil: null })),
    sex: maybe(fc.option(fc.constantFrom('F', 'M'), { nil: null })),
  })
  .map((r) => {
    // optional fields absent rather than present as undefined, as the service gives them
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out as unknown as ReportRequestInput;
  });

const efficacyData = fc.record(
  {
    organResponses: fc.array(
      fc.record({ organ: fc.constantFrom(...ORGANS), response: fc.constantFrom(...ORGAN_RESPONSES), name: fc.constantFrom('articulaire', ' Articulaire ', '', 'rein') }, { requiredKeys: ['organ', 'response'] }),
      { maxLength: 3 },
    ),
    leeSymptoms: fc.array(fc.record({ item: fc.constantFrom(...LEE_ITEMS.slice(0, 4)), severity: fc.constantFrom(...SYMPTOM_SEVERITIES) }), { maxLength: 3 }),
    interruption: fc.boolean(),
    doseChanged: fc.boolean(),
    injections: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(-0, 0.5)),
    reasons: fc.array(fc.constantFrom('progression', 'adverse_event', 'other', 'death'), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const form: fc.Arbitrary<ReportFormInput> = fc.record({
  patient,
  kind: fc.constantFrom('initiation' as const, 'follow-up' as const, 'follow-up' as const, 'stop' as const),
  due: fc.option(fc.constantFrom('initiation', 'M3', 'M6', 'M9', 'M12', 'M03', 'X1'), { nil: null }),
  date,
  administered: fc.boolean(),
  reason: fc.option(fc.constantFrom(...STOP_REASONS), { nil: null }),
  data: fc.option(efficacyData, { nil: null }),
});

const adverseEvent: fc.Arbitrary<ReportAdverseEventInput> = fc.record(
  {
    patient,
    date,
    serious: fc.boolean(),
    expected: fc.boolean(),
    caseId: fc.constantFrom('c1', 'c2', 'event-0', 'event-3'),
    soc: fc.constantFrom('skin', 'infections'),
    pt: fc.constantFrom('rash', 'pneumonia'),
    causality: fc.constantFrom('related' as const, 'not_related' as const, 'unknown' as const),
    fatal: fc.boolean(),
    ledToStop: fc.boolean(),
  },
  { requiredKeys: ['patient', 'date', 'serious', 'expected'] },
);

const options: fc.Arbitrary<PeriodicReportOptions> = fc.record(
  {
    from: fc.constantFrom('2024-09-01', '2025-01-01'),
    to: fc.constantFrom('2025-06-30', '2025-12-31'),
    cutoff: fc.constantFrom('2025-03-01', '2025-07-31', '2025-12-31'),
    everyMonths: fc.constantFrom(1, 3, 6),
    survivalAtMonths: fc.constantFrom(1, 6, 24),
    protocolFrom: fc.constantFrom('2024-10-01', '2025-01-15'),
    numericVariables: fc.constant(['ageYears', 'weightKg', 'score', 'heightCm']),
    categoricalVariables: fc.constant([{ name: 'pregnancyTest', values: ['negative', 'positive', 'not_applicable'] }, { name: 'flag' }, { name: 'ageYears' }]),
  },
  { requiredKeys: ['from', 'to', 'cutoff'] },
);

const cohort = fc.record({
  requests: fc.array(request, { maxLength: 25 }),
  // forms and adverse events interleaved, as the builder takes them in any order
  stream: fc.array(fc.oneof({ arbitrary: form.map((f) => ({ form: f })), weight: 4 }, adverseEvent.map((ae) => ({ ae }))), { maxLength: 60 }),
  patients: maybe(fc.array(fc.record({ patient, sex: fc.option(fc.constantFrom('F', 'M', 'X'), { nil: null }) }), { maxLength: 5 })),
  firstAuthorisations: maybe(fc.array(fc.record({ patient, on: date }), { maxLength: 5 })),
  options,
});

describe('periodic report: compact builder = reference builder (issue 15)', () => {
  it('gives the same report on random cohorts', () => {
    fc.assert(
      fc.property(cohort, ({ requests, stream, patients, firstAuthorisations, options: o }) => {
        const establishments = [
          { finess: 'E1', region: 'Bretagne', category: 'CHU' },
          { finess: 'E2', region: 'Corse', category: 'CHG' },
          { finess: 'E3', region: 'Bretagne', category: 'CHG' },
        ];
        const input = { establishments, ...(patients === undefined ? {} : { patients }), ...(firstAuthorisations === undefined ? {} : { firstAuthorisations }) };
        const ours = PeriodicReportBuilder.start(input, o);
        const reference = ReferencePeriodicReportBuilder.start(input, o);
        if (!ours.ok || !reference.ok) {
          expect(ours).toStrictEqual(reference);
          return;
        }
        for (const r of requests) {
          ours.value.addRequest(r);
          reference.value.addRequest(r);
        }
        for (const item of stream) {
          expect(ours.value.includes(('form' in item ? item.form : item.ae).patient)).toBe(reference.value.includes(('form' in item ? item.form : item.ae).patient));
          if ('form' in item) {
            ours.value.addForm(item.form);
            reference.value.addForm(item.form);
          } else {
            ours.value.addAdverseEvent(item.ae);
            reference.value.addAdverseEvent(item.ae);
          }
        }
        expect(ours.value.finish()).toStrictEqual(reference.value.finish());
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same report when many patients share few dates (ties in decision order)', () => {
    const many = fc.array(
      fc.record({ n: fc.integer({ min: 0, max: 1500 }), on: fc.constantFrom('2025-01-15', '2025-02-28'), age: fc.oneof(fc.integer({ min: 12, max: 80 }), fc.constant(-0)) }),
      { minLength: 1, maxLength: 400 },
    );
    fc.assert(
      fc.property(many, (rows) => {
        const o: PeriodicReportOptions = { from: '2025-01-01', to: '2025-06-30', cutoff: '2025-07-31', numericVariables: ['ageYears', 'score'] };
        const ours = PeriodicReportBuilder.start({ establishments: [] }, o);
        const reference = ReferencePeriodicReportBuilder.start({ establishments: [] }, o);
        if (!ours.ok || !reference.ok) throw new Error('start');
        for (const row of rows) {
          const r: ReportRequestInput = {
            id: `r${row.n}`, patient: `P${row.n}`, establishment: 'E1', prescriber: `d${row.n % 7}`, submittedOn: '2025-01-02',
            decision: { on: row.on, decision: 'authorise' }, clinical: { ageYears: row.age, score: row.n / 7 },
          };
          ours.value.addRequest(r);
          reference.value.addRequest(r);
        }
        for (const row of rows) {
          const f: ReportFormInput = { patient: `P${row.n}`, kind: 'follow-up', due: `M${3 * (row.n % 4)}`, date: '2025-05-01', administered: row.n % 3 !== 0, reason: null, data: { injections: row.n % 5 } };
          ours.value.addForm(f);
          reference.value.addForm(f);
        }
        expect(ours.value.finish()).toStrictEqual(reference.value.finish());
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same report when forms of many visits come in any order (more than 32 labels)', () => {
    const forms = fc.array(
      fc.record({ patient: fc.constantFrom('P1', 'P2', 'P3'), visit: fc.integer({ min: 0, max: 45 }), administered: fc.boolean(), date: fc.constantFrom('2025-02-01', '2025-03-01') }),
      { maxLength: 150 },
    );
    fc.assert(
      fc.property(forms, (rows) => {
        const o: PeriodicReportOptions = { from: '2010-01-01', to: '2025-06-30', cutoff: '2025-07-31' };
        const ours = PeriodicReportBuilder.start({ establishments: [] }, o);
        const reference = ReferencePeriodicReportBuilder.start({ establishments: [] }, o);
        if (!ours.ok || !reference.ok) throw new Error('start');
        for (const p of ['P1', 'P2', 'P3']) {
          const r: ReportRequestInput = { id: p, patient: p, establishment: 'E1', prescriber: 'd1', submittedOn: '2012-01-02', decision: { on: '2012-01-10', decision: 'authorise' }, clinical: {} };
          ours.value.addRequest(r);
          reference.value.addRequest(r);
        }
        for (const row of rows) {
          const f: ReportFormInput = { patient: row.patient, kind: row.visit === 0 ? 'initiation' : 'follow-up', due: row.visit === 0 ? null : `M${3 * row.visit}`, date: row.date, administered: row.administered, reason: null, data: { organResponses: [{ organ: 'skin', response: 'improvement' }] } };
          ours.value.addForm(f);
          reference.value.addForm(f);
        }
        expect(ours.value.finish()).toStrictEqual(reference.value.finish());
      }),
      { numRuns: 100 },
    );
  });
});
