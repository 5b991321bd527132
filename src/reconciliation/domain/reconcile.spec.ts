import fc from 'fast-check';
import {
  Discrepancy,
  ReconcileInput,
  ReconcileOrder,
  ReconcileRecap,
  ReconcileTreatment,
  checkReconciliationPeriod,
  compareDiscrepancies,
  recapDeadline,
  reconcile,
} from './reconcile';

const A = '130786049';
const B = '690781810';
const C = '750712184';
const P1 = 'P-AAAAAAAAA2';
const P2 = 'P-BBBBBBBBB2';
const P3 = 'P-CCCCCCCCC3';
const P4 = 'P-DDDDDDDDD4';

const treatment = (patient: string, establishment: string, startDate: string, stopDate: string | null = null, transfers: ReconcileTreatment['transfers'] = []): ReconcileTreatment => ({
  patient,
  establishment,
  startDate,
  stopDate,
  transfers,
});
const recap = (establishment: string, ...lines: [string, number, number][]): ReconcileRecap => ({
  establishment,
  patients: lines.map(([patient, administrations, vials]) => ({ patient, administrations, vials })),
});
const order = (establishment: string, quantityVials: number, needVials: number, lines: [string, number][] = [], status: ReconcileOrder['status'] = 'confirmed'): ReconcileOrder => ({
  establishment,
  status,
  quantityVials,
  needVials,
  lines: lines.map(([patient, vials]) => ({ patient, vials })),
});
const base = (over: Partial<ReconcileInput>): ReconcileInput => ({ period: '2024-03', orderTolerancePct: 10, recaps: [], treatments: [], orders: [], ...over });
const kinds = (ds: Discrepancy[]): [string, string, string | null][] => ds.map((d) => [d.kind, d.establishment, d.patient]);

