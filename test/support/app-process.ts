/**
 * A whole app instance in its own process, for the several-instances test: the same database and
 * Redis as the test's own instance, named by the environment. Prints `listening <port>`, then
 * answers commands on stdin: `daily` fires the daily cron trigger (as the cron of this instance
 * would), `period-start` the 1st's period-start trigger, `clock <iso>` moves its clock. Each answer is one line `done <json>`.
 * Run: node -r ./test/support/ts-register.js test/support/app-process.ts
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import { loadConfig } from '../../src/config/config';
import { JobsScheduler } from '../../src/jobs/jobs.scheduler';

async function main(): Promise<void> {
  const app = await createApp(loadConfig(process.env), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`listening ${address.port}\n`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, argument] = line.trim().split(' ');
    if (command === 'daily') {
      const ids = await app.get(JobsScheduler).daily();
      process.stdout.write(`done ${JSON.stringify(ids)}\n`);
    } else if (command === 'period-start') {
      const ids = await app.get(JobsScheduler).periodStart();
      process.stdout.write(`done ${JSON.stringify(ids)}\n`);
    } else if (command === 'clock' && argument) {
      app.get(Clock).set(new Date(argument));
      process.stdout.write('done "clock"\n');
    } else if (command === 'exit') {
      await app.close();
      process.exit(0);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`instance failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
