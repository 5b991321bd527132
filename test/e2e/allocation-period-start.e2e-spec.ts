import { EntityManager } from 'typeorm';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { JOB_BACKEND } from '../../src/jobs/backends/job-backend';
import { InProcessBackend } from '../../src/jobs/backends/in-process.backend';
import { JobHistory } from '../../src/jobs/job-history.service';
import { JobOptions } from '../../src/jobs/job-options';
import { JobRunner } from '../../src/jobs/job-runner.service';
import { JobsScheduler } from '../../src/jobs/jobs.scheduler';
import { MedicineEntity } from '../../src/medicines/entities/medicine.entity';
import { PolicyEntity } from '../../src/medicines/entities/policy.entity';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

/** More copies of Nulojix (with its whole policy timeline) than one transaction of the period start takes (50). */
const COPIES = 60;
const copies = Array.from({ length: COPIES }, (_, i) => `PSTART${String(i).padStart(2, '0')}`);

describe(`period start at the cron: one job for the period computes every restricted medicine once (${DB_KIND})`, () => {
  let t: TestApp;
  const as = async (user: string) => bearer(await t.token(user));
  const idle = () => t.app.get<InProcessBackend>(JOB_BACKEND).idle();

  /** The medicines with an allocation in `period`. */
  async function computedIn(period: string): Promise<string[]> {
    const rows = await t.dataSource.query<{ medicine: string }[]>(`SELECT medicine FROM period_allocations WHERE period = '${period}' ORDER BY medicine`);
    return rows.map((r) => r.medicine);
  }

  /** How many `allocation.computed` events each medicine has for `period` (chained or still waiting for the sequencer). */
  async function computedEvents(period: string): Promise<Map<string, number>> {
    const rows = await t.dataSource.query<{ entity_id: string; n: number | string }[]>(
      `SELECT entity_id, COUNT(*) AS n FROM (SELECT entity_id, action FROM audit_events UNION ALL SELECT entity_id, action FROM audit_pending) e
        WHERE action = 'allocation.computed' AND entity_id LIKE '%/${period}' GROUP BY entity_id`,
    );
    return new Map(rows.map((r) => [r.entity_id.slice(0, r.entity_id.indexOf('/')), Number(r.n)]));
  }

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(JobOptions).backoffMs = 50;
    const medicines = t.dataSource.getRepository(MedicineEntity);
    const policies = t.dataSource.getRepository(PolicyEntity);
    const nulojix = await medicines.findOneByOrFail({ code: 'NULOJIX' });
    const versions = await policies.findBy({ medicineCode: 'NULOJIX' });
    await t.dataSource.transaction(async (manager) => {
      await manager.getRepository(MedicineEntity).insert(copies.map((code) => ({ ...nulojix, code })));
      await manager.getRepository(PolicyEntity).insert(copies.flatMap((code, m) => versions.map((v) => ({ ...v, id: `00000000-0000-4000-8000-${String(m * 100 + v.version).padStart(12, '0')}`, medicineCode: code }))));
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('queues one job keyed by the period however often the trigger fires, and it computes every restricted medicine once, audited', async () => {
    const scheduler = t.app.get(JobsScheduler);
    t.clock.set(new Date('2023-06-01T00:05:00+02:00'));
    expect(await computedIn('2023-06')).toEqual([]);
    const first = await scheduler.periodStart();
    const second = await scheduler.periodStart(); // a second instance, or the cron retried
    expect(first).toEqual(['allocation.start-period:period:2023-06']);
    expect(second).toEqual(first);
    await idle();
    const expected = ['NULOJIX', ...copies].sort();
    const run = await t.app.get(JobHistory).find(first[0]!);
    expect(run).toMatchObject({ name: 'allocation.start-period', key: 'period:2023-06', state: 'completed', attempts: 1, trigger: 'cron', error: null });
    const result = run!.result as { period: string; medicines: number; byMode: Record<string, number> };
    expect(result).toEqual({ period: '2023-06', medicines: expected.length, byMode: expect.any(Object) });
    expect(Object.values(result.byMode).reduce((s, n) => s + n, 0)).toBe(expected.length);
    expect(result.byMode.unrestricted).toBeUndefined();
    expect(await computedIn('2023-06')).toEqual(expected);
    const events = await computedEvents('2023-06');
    expect([...events.keys()].sort()).toEqual(expected);
    expect([...events.values()].every((n) => n === 1)).toBe(true);
    // A copy of the first batch and one of the second get the same allocation (same policy and centres, no earlier period).
    const firstCopy = (await t.http().get(`/api/v1/medicines/${copies[0]}/allocations/2023-06`).set(await as('agency'))).body;
    const lastCopy = (await t.http().get(`/api/v1/medicines/${copies[COPIES - 1]}/allocations/2023-06`).set(await as('agency'))).body;
    expect(lastCopy).toEqual({ ...firstCopy, medicine: copies[COPIES - 1] });
    expect(firstCopy.centres.length).toBeGreaterThan(0);
    expect(firstCopy.quotaPool).toBeGreaterThan(0);
    // The queue hands the same id out again (a worker died before acknowledging it): nothing runs twice.
    expect(await t.app.get(JobRunner).attempt(first[0]!, 'allocation.start-period', { period: '2023-06' }, { claim: false, final: true })).toEqual({ ran: false, result });
    expect(await computedEvents('2023-06')).toEqual(events);
  });

  it('after a crash before its last batch committed, the retry finds the first batch computed and computes the rest: each medicine once', async () => {
    const registry = t.app.get(JobRegistry);
    const real = registry.get('allocation.start-period')!;
    let failures = 1;
    registry.register('allocation.start-period', (payload, job) =>
      real(payload, {
        id: job!.id,
        // The last batch's transaction (with the completion) fails once, after the first batch committed.
        effect: <T>(use: (manager: EntityManager) => Promise<T>): Promise<T> =>
          job!.effect(async (manager) => {
            if (failures-- > 0) throw new Error('the process died');
            return use(manager);
          }),
      }),
    );
    try {
      t.clock.set(new Date('2023-07-01T00:05:00+02:00'));
      const [id] = await t.app.get(JobsScheduler).periodStart();
      expect(id).toBe('allocation.start-period:period:2023-07');
      await idle();
      const run = await t.app.get(JobHistory).find(id!);
      expect(run).toMatchObject({ state: 'completed', attempts: 2, error: null });
      const expected = ['NULOJIX', ...copies].sort();
      expect(run!.result).toMatchObject({ period: '2023-07', medicines: expected.length });
      expect(await computedIn('2023-07')).toEqual(expected);
      const events = await computedEvents('2023-07');
      expect([...events.keys()].sort()).toEqual(expected);
      expect([...events.values()].every((n) => n === 1)).toBe(true);
    } finally {
      registry.register('allocation.start-period', real);
    }
  });

  it('queues nothing when every policy in force is unrestricted, and the agency still runs one medicine, or the whole period, by hand', async () => {
    t.clock.set(new Date('2023-11-01T00:05:00+01:00')); // unrestricted since 2023-10-02
    expect(await t.app.get(JobsScheduler).periodStart()).toEqual([]);
    t.clock.set(new Date('2023-08-10T10:00:00+02:00'));
    const agency = await as('agency');
    const one = await t.http().post('/api/v1/jobs/allocation.compute/run').set(agency).send({ medicine: 'NULOJIX', period: '2023-08' });
    expect(one.status).toBe(202);
    expect(one.body).toMatchObject({ name: 'allocation.compute', key: 'NULOJIX:2023-08', trigger: 'manual' });
    await idle();
    expect(await t.app.get(JobHistory).find(one.body.id)).toMatchObject({ state: 'completed', result: [{ medicine: 'NULOJIX', period: '2023-08', policyVersion: expect.any(Number), mode: expect.any(String) }] });
    expect(await computedIn('2023-08')).toEqual(['NULOJIX']);
    const all = await t.http().post('/api/v1/jobs/allocation.start-period/run').set(agency).send({ period: '2023-08' });
    expect(all.status).toBe(202);
    expect(all.body).toMatchObject({ name: 'allocation.start-period', key: 'period:2023-08', trigger: 'manual', id: expect.stringMatching(/^allocation\.start-period:period:2023-08\+manual-/) });
    await idle();
    expect(await t.app.get(JobHistory).find(all.body.id)).toMatchObject({ state: 'completed' });
    expect(await computedIn('2023-08')).toEqual(['NULOJIX', ...copies].sort());
    // Nulojix was computed by the first run: the period run leaves it as it was (one event).
    expect((await computedEvents('2023-08')).get('NULOJIX')).toBe(1);
    const audit = await t.http().get(`/api/v1/audit?action=job.requested`).set(agency);
    expect(audit.body.items.map((e: { entityId: string }) => e.entityId)).toEqual(expect.arrayContaining([one.body.id, all.body.id]));
    const withMedicine = await t.http().post('/api/v1/jobs/allocation.start-period/run').set(agency).send({ medicine: 'NULOJIX', period: '2023-08' });
    expect(withMedicine.status).toBe(400);
    expect(withMedicine.body).toMatchObject({ code: 'JOB_TARGET_INVALID', errors: [{ field: 'period', reason: 'must name a period YYYY-MM only' }] });
  });
});