describe('reconciliation of a period (SPEC §5)', () => {
  it('finds nothing when recaps, treatments and orders agree', () => {
    const ds = reconcile(
      base({
        treatments: [treatment(P1, A, '2023-01-10'), treatment(P2, A, '2024-03-12'), treatment(P3, B, '2022-05-01', '2024-03-20')],
        recaps: [recap(A, [P1, 1, 2], [P2, 2, 6]), recap(B, [P3, 1, 3])],
        orders: [order(A, 8, 8, [[P1, 2], [P2, 6]]), order(B, 3, 3, [[P3, 3]])],
      }),
    );
    expect(ds).toEqual([]);
  });

  it('reports a patient in a recap with no treatment declared there (UNDECLARED_PATIENT)', () => {
    const ds = reconcile(base({ treatments: [treatment(P1, A, '2023-01-10'), treatment(P3, A, '2024-04-02')], recaps: [recap(A, [P1, 1, 2], [P2, 1, 3], [P3, 1, 2])] }));
    expect(ds).toEqual([
      {
        kind: 'UNDECLARED_PATIENT',
        establishment: A,
        patient: P2,
        detail: `${P2} is in the 2024-03 recap (1 administration, 3 vials) but no treatment of it is declared here in that period: no treatment of this patient is declared.`,
        params: { patient: P2, administrations: 1, vials: 3, declaredAt: [], laterStart: null },
      },
      expect.objectContaining({ kind: 'UNDECLARED_PATIENT', patient: P3, detail: expect.stringContaining('starts on 2024-04-02, after the period') }),
    ]);
  });

  it('reports a patient declared active, absent from the recap, with no stop (MISSING_FROM_RECAP)', () => {
    const ds = reconcile(
      base({
        treatments: [treatment(P1, A, '2023-01-10'), treatment(P2, A, '2023-06-01'), treatment(P3, A, '2023-06-01', '2024-03-15')],
        recaps: [recap(A, [P1, 1, 2])],
      }),
    );
    expect(ds).toEqual([
      {
        kind: 'MISSING_FROM_RECAP',
        establishment: A,
        patient: P2,
        detail: `${P2} is declared on treatment here from 2023-06-01 with no stop or transfer before the end of 2024-03, but is not in the 2024-03 recap (1 patient listed).`,
        params: { patient: P2, from: '2023-06-01', listed: 1 },
      },
    ]);
  });

  it('reports a patient in two recaps with no transfer between them (DUPLICATE_ACROSS_ESTABLISHMENTS), once per establishment', () => {
    const ds = reconcile(base({ treatments: [treatment(P1, A, '2023-01-10')], recaps: [recap(B, [P1, 1, 2]), recap(A, [P1, 1, 3])] }));
    expect(kinds(ds)).toEqual([
      ['UNDECLARED_PATIENT', B, P1],
      ['DUPLICATE_ACROSS_ESTABLISHMENTS', A, P1],
      ['DUPLICATE_ACROSS_ESTABLISHMENTS', B, P1],
    ]);
    expect(ds[1]?.params).toEqual({ patient: P1, recaps: [{ establishment: A, vials: 3 }, { establishment: B, vials: 2 }] });
    expect(ds[1]?.detail).toBe(
      `${P1} is in the 2024-03 recaps of 2 establishments (${A}: 3 vials, ${B}: 2 vials) with no declared transfer placing its treatment at each of them in the period.`,
    );
  });

  it('does not count a transfer declared within the period as a duplicate', () => {
    const moved = treatment(P1, B, '2023-01-10', null, [{ date: '2024-03-14', fromEstablishment: A, toEstablishment: B }]);
    const ds = reconcile(base({ treatments: [moved], recaps: [recap(A, [P1, 1, 2]), recap(B, [P1, 1, 2])] }));
    expect(ds).toEqual([]);
  });

  it('expects a transferred patient in one of its two recaps only, and not at the old establishment after a transfer before the period', () => {
    const during = treatment(P1, B, '2023-01-10', null, [{ date: '2024-03-14', fromEstablishment: A, toEstablishment: B }]);
    const before = treatment(P2, B, '2023-01-10', null, [{ date: '2024-02-20', fromEstablishment: A, toEstablishment: B }]);
    expect(reconcile(base({ treatments: [during, before], recaps: [recap(A, [P1, 1, 2]), recap(B, [P2, 1, 2])] }))).toEqual([]);
    const stale = reconcile(base({ treatments: [before], recaps: [recap(A, [P2, 1, 2]), recap(B)] }));
    expect(kinds(stale)).toEqual([
      ['UNDECLARED_PATIENT', A, P2],
      ['MISSING_FROM_RECAP', B, P2],
    ]);
    expect(stale[0]?.detail).toContain(`its treatment is declared at ${B}`);
    expect(stale[0]?.params).toMatchObject({ declaredAt: [B], laterStart: null });
  });

  it('reports orders above the recap vials plus the tolerance (ORDER_EXCEEDS_NEED)', () => {
    const input = base({ treatments: [treatment(P1, A, '2023-01-10')], recaps: [recap(A, [P1, 3, 30])] });
    expect(reconcile({ ...input, orders: [order(A, 20, 20), order(A, 13, 13)] })).toEqual([]); // 33 = 30 + 10 %
    expect(reconcile({ ...input, orders: [order(A, 20, 20), order(A, 14, 14), order(A, 50, 50, [], 'refused')] })).toEqual([
      {
        kind: 'ORDER_EXCEEDS_NEED',
        establishment: A,
        patient: null,
        detail: '2 orders for 2024-03 total 34 vials, above the 30 vials of the recap plus the 10% tolerance (at most 33 vials).',
        params: { orders: 2, vials: 34, base: 'recap', baseVials: 30, tolerancePct: 10, limitVials: 33 },
      },
    ]);
  });

  it('reports orders without a recap, and measures them against their computed need (ORDER_WITHOUT_RECAP)', () => {
    const ds = reconcile(base({ orders: [order(C, 12, 10), order(B, 4, 4), order(B, 5, 5, [], 'refused')] }));
    expect(ds).toEqual([
      { kind: 'ORDER_EXCEEDS_NEED', establishment: C, patient: null, detail: '1 order for 2024-03 total 12 vials, above the 10 vials of their computed need plus the 10% tolerance (at most 11 vials).', params: { orders: 1, vials: 12, base: 'need', baseVials: 10, tolerancePct: 10, limitVials: 11 } },
      { kind: 'ORDER_WITHOUT_RECAP', establishment: B, patient: null, detail: '1 order for 2024-03 total 4 vials, but no recap was received for the period.', params: { orders: 1, vials: 4 } },
      { kind: 'ORDER_WITHOUT_RECAP', establishment: C, patient: null, detail: '1 order for 2024-03 total 12 vials, but no recap was received for the period.', params: { orders: 1, vials: 12 } },
    ]);
  });

  it('reports a recap or order line for a patient stopped before the period (STOPPED_BUT_ORDERED), not as undeclared', () => {
    const ds = reconcile(
      base({
        treatments: [treatment(P1, A, '2023-01-10', '2024-02-10'), treatment(P2, A, '2023-01-10'), treatment(P3, A, '2022-01-01', '2023-01-01'), treatment(P3, B, '2024-03-02')],
        recaps: [recap(A, [P1, 1, 2], [P2, 1, 2])],
        orders: [order(A, 4, 6, [[P1, 2], [P2, 2], [P1, 2], [P3, 2]])],
      }),
    );
    expect(ds).toEqual([
      {
        kind: 'STOPPED_BUT_ORDERED',
        establishment: A,
        patient: P1,
        detail: `${P1}'s treatment stopped on 2024-02-10 (at ${A}), before 2024-03, yet it is in the 2024-03 recap (2 vials) and the 2024-03 orders (4 vials).`,
        params: { patient: P1, stopDate: '2024-02-10', stoppedAt: A, recapVials: 2, orderVials: 4 },
      },
      expect.objectContaining({ kind: 'RECAP_MISSING', establishment: B }),
    ]);
  });

  it('reports an establishment with running treatments, or expected, that sent no recap (RECAP_MISSING)', () => {
    const ds = reconcile(
      base({
        treatments: [treatment(P1, B, '2023-01-10'), treatment(P2, B, '2023-01-10'), treatment(P3, C, '2023-01-10', '2024-03-05')],
        expectedEstablishments: [A],
      }),
    );
    expect(ds).toEqual([
      { kind: 'RECAP_MISSING', establishment: A, patient: null, detail: 'No 2024-03 recap was received although this establishment is expected to send one.', params: { running: 0 } },
      { kind: 'RECAP_MISSING', establishment: B, patient: null, detail: 'No 2024-03 recap was received although 2 patients are declared on treatment here at the end of the period.', params: { running: 2 } },
    ]);
  });

  it('sorts by kind in SPEC order, then establishment, then patient with establishment-wide ones first', () => {
    const list: Discrepancy[] = [
      { kind: 'RECAP_MISSING', establishment: A, patient: null, detail: '', params: { running: 0 } },
      { kind: 'UNDECLARED_PATIENT', establishment: B, patient: P1, detail: '', params: { patient: '', administrations: 0, vials: 0, declaredAt: [], laterStart: null } },
      { kind: 'UNDECLARED_PATIENT', establishment: A, patient: P2, detail: '', params: { patient: '', administrations: 0, vials: 0, declaredAt: [], laterStart: null } },
      { kind: 'UNDECLARED_PATIENT', establishment: A, patient: P1, detail: '', params: { patient: '', administrations: 0, vials: 0, declaredAt: [], laterStart: null } },
    ];
    expect(kinds([...list].sort(compareDiscrepancies))).toEqual([
      ['UNDECLARED_PATIENT', A, P1],
      ['UNDECLARED_PATIENT', A, P2],
      ['UNDECLARED_PATIENT', B, P1],
      ['RECAP_MISSING', A, null],
    ]);
  });

  it('throws on broken invariants: two recaps of one establishment, a transfer chain that does not join', () => {
    expect(() => reconcile(base({ recaps: [recap(A), recap(A)] }))).toThrow('two recaps');
    const broken = treatment(P1, C, '2023-01-10', null, [{ date: '2024-01-01', fromEstablishment: A, toEstablishment: B }]);
    expect(() => reconcile(base({ treatments: [broken] }))).toThrow('recorded at');
  });

  it('due date and period checks: the recap deadline is the 10th of the next month; only ended periods are reconciled', () => {
    expect(recapDeadline('2024-12')).toBe('2025-01-10');
    expect(checkReconciliationPeriod('2024-03', '2024-03-31')).toMatchObject({ ok: false, error: { code: 'RECONCILIATION_PERIOD_NOT_ENDED' } });
    expect(checkReconciliationPeriod('2024-03', '2024-04-01')).toEqual({ ok: true, value: '2024-03' });
    expect(checkReconciliationPeriod('2024-3', '2024-04-01')).toMatchObject({ ok: false, error: { code: 'RECONCILIATION_PERIOD_INVALID' } });
  });
});

