import { EntityManager } from 'typeorm';
import { PeriodFactTables, TreatmentFacts } from '../common/contracts/treatment-facts';
import { periodBounds } from '../common/domain/period';
import { DISCREPANCY_KINDS, DiscrepancyKind } from './domain/reconcile';

/** The temporary tables of one run (dropped at its end, or with its transaction on PostgreSQL). */
const T = {
  treatments: 'rc_treatments',
  transfers: 'rc_transfers',
  orders: 'rc_orders',
  orderLines: 'rc_order_lines',
  recaps: 'rc_recaps',
  presence: 'rc_presence',
  stopped: 'rc_stopped',
  later: 'rc_later',
  orderSums: 'rc_order_sums',
  found: 'rc_found',
} as const;

const FACT_TABLES: PeriodFactTables = { treatments: T.treatments, transfers: T.transfers, orders: T.orders, orderLines: T.orderLines };

/** Order statuses that count in a reconciliation (a refused order, or one of a status it does not know, is left out). */
const COUNTED_STATUSES = "('submitted', 'flagged', 'confirmed', 'reduced')";

interface Dialect {
  postgres: boolean;
  /** A JSON object text from `'key', value` pairs. */
  obj(pairs: string): string;
  /** A JSON array of `value` in `order`, as an aggregate. */
  arr(value: string, order: string): string;
  /** An aggregate JSON array embedded in an object (SQLite keeps it JSON only through json()). */
  sub(select: string): string;
  /** Text compared byte by byte, as JavaScript compares strings. */
  c: string;
  real(param: string): string;
  floor(expr: string): string;
  temp(name: string, columns: string): string[];
}

function dialectOf(manager: EntityManager): Dialect {
  const postgres = manager.connection.options.type === 'postgres';
  return postgres
    ? {
        postgres,
        obj: (pairs) => `json_build_object(${pairs})::text`,
        arr: (value, order) => `COALESCE(json_agg(${value} ORDER BY ${order}), '[]'::json)`,
        sub: (select) => `(${select})`,
        c: ' COLLATE "C"',
        real: (param) => `CAST(${param} AS double precision)`,
        floor: (expr) => `FLOOR(${expr})`,
        temp: (name, columns) => [`CREATE TEMP TABLE ${name} (${columns}) ON COMMIT DROP`],
      }
    : {
        postgres,
        obj: (pairs) => `json_object(${pairs})`,
        arr: (value, order) => `json_group_array(${value} ORDER BY ${order})`,
        sub: (select) => `json((${select}))`,
        c: '',
        real: (param) => param,
        floor: (expr) => `CAST(${expr} AS INTEGER)`,
        temp: (name, columns) => [`DROP TABLE IF EXISTS temp.${name}`, `CREATE TEMP TABLE ${name} (${columns})`],
      };
}

