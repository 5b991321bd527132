/**
 * An app process that sends notification e-mails, for the test that kills it mid-send
 * (test/e2e/notifications-kill.e2e-spec.ts). It boots the app's modules on the database, Redis and
 * SMTP server named by the environment, with short BullMQ locks and delivery leases. With `--emit`
 * it records one event (an urgent request of Tenon, for the committee) in a transaction, whose
 * commit puts the delivery job on the queue.
 * Run: node -r ./test/support/ts-register.js test/support/notify-worker.ts [--emit]
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { NOTIFIER, Notifier } from '../../src/common/contracts/notifier';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { loadConfig } from '../../src/config/config';
import { withFinessKey } from '../../src/common/domain/finess';
import { JobOptions } from '../../src/jobs/job-options';
import { NotificationOptions } from '../../src/notifications/notification-options';

export const KILL_EVENT_SUBJECT = 'kill-test-request:pending_review';
export const KILL_PATIENT = 'P-KILLTEST01';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const jobOptions = Object.assign(new JobOptions(), { lockDurationMs: 2_000, stalledIntervalMs: 1_000, backoffMs: 200 });
  const notificationOptions = Object.assign(new NotificationOptions(), { leaseMs: 1_500, retryBaseMs: 200 });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(JobOptions).useValue(jobOptions)
    .overrideProvider(NotificationOptions).useValue(notificationOptions)
    .compile();
  moduleRef.enableShutdownHooks();
  await moduleRef.init();
  if (process.argv.includes('--emit')) {
    const notifier = moduleRef.get<Notifier>(NOTIFIER);
    await moduleRef.get(UnitOfWork).run((manager) =>
      notifier.notify(manager, {
        code: 'URGENT_REQUEST_SUBMITTED', subject: KILL_EVENT_SUBJECT, establishment: withFinessKey('75990002'),
        params: { requestId: 'kill-test-request', medicine: 'NULOJIX', indication: 'tma-cni', patient: KILL_PATIENT, deadline: '2023-05-17T08:00:00.000Z' },
      }),
    );
  }
  process.stdout.write(`ready ${process.pid}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