describe('reconciliation invariants (SPEC §5: re-running gives the same result)', () => {
  const establishments = [A, B, C];
  const patients = [P1, P2, P3, P4, 'P-EEEEEEEEE5', 'P-FFFFFFFFF6'];
  const day = fc.integer({ min: 0, max: 150 }).map((n) => new Date(Date.UTC(2024, 0, 15 + n)).toISOString().slice(0, 10));

  const treatmentArb = fc
    .record({
      patient: fc.constantFrom(...patients),
      start: day,
      path: fc.array(fc.constantFrom(...establishments), { minLength: 1, maxLength: 3 }),
      gaps: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 3, maxLength: 3 }),
      stopAfter: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
    })
    .map(({ patient, start, path, gaps, stopAfter }): ReconcileTreatment => {
      const at = path.filter((e, i) => i === 0 || e !== path[i - 1]);
      let date = start;
      const transfers = at.slice(1).map((to, i) => {
        date = new Date(Date.parse(date) + (gaps[i] ?? 1) * 86_400_000).toISOString().slice(0, 10);
        return { date, fromEstablishment: at[i] ?? A, toEstablishment: to };
      });
      const stopDate = stopAfter === null ? null : new Date(Date.parse(date) + stopAfter * 86_400_000).toISOString().slice(0, 10);
      return { patient, establishment: at[at.length - 1] ?? A, startDate: start, stopDate, transfers };
    });
  const recapsArb = fc.uniqueArray(
    fc.record({
      establishment: fc.constantFrom(...establishments),
      patients: fc.uniqueArray(fc.record({ patient: fc.constantFrom(...patients), administrations: fc.nat(4), vials: fc.nat(12) }), { selector: (l) => l.patient, maxLength: 5 }),
    }),
    { selector: (r) => r.establishment, maxLength: 3 },
  );
  const ordersArb = fc.array(
    fc.record({
      establishment: fc.constantFrom(...establishments),
      status: fc.constantFrom('submitted' as const, 'flagged' as const, 'confirmed' as const, 'reduced' as const, 'refused' as const),
      quantityVials: fc.nat(40),
      needVials: fc.nat(40),
      lines: fc.array(fc.record({ patient: fc.constantFrom(...patients), vials: fc.nat(8) }), { maxLength: 4 }),
    }),
    { maxLength: 4 },
  );
  const inputArb = fc.record({
    period: fc.constantFrom('2024-02', '2024-03', '2024-04'),
    orderTolerancePct: fc.constantFrom(0, 10, 12.5),
    expectedEstablishments: fc.uniqueArray(fc.constantFrom(...establishments), { maxLength: 2 }),
    recaps: recapsArb,
    treatments: fc.array(treatmentArb, { maxLength: 8 }),
    orders: ordersArb,
  });
  const shuffle = <T>(items: readonly T[], keys: readonly number[]): T[] =>
    items.map((item, i) => ({ item, key: keys[i % Math.max(keys.length, 1)] ?? 0, i })).sort((a, b) => a.key - b.key || b.i - a.i).map((x) => x.item);

  it('gives the same discrepancies whatever the order of the inputs', () => {
    fc.assert(
      fc.property(inputArb, fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), (input, keys) => {
        const shuffled: ReconcileInput = {
          ...input,
          expectedEstablishments: shuffle(input.expectedEstablishments, keys),
          recaps: shuffle(input.recaps, keys).map((r) => ({ ...r, patients: shuffle(r.patients, keys) })),
          treatments: shuffle(input.treatments, keys).map((t) => ({ ...t, transfers: shuffle(t.transfers, keys) })),
          orders: shuffle(input.orders, keys).map((o) => ({ ...o, lines: shuffle(o.lines, keys) })),
        };
        expect(reconcile(shuffled)).toEqual(reconcile(input));
      }),
      { numRuns: 400 },
    );
  });

  it('gives identical results when re-run, sorted, with no two discrepancies of one kind for one establishment and patient', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const first = reconcile(input);
        expect(reconcile(input)).toEqual(first);
        const keys = first.map((d) => `${d.kind}|${d.establishment}|${d.patient ?? ''}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect([...first].sort(compareDiscrepancies)).toEqual(first);
        for (const d of first) expect(d.detail).toMatch(/\d/);
      }),
      { numRuns: 300 },
    );
  });

  it('reconciles 100,000 treated patients in 2,000 establishments in well under 5 seconds', () => {
    const treatments: ReconcileTreatment[] = [];
    const recaps: ReconcileRecap[] = [];
    const orders: ReconcileOrder[] = [];
    for (let e = 0; e < 2_000; e++) {
      const establishment = `E${String(e).padStart(8, '0')}`;
      const lines: ReconcileRecap['patients'][number][] = [];
      for (let p = 0; p < 50; p++) {
        const patient = `P-${String(e * 50 + p).padStart(10, '0')}`;
        treatments.push(treatment(patient, establishment, '2023-01-01', p === 49 ? '2024-03-10' : null));
        if (p !== 7 || e % 10 !== 0) lines.push({ patient, administrations: 1, vials: 3 });
      }
      if (e % 100 !== 5) recaps.push({ establishment, patients: lines });
      orders.push(order(establishment, e % 50 === 0 ? 200 : 150, 150));
    }
    const started = Date.now();
    const ds = reconcile(base({ treatments, recaps, orders }));
    expect(Date.now() - started).toBeLessThan(5_000);
    const count = (kind: Discrepancy['kind']): number => ds.filter((d) => d.kind === kind).length;
    expect(count('MISSING_FROM_RECAP')).toBe(200 - 0);
    expect(count('RECAP_MISSING')).toBe(20);
    expect(count('ORDER_WITHOUT_RECAP')).toBe(20);
    expect(count('ORDER_EXCEEDS_NEED')).toBe(40);
  });
});
