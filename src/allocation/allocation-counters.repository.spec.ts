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
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', CONTINGENT_DEMO: 'false', LOG_LEVEL: 'silent', JOBS_CRON: 'false', PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef' });
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
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, B))).toBe(true);
    expect((await national()).quotaGranted).toBe(1);
    expect((await centreRow(B)).used).toBe(1);
  });

  it('undoes the national take in the same transaction when `used < slots` finds no centre row', async () => {
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, A))).toBe(false);
    expect((await national()).quotaGranted).toBe(0);
    expect((await centreRow(A)).used).toBe(2);
    // a centre with no row at all: the same rollback
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, '750000099'))).toBe(false);
    expect((await national()).quotaGranted).toBe(0);
  });

  it('never takes beyond the pool: the national update finds no row once quota_granted = quota_pool', async () => {
    await dataSource.getRepository(PeriodAllocationEntity).update({ medicine: MEDICINE, period: PERIOD }, { quotaGranted: 3 });
    expect(await unitOfWork.run((m) => counters.takeQuota(m, MEDICINE, PERIOD, B))).toBe(false);
    expect((await national()).quotaGranted).toBe(3);
    expect((await centreRow(B)).used).toBe(0);
  });

  it('decides a quota request: granted with the centre counters after the take, waitlisted with the reason when the centre is full', async () => {
    const row = await national();
    const granted = await unitOfWork.run((m) => decisions.decideQuota(m, row, B));
    expect(granted).toMatchObject({ status: 'granted', consumes: { kind: 'quota', finess: B } });
    expect(granted.reason.code).toBe('GRANTED_QUOTA');
    const waiting = await unitOfWork.run((m) => decisions.decideQuota(m, row, A));
    expect(waiting.status).toBe('waitlisted');
    expect((await national()).quotaGranted).toBe(1);
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
