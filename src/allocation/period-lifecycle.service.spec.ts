import { TestingModule, Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { SYSTEM_ACTOR } from '../common/domain/roles';
import { UnitOfWork } from '../common/database/unit-of-work';
import { loadConfig } from '../config/config';
import { PoliciesService } from '../medicines/policies.service';
import { PeriodLifecycle } from './period-lifecycle.service';

const AT = '2023-01-01T00:00:00.000Z';
/** Three medicines computed together (prepareMany) and their twins computed one at a time (prepare). */
const TOGETHER = ['SETA', 'SETB', 'SETC'];
const ALONE = ['ONEA', 'ONEB', 'ONEC'];
const FINESSES = Array.from({ length: 40 }, (_, i) => String(750_100_000 + i * 7));

/**
 * The set-based period start (issue 15) against the one-medicine path, on an in-memory SQLite database migrated as in
 * production: the same rows (period and centre figures, credits carried, unused slots carried where the policy says so,
 * capacity events counted), the same audit events, and a medicine whose policy changed mid-period recomputed.
 */
describe('PeriodLifecycle.prepareMany is prepare for many medicines at once', () => {
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let lifecycle: PeriodLifecycle;
  let policies: PoliciesService;

  const policyRow = (medicine: string, version: number, effectiveFrom: string, quotaPool: number, unusedQuota: 'lapse' | 'carry', mode = 'capped'): unknown[] => [
    `${medicine}-v${version}`,
    medicine,
    version,
    effectiveFrom,
    mode,
    mode === 'freed-stock' ? null : quotaPool + 5,
    quotaPool,
    '[]',
    unusedQuota,
    0,
    2,
    48,
    30,
    10,
    0,
    1,
    null,
    null,
    AT,
    'agency',
  ];

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', CONTINGENT_DEMO: 'false', LOG_LEVEL: 'silent', JOBS_CRON: 'false', PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef', AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64') });
    moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    dataSource = moduleRef.get(DataSource);
    await dataSource.runMigrations({ transaction: 'each' });
    unitOfWork = moduleRef.get(UnitOfWork);
    lifecycle = moduleRef.get(PeriodLifecycle);
    policies = moduleRef.get(PoliciesService);
    for (const f of FINESSES) await dataSource.query("INSERT INTO establishments (finess, name, region, category, transplant_centre, fictitious, created_at) VALUES (?, 'Centre', 'Région', 'CHU', 1, 1, ?)", [f, AT]);
    // Followed patients: a first count in January, changed for some centres in March (the latest up to the period counts).
    for (const [i, f] of FINESSES.entries()) {
      await dataSource.query('INSERT INTO followed_patients (finess, period, count, updated_at) VALUES (?, ?, ?, ?)', [f, '2023-01', (i * 13) % 17, AT]);
      if (i % 3 === 0) await dataSource.query('INSERT INTO followed_patients (finess, period, count, updated_at) VALUES (?, ?, ?, ?)', [f, '2023-03', (i * 5) % 11, AT]);
    }
    const head =
      'INSERT INTO policies (id, medicine_code, version, effective_from, mode, monthly_cap, quota_pool, indications, unused_quota, redistribute, votes_required, deadline_hours, start_within_days, order_tolerance_pct, registration_required, order_justification_required, schedule, notes, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    for (const [k, medicine] of [...TOGETHER, ...ALONE].entries()) {
      const twin = k % 3;
      await dataSource.query("INSERT INTO medicines (code, name, unit, unit_mg, scheme, created_at) VALUES (?, ?, 'vial', 250, 'rationing', ?)", [medicine, medicine, AT]);
      // A: lapse then carry (unused slots of February carried into March); B: carry; C: freed-stock in March.
      await dataSource.query(head, policyRow(medicine, 1, '2023-01-01', 23 + twin, twin === 1 ? 'carry' : 'lapse'));
      if (twin === 0) await dataSource.query(head, policyRow(medicine, 2, '2023-02-01', 19, 'carry'));
      if (twin === 2) await dataSource.query(head, policyRow(medicine, 2, '2023-03-01', 0, 'lapse', 'freed-stock'));
      // A stop declared in March frees an initiation (counted in freed-stock mode).
      await dataSource.query("INSERT INTO capacity_events (id, medicine, period, kind, initiations, source, establishment, declared_by, at) VALUES (?, ?, '2023-03', 'stop', 2, ?, NULL, 'prescriber', ?)", [`stop-${medicine}`, medicine, `t-${medicine}`, AT]);
    }
  });

  afterAll(async () => {
    await moduleRef.close();
  });

  const inForce = async (medicine: string, date: string) => (await policies.versionsOf([medicine])).get(medicine)!.filter((p) => p.effectiveFrom <= date).pop()!;

  async function startTogether(period: string): Promise<void> {
    const items = await Promise.all(TOGETHER.map(async (medicine) => ({ medicine, policy: await inForce(medicine, `${period}-01`) })));
    await unitOfWork.run((m) => lifecycle.prepareMany(m, SYSTEM_ACTOR, period, items));
  }

  async function startAlone(period: string): Promise<void> {
    for (const medicine of ALONE) {
      const policy = await inForce(medicine, `${period}-01`);
      await unitOfWork.run((m) => lifecycle.prepare(m, SYSTEM_ACTOR, medicine, period, policy));
    }
  }

  /** A medicine's stored rows of a period, its code left out (twins compare equal). */
  async function stored(medicine: string, period: string): Promise<unknown> {
    const [row] = await dataSource.query<Record<string, unknown>[]>('SELECT * FROM period_allocations WHERE medicine = ? AND period = ?', [medicine, period]);
    const centres = await dataSource.query<Record<string, unknown>[]>('SELECT * FROM centre_allocations WHERE medicine = ? AND period = ? ORDER BY finess', [medicine, period]);
    const audit = await dataSource.query<{ action: string; after: string }[]>("SELECT action, after FROM audit_pending WHERE entity_id = ? UNION ALL SELECT action, after FROM audit_events WHERE entity_id = ?", [`${medicine}/${period}`, `${medicine}/${period}`]);
    const strip = ({ medicine: _m, computed_at: _c, ...rest }: Record<string, unknown>) => rest;
    return { row: row ? strip(row) : null, centres: centres.map(strip), audit: audit.map((a) => ({ action: a.action, after: JSON.parse(a.after) as unknown })) };
  }

  it('stores the same periods, month after month, as one medicine at a time (credits and unused slots carried, capacity counted)', async () => {
    for (const period of ['2023-01', '2023-02', '2023-03']) {
      await startTogether(period);
      await startAlone(period);
      for (const [k, medicine] of TOGETHER.entries()) {
        const together = await stored(medicine, period);
        expect(together).toEqual(await stored(ALONE[k]!, period));
        expect((together as { centres: unknown[] }).centres).toHaveLength(FINESSES.length);
        expect((together as { audit: { action: string }[] }).audit.map((a) => a.action)).toEqual(['allocation.computed']);
      }
    }
    // Slots were really carried and credits really moved, so the comparison above compared something.
    const [carried] = await dataSource.query<{ n: number }[]>("SELECT SUM(carried_slots) AS n FROM centre_allocations WHERE medicine = 'SETA' AND period = '2023-03'");
    expect(Number(carried!.n)).toBeGreaterThan(0);
    const [freed] = await dataSource.query<{ freed_capacity: number; national_capacity: number }[]>("SELECT freed_capacity, national_capacity FROM period_allocations WHERE medicine = 'SETC' AND period = '2023-03'");
    expect(freed).toMatchObject({ freed_capacity: 2 });
  });

  it('leaves a period already computed under the version in force as it is, and recomputes one whose version changed', async () => {
    const before = await stored('SETB', '2023-03');
    await startTogether('2023-03');
    expect(await stored('SETB', '2023-03')).toEqual(before);
    const head =
      'INSERT INTO policies (id, medicine_code, version, effective_from, mode, monthly_cap, quota_pool, indications, unused_quota, redistribute, votes_required, deadline_hours, start_within_days, order_tolerance_pct, registration_required, order_justification_required, schedule, notes, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    await dataSource.query(head, policyRow('SETB', 2, '2023-03-01', 31, 'carry'));
    await dataSource.query(head, policyRow('ONEB', 2, '2023-03-01', 31, 'carry'));
    await startTogether('2023-03');
    await startAlone('2023-03');
    const recomputed = (await stored('SETB', '2023-03')) as { row: { quota_pool: number; policy_version: number }; audit: { action: string }[] };
    expect(recomputed.row).toMatchObject({ quota_pool: 31, policy_version: 2 });
    expect(recomputed.audit.map((a) => a.action)).toEqual(['allocation.computed', 'allocation.recomputed']);
    expect(recomputed).toEqual(await stored('ONEB', '2023-03'));
  });
});
