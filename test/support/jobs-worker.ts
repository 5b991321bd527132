/**
 * A job worker in its own process, for the test that kills a worker half-way
 * (test/e2e/jobs-kill.e2e-spec.ts). It boots the app's modules on the database and Redis named
 * by the environment, with short BullMQ locks, and registers `test.hold`: in one transaction it
 * writes one row to kill_effects, says so on stdout, and holds the transaction open for a while.
 * With `--enqueue` it also puts one `test.hold` job on the queue; with `--enqueue-reconciliation` one
 * `reconciliation.run` job (NULOJIX 2023-04). With HOLD_AFTER_EFFECT=1 the reconciliation job stops for
 * good once its effect (and its completion, one transaction) committed, before the queue is told:
 * it says `effect-committed` and the test kills it there.
 * Run: node -r ./test/support/ts-register.js test/support/jobs-worker.ts [--enqueue]
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { loadConfig } from '../../src/config/config';
import { JobOptions } from '../../src/jobs/job-options';
import { JobsService } from '../../src/jobs/jobs.service';

export const HOLD_JOB = 'test.hold';
export const HOLD_TARGET = { medicine: 'NULOJIX', period: '2023-04' };

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const holdMs = Number(process.env.HOLD_MS ?? 4_000);
  const options = Object.assign(new JobOptions(), { lockDurationMs: 2_000, stalledIntervalMs: 1_000, backoffMs: 200 });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).overrideProvider(JobOptions).useValue(options).compile();
  const unitOfWork = moduleRef.get(UnitOfWork);
  const postgres = unitOfWork.isPostgres;
  moduleRef.get(JobRegistry).register(HOLD_JOB, async (payload) =>
    unitOfWork.run(async (manager) => {
      await manager.query(`INSERT INTO kill_effects (job_key, worker) VALUES (${postgres ? '$1, $2' : '?, ?'})`, [`${payload.medicine}:${payload.period}`, String(process.pid)]);
      process.stdout.write(`effect-written ${process.pid}\n`);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      return { worker: process.pid };
    }),
  );
  moduleRef.enableShutdownHooks();
  await moduleRef.init();
  const registry = moduleRef.get(JobRegistry);
  const reconcile = registry.get('reconciliation.run');
  if (process.env.HOLD_AFTER_EFFECT === '1' && reconcile) {
    registry.register('reconciliation.run', async (payload, job) => {
      await reconcile(payload, job);
      process.stdout.write(`effect-committed ${process.pid}\n`);
      return new Promise(() => undefined);
    });
  }
  if (process.argv.includes('--enqueue')) await moduleRef.get(JobsService).enqueue(HOLD_JOB, HOLD_TARGET, 'manual');
  if (process.argv.includes('--enqueue-reconciliation')) await moduleRef.get(JobsService).enqueue('reconciliation.run', HOLD_TARGET, 'manual');
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
