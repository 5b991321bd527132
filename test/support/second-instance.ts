import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import { TestApp } from './test-app';

export interface SecondInstance {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  clock: Clock;
  close: () => Promise<void>;
}

/**
 * A second app instance on the same database as `t` (SPEC §13: several instances behind one
 * database): its own Nest container, connection pool, in-process SQLite queue and clock. The
 * database is already migrated and seeded, so it only connects. Tokens of `t` are valid here (same secret).
 */
export async function startSecondInstance(t: TestApp): Promise<SecondInstance> {
  const app = await createApp(t.config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const clock = app.get(Clock);
  clock.set(t.clock.now());
  return { app, http: () => request(app.getHttpServer()), clock, close: () => app.close() };
}
