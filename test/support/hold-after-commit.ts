/**
 * An app instance in its own process that stops for good right after the second transaction
 * committed once it listens (the Idempotency-Key claim, then the request's effect), before the
 * answer is rewritten or sent: the test kills it there with SIGKILL (test/e2e/faults-kill.e2e-spec.ts).
 * Prints `listening <port>`, then `effect-committed`.
 * Run: node -r ./test/support/ts-register.js test/support/hold-after-commit.ts
 */
import 'reflect-metadata';
import { createApp } from '../../src/app.factory';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { loadConfig } from '../../src/config/config';

let armed = false;
let committed = 0;
const run = UnitOfWork.prototype.run;
UnitOfWork.prototype.run = async function <T>(this: UnitOfWork, use: Parameters<UnitOfWork['run']>[0], options?: Parameters<UnitOfWork['run']>[1]): Promise<T> {
  const result = (await run.call(this, use, options)) as T;
  if (armed && ++committed === 2) {
    process.stdout.write('effect-committed\n');
    await new Promise(() => undefined);
  }
  return result;
};

async function main(): Promise<void> {
  const app = await createApp(loadConfig(process.env), { logger: false });
  await app.listen(0, '127.0.0.1');
  armed = true;
  process.stdout.write(`listening ${(app.getHttpServer().address() as { port: number }).port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`instance failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
