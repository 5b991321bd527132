import { TestingModule, Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { UnitOfWork } from '../common/database/unit-of-work';
import { loadConfig } from '../config/config';
import { AllocationCounters } from './allocation-counters.repository';
import { CentreAllocationEntity } from './entities/centre-allocation.entity';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';
import { SlotDecisions } from './slot-decisions.service';

const MEDICINE = 'NULOJIX';
const PERIOD = '2023-05';
const A = '750000001';
const B = '750000002';

/** The ledger's counters through the real module, on an in-memory SQLite database migrated as in production. */
describe('AllocationCounters and SlotDecisions on the counters (in-memory SQLite)', () => {
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let counters: AllocationCounters;
  let decisions: SlotDecisions;

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', CONTINGENT_DEMO: 'false', LOG_LEVEL: 'silent', JOBS_CRON: 'false', PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef', AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64') });
    moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    dataSource = moduleRef.get(DataSource);
    await dataSource.runMigrations({ transaction: 'each' });
    unitOfWork = moduleRef.get(UnitOfWork);
    counters = moduleRef.get(AllocationCounters);
    decisions = moduleRef.get(SlotDecisions);
    await dataSource.query("INSERT INTO medicines (code, name, unit, unit_mg, scheme, created_at) VALUES ('NULOJIX', 'Nulojix', 'vial', 250, 'rationing', '2023-01-01T00:00:00.000Z')");
  });

  afterAll(async () => {
    await moduleRef.close();
  });

  beforeEach(async () => {
    await dataSource.getRepository(CentreAllocationEntity).clear();
    await dataSource.getRepository(PeriodAllocationEntity).clear();
    await dataSource.getRepository(PeriodAllocationEntity).insert({ medicine: MEDICINE, period: PERIOD, policyVersion: 3, mode: 'capped', nationalCapacity: 4, urgentGranted: 0, quotaGranted: 0, quotaPool: 3, freedCapacity: 0, extraCapacity: 0, carriedFreedCapacity: 0, computedAt: '2023-05-01T00:00:00.000Z' });
    const centre = { medicine: MEDICINE, period: PERIOD, followedPatients: 10, entitlement: 1.5, creditBefore: 0, creditAfter: 0.5, carriedSlots: 0 };
    await dataSource.getRepository(CentreAllocationEntity).insert([
      { ...centre, finess: A, slots: 2, used: 2 },
      { ...centre, finess: B, slots: 1, used: 0 },
    ]);
  });

  const national = async (): Promise<PeriodAllocationEntity> => (await dataSource.getRepository(PeriodAllocationEntity).findOneByOrFail({ medicine: MEDICINE, period: PERIOD }));
  const centreRow = async (finess: string): Promise<CentreAllocationEntity> => dataSource.getRepository(CentreAllocationEntity).findOneByOrFail({ medicine: MEDICINE, period: PERIOD, finess });

  it('takes a slot with both conditional updates when the pool and the centre have one', async () => {
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, B))).toEqual({ used: 1, slots: 1 });
    expect((await national()).quotaGranted).toBe(1);
    expect((await centreRow(B)).used).toBe(1);
  });

  it('undoes the national take in the same transaction when `used < slots` finds no centre row', async () => {
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, A))).toBeNull();
    expect((await national()).quotaGranted).toBe(0);
    expect((await centreRow(A)).used).toBe(2);
    // a centre with no row at all: the same rollback
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, '750000099'))).toBeNull();
    expect((await national()).quotaGranted).toBe(0);
  });

  it('never takes beyond the pool: the national update finds no row once quota_granted = quota_pool', async () => {
    await dataSource.getRepository(PeriodAllocationEntity).update({ medicine: MEDICINE, period: PERIOD }, { quotaGranted: 3 });
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, B))).toBeNull();
    expect((await national()).quotaGranted).toBe(3);
    expect((await centreRow(B)).used).toBe(0);
  });

  it('reads a decision\'s counters in one statement: the national ones and the centre\'s, zeros for a centre with no row', async () => {
    const read = await unitOfWork.run((m) => counters.forDecision(m, MEDICINE, PERIOD, A));
    expect(read).toEqual({
      state: { period: PERIOD, policyVersion: 3, mode: 'capped', nationalCapacity: 4, quotaPool: 3, urgentGranted: 0, quotaGranted: 0 },
      centre: { finess: A, slots: 2, used: 2, entitlement: 1.5, creditAfter: 0.5 },
    });
    expect((await unitOfWork.run((m) => counters.forDecision(m, MEDICINE, PERIOD, '750000099')))?.centre).toEqual({ finess: '750000099', slots: 0, used: 0, entitlement: 0, creditAfter: 0 });
    expect(await unitOfWork.run((m) => counters.forDecision(m, MEDICINE, '2023-06', A))).toBeNull();
  });

  it('decides a quota request: granted with the centre counters the update returned, waitlisted with the reason when the centre is full', async () => {
    const forB = (await unitOfWork.run((m) => counters.forDecision(m, MEDICINE, PERIOD, B)))!;
    const granted = await unitOfWork.run((m) => decisions.decideQuota(m, MEDICINE, B, forB));
    expect(granted).toMatchObject({ status: 'granted', consumes: { kind: 'quota', finess: B } });
    expect(granted.reason.code).toBe('GRANTED_QUOTA');
    expect(granted.reason.message).toContain('1 of 1');
    const forA = (await unitOfWork.run((m) => counters.forDecision(m, MEDICINE, PERIOD, A)))!;
    const waiting = await unitOfWork.run((m) => decisions.decideQuota(m, MEDICINE, A, forA));
    expect(waiting.status).toBe('waitlisted');
    expect((await national()).quotaGranted).toBe(1);
  });

  it('decides from stale counters by the conditional update alone: a slot another writer took meanwhile is not granted twice', async () => {
    const stale = (await unitOfWork.run((m) => counters.forDecision(m, MEDICINE, PERIOD, B)))!;
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, B))).toEqual({ used: 1, slots: 1 });
    const late = await unitOfWork.run((m) => decisions.decideQuota(m, MEDICINE, B, stale));
    expect(late.status).toBe('waitlisted');
    expect((await national()).quotaGranted).toBe(1);
    expect((await centreRow(B)).used).toBe(1);
  });

  it('stores a new period\'s centre rows by multi-row inserts as large as the parameter limit allows, full batches and the rest', async () => {
    await dataSource.getRepository(PeriodAllocationEntity).insert({ medicine: MEDICINE, period: '2023-06', policyVersion: 3, mode: 'capped', nationalCapacity: 4, urgentGranted: 0, quotaGranted: 0, quotaPool: 3, freedCapacity: 0, extraCapacity: 0, carriedFreedCapacity: 0, computedAt: '2023-06-01T00:00:00.000Z' });
    // 7,003 rows: two full statements of 3,276 rows (32,766 parameters / 10 columns) and the rest.
    const rows = Array.from({ length: 7003 }, (_, i) => ({ medicine: MEDICINE, period: '2023-06', finess: String(800_000_000 + i), followedPatients: i, entitlement: i / 7, creditBefore: -0.25, slots: i % 3, used: 0, creditAfter: i / 7 - (i % 3) - 0.25, carriedSlots: i % 2 }));
    await unitOfWork.run((m) => counters.insertCentres(m, rows));
    const stored = await dataSource.getRepository(CentreAllocationEntity).find({ where: { medicine: MEDICINE, period: '2023-06' }, order: { finess: 'ASC' } });
    expect(stored).toHaveLength(7003);
    expect(stored[3276]).toEqual(rows[3276]);
    expect(stored[7002]).toEqual(rows[7002]);
    await dataSource.getRepository(CentreAllocationEntity).delete({ medicine: MEDICINE, period: '2023-06' });
  });

  it('moves an unused slot only while the giver still has it unused', async () => {
    expect(await unitOfWork.run((m) => counters.moveSlot(m, MEDICINE, PERIOD, B, A))).toBe(true);
    expect([(await centreRow(A)).slots, (await centreRow(B)).slots]).toEqual([3, 0]);
    expect(await unitOfWork.run((m) => counters.moveSlot(m, MEDICINE, PERIOD, B, A))).toBe(false);
    expect([(await centreRow(A)).slots, (await centreRow(B)).slots]).toEqual([3, 0]);
  });

  it('rolls the whole transaction back when a later statement fails: the slot taken is not kept', async () => {
    await expect(
      unitOfWork.run(async (m) => {
        await counters.takeQuota(m, MEDICINE, PERIOD, B);
        throw new Error('audit append failed');
      }),
    ).rejects.toThrow('audit append failed');
    expect((await national()).quotaGranted).toBe(0);
    expect((await centreRow(B)).used).toBe(0);
  });

  it('gives back a released quota grant on both counters, never below zero', async () => {
    await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, B));
    const request = { medicine: MEDICINE, slotKind: 'quota', slotPeriod: PERIOD, establishment: B } as Parameters<AllocationCounters['release']>[1];
    await unitOfWork.run((m) => counters.release(m, request));
    await unitOfWork.run((m) => counters.release(m, request));
    expect((await national()).quotaGranted).toBe(0);
    expect((await centreRow(B)).used).toBe(0);
  });
});