/** `@name` placeholders to the driver's positional ones. */
function bind(postgres: boolean, sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const params: unknown[] = [];
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for @${name}`);
    params.push(values[name]);
    return postgres ? `$${params.length}` : '?';
  });
  return [text, params];
}

export interface SqlReconciliation {
  total: number;
  byKind: Partial<Record<DiscrepancyKind, number>>;
  byEstablishment: Map<string, number>;
}

/**
 * Reconciliation of a medicine's period as SQL over the period's rows (SPEC §5, issue 15), with the
 * same result as the pure `reconcile` (its reference): the treatments and orders are staged by their
 * owner (TREATMENT_FACTS.stagePeriodFacts) into temporary tables, each discrepancy kind is one
 * INSERT … SELECT (joins and anti-joins), and the rows are numbered in `compareDiscrepancies` order
 * into reconciliation_discrepancies with their figures (params) — nothing is read into memory.
 * Runs inside the caller's transaction, which has already removed the previous run's rows.
 */
export async function reconcileInSql(
  manager: EntityManager,
  facts: TreatmentFacts,
  input: { medicine: string; period: string; orderTolerancePct: number; previousPeriod: string },
): Promise<SqlReconciliation> {
  const d = dialectOf(manager);
  const { first, last } = periodBounds(input.period);
  const values = { medicine: input.medicine, period: input.period, previous: input.previousPeriod, first, last, tol: input.orderTolerancePct };
  const exec = async (sql: string): Promise<void> => {
    const [text, params] = bind(d.postgres, sql, values);
    await manager.query(text, params);
  };
  const v = 'varchar(40)';
  const tables: [string, string][] = [
    [T.treatments, `id ${v}, patient ${v}, establishment ${v}, start_date ${v}, stop_date ${v}`],
    [T.transfers, `treatment_id ${v}, seq integer, date ${v}, from_establishment ${v}, to_establishment ${v}`],
    [T.orders, `id ${v}, establishment ${v}, status ${v}, quantity integer, need integer`],
    [T.orderLines, `order_id ${v}, patient ${v}, vials integer`],
    [T.recaps, `establishment ${v} PRIMARY KEY, recap_id ${v}, lines integer, vials integer`],
    [T.presence, `patient ${v}, establishment ${v}, from_date ${v}, through_end integer, PRIMARY KEY (patient, establishment)`],
    [T.stopped, `patient ${v} PRIMARY KEY, stop_date ${v}, establishment ${v}`],
    [T.later, `patient ${v} PRIMARY KEY, start_date ${v}`],
    [T.orderSums, `establishment ${v} PRIMARY KEY, orders integer, quantity integer, need integer`],
    [T.found, `kind_rank integer, kind ${v}, establishment ${v}, patient ${v}, params text`],
  ];
  for (const [name, columns] of tables) for (const sql of d.temp(name, columns)) await manager.query(sql);

  await facts.stagePeriodFacts(manager, input.medicine, input.period, FACT_TABLES);
  await manager.query(`CREATE INDEX rc_transfers_key ON ${T.transfers} (treatment_id, seq)`);
  await manager.query(`CREATE INDEX rc_order_lines_order ON ${T.orderLines} (order_id)`);

  // The recaps of the period, one per establishment (a unique index), with their line count and vials.
  await exec(
    `INSERT INTO ${T.recaps} (establishment, recap_id, lines, vials) SELECT r.establishment, r.id, COUNT(l.patient), COALESCE(SUM(l.vials), 0) ` +
      `FROM recaps r LEFT JOIN recap_lines l ON l.recap_id = r.id WHERE r.medicine = @medicine AND r.period = @period GROUP BY r.establishment, r.id`,
  );

  // Where each patient was treated during the period: the stays of each treatment (from its start
  // or a transfer to the next transfer or its stop) that meet the period, by establishment.
  await exec(
    `INSERT INTO ${T.presence} (patient, establishment, from_date, through_end) ` +
      `SELECT patient, establishment, MIN(from_date), MAX(CASE WHEN to_date IS NULL OR to_date > @last THEN 1 ELSE 0 END) FROM (` +
      `SELECT t.patient AS patient, COALESCE(x.from_establishment, t.establishment) AS establishment, t.start_date AS from_date, COALESCE(x.date, t.stop_date) AS to_date ` +
      `FROM ${T.treatments} t LEFT JOIN ${T.transfers} x ON x.treatment_id = t.id AND x.seq = 1 ` +
      `UNION ALL SELECT t.patient, x.to_establishment, x.date, COALESCE(n.date, t.stop_date) ` +
      `FROM ${T.transfers} x JOIN ${T.treatments} t ON t.id = x.treatment_id LEFT JOIN ${T.transfers} n ON n.treatment_id = x.treatment_id AND n.seq = x.seq + 1` +
      `) s WHERE from_date <= @last AND (to_date IS NULL OR to_date >= @first) GROUP BY patient, establishment`,
  );
  // The latest stop before the period of each patient (ties: the smaller establishment), and the first start after it.
  await exec(
    `INSERT INTO ${T.stopped} (patient, stop_date, establishment) SELECT patient, stop_date, establishment FROM (` +
      `SELECT patient, stop_date, establishment, ROW_NUMBER() OVER (PARTITION BY patient ORDER BY stop_date DESC, establishment${d.c} ASC) AS k ` +
      `FROM ${T.treatments} WHERE stop_date IS NOT NULL AND stop_date < @first) s WHERE k = 1`,
  );
  await exec(`INSERT INTO ${T.later} (patient, start_date) SELECT patient, MIN(start_date) FROM ${T.treatments} WHERE start_date > @last GROUP BY patient`);
  await exec(
    `INSERT INTO ${T.orderSums} (establishment, orders, quantity, need) SELECT establishment, COUNT(*), SUM(quantity), SUM(need) FROM ${T.orders} ` +
      `WHERE status IN ${COUNTED_STATUSES} GROUP BY establishment`,
  );

  const rank = (kind: DiscrepancyKind): number => DISCREPANCY_KINDS.indexOf(kind);
  const found = `INSERT INTO ${T.found} (kind_rank, kind, establishment, patient, params) `;
  // A patient stopped before the period and not treated in it: its lines are STOPPED_BUT_ORDERED, not UNDECLARED_PATIENT.
  const stoppedOnly = (patient: string): string =>
    `(EXISTS (SELECT 1 FROM ${T.stopped} s WHERE s.patient = ${patient}) AND NOT EXISTS (SELECT 1 FROM ${T.presence} a WHERE a.patient = ${patient}))`;

  await exec(
    found +
      `SELECT ${rank('UNDECLARED_PATIENT')}, 'UNDECLARED_PATIENT', r.establishment, l.patient, ${d.obj(
        `'patient', l.patient, 'administrations', l.administrations, 'vials', l.vials, ` +
          `'declaredAt', ${d.sub(`SELECT ${d.arr('a.establishment', `a.establishment${d.c}`)} FROM ${T.presence} a WHERE a.patient = l.patient`)}, ` +
          `'laterStart', CASE WHEN EXISTS (SELECT 1 FROM ${T.presence} a WHERE a.patient = l.patient) THEN NULL ELSE (SELECT s.start_date FROM ${T.later} s WHERE s.patient = l.patient) END`,
      )} ` +
      `FROM ${T.recaps} r JOIN recap_lines l ON l.recap_id = r.recap_id ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${T.presence} a WHERE a.patient = l.patient AND a.establishment = r.establishment) AND NOT ${stoppedOnly('l.patient')}`,
  );

  await exec(
    found +
      `SELECT ${rank('DUPLICATE_ACROSS_ESTABLISHMENTS')}, 'DUPLICATE_ACROSS_ESTABLISHMENTS', r.establishment, l.patient, ${d.obj(
        `'patient', l.patient, 'recaps', ${d.sub(
          `SELECT ${d.arr(d.obj(`'establishment', r2.establishment, 'vials', l2.vials`).replace(/::text$/, ''), `r2.establishment${d.c}`)} ` +
            `FROM ${T.recaps} r2 JOIN recap_lines l2 ON l2.recap_id = r2.recap_id WHERE l2.patient = l.patient`,
        )}`,
      )} ` +
      `FROM ${T.recaps} r JOIN recap_lines l ON l.recap_id = r.recap_id WHERE l.patient IN (` +
      `SELECT l3.patient FROM ${T.recaps} r3 JOIN recap_lines l3 ON l3.recap_id = r3.recap_id GROUP BY l3.patient HAVING COUNT(*) > 1 ` +
      `AND SUM(CASE WHEN EXISTS (SELECT 1 FROM ${T.presence} a WHERE a.patient = l3.patient AND a.establishment = r3.establishment) THEN 0 ELSE 1 END) > 0)`,
  );

  await exec(
    found +
      `SELECT ${rank('MISSING_FROM_RECAP')}, 'MISSING_FROM_RECAP', a.establishment, a.patient, ${d.obj(`'patient', a.patient, 'from', a.from_date, 'listed', r.lines`)} ` +
      `FROM ${T.presence} a JOIN ${T.recaps} r ON r.establishment = a.establishment WHERE a.through_end = 1 AND NOT EXISTS (` +
      `SELECT 1 FROM ${T.presence} b JOIN ${T.recaps} rb ON rb.establishment = b.establishment JOIN recap_lines lb ON lb.recap_id = rb.recap_id AND lb.patient = b.patient ` +
      `WHERE b.patient = a.patient)`,
  );

  const limit = d.floor(`(COALESCE(r.vials, o.need) * (100 + ${d.real('@tol')})) / 100 + 1e-9`);
  await exec(
    found +
      `SELECT ${rank('ORDER_EXCEEDS_NEED')}, 'ORDER_EXCEEDS_NEED', o.establishment, NULL, ${d.obj(
        `'orders', o.orders, 'vials', o.quantity, 'base', CASE WHEN r.establishment IS NULL THEN 'need' ELSE 'recap' END, 'baseVials', COALESCE(r.vials, o.need), ` +
          `'tolerancePct', ${d.real('@tol')}, 'limitVials', ${limit}`,
      )} ` +
      `FROM ${T.orderSums} o LEFT JOIN ${T.recaps} r ON r.establishment = o.establishment WHERE o.quantity > ${limit}`,
  );
  await exec(
    found +
      `SELECT ${rank('ORDER_WITHOUT_RECAP')}, 'ORDER_WITHOUT_RECAP', o.establishment, NULL, ${d.obj(`'orders', o.orders, 'vials', o.quantity`)} ` +
      `FROM ${T.orderSums} o WHERE NOT EXISTS (SELECT 1 FROM ${T.recaps} r WHERE r.establishment = o.establishment)`,
  );

  // Recap and order lines (counted orders) of patients stopped before the period, one per establishment and patient.
  await exec(
    found +
      `SELECT ${rank('STOPPED_BUT_ORDERED')}, 'STOPPED_BUT_ORDERED', u.establishment, u.patient, ${d.obj(
        `'patient', u.patient, 'stopDate', s.stop_date, 'stoppedAt', s.establishment, 'recapVials', MAX(u.recap_vials), 'orderVials', SUM(u.order_vials)`,
      )} FROM (` +
      `SELECT r.establishment AS establishment, l.patient AS patient, l.vials AS recap_vials, 0 AS order_vials FROM ${T.recaps} r JOIN recap_lines l ON l.recap_id = r.recap_id ` +
      `UNION ALL SELECT o.establishment, ol.patient, NULL, ol.vials FROM ${T.orders} o JOIN ${T.orderLines} ol ON ol.order_id = o.id WHERE o.status IN ${COUNTED_STATUSES}` +
      `) u JOIN ${T.stopped} s ON s.patient = u.patient WHERE NOT EXISTS (SELECT 1 FROM ${T.presence} a WHERE a.patient = u.patient) ` +
      `GROUP BY u.establishment, u.patient, s.stop_date, s.establishment`,
  );

  // No recap from an establishment with a treatment running at the period's end, or that sent one the period before.
  await exec(
    found +
      `SELECT ${rank('RECAP_MISSING')}, 'RECAP_MISSING', e.establishment, NULL, ${d.obj(`'running', e.running`)} FROM (` +
      `SELECT establishment, SUM(running) AS running FROM (` +
      `SELECT establishment, 1 AS running FROM ${T.presence} WHERE through_end = 1 ` +
      `UNION ALL SELECT establishment, 0 FROM recaps WHERE medicine = @medicine AND period = @previous` +
      `) x GROUP BY establishment) e WHERE NOT EXISTS (SELECT 1 FROM ${T.recaps} r WHERE r.establishment = e.establishment)`,
  );

  await exec(
    `INSERT INTO reconciliation_discrepancies (medicine, period, seq, kind, establishment, patient, detail, params) ` +
      `SELECT @medicine, @period, ROW_NUMBER() OVER (ORDER BY kind_rank, establishment${d.c}, patient${d.c} NULLS FIRST), kind, establishment, patient, NULL, params FROM ${T.found}`,
  );
  const counts: { kind: DiscrepancyKind; establishment: string; n: number | string }[] = await manager.query(
    ...bind(d.postgres, `SELECT kind, establishment, COUNT(*) AS n FROM ${T.found} GROUP BY kind, establishment`, {}),
  );
  if (!d.postgres) for (const [name] of tables) await manager.query(`DROP TABLE IF EXISTS temp.${name}`);

  const byKind: Partial<Record<DiscrepancyKind, number>> = {};
  const byEstablishment = new Map<string, number>();
  let total = 0;
  for (const row of counts) {
    const n = Number(row.n);
    total += n;
    byKind[row.kind] = (byKind[row.kind] ?? 0) + n;
    byEstablishment.set(row.establishment, (byEstablishment.get(row.establishment) ?? 0) + n);
  }
  const ordered: Partial<Record<DiscrepancyKind, number>> = {};
  for (const kind of DISCREPANCY_KINDS) if (byKind[kind] !== undefined) ordered[kind] = byKind[kind];
  return { total, byKind: ordered, byEstablishment };
}
