/**
 * Writes audited changes as fast as it can until killed, for the audit sequencer's kill test:
 * `WRITERS` writers in parallel, each one event per transaction, one after another. Writers
 * through UnitOfWork.run are chained right after their commit; with RAW_WRITER=true (PostgreSQL: SQLite
 * allows one transaction at a time, which only UnitOfWork.run ensures) a `raw` writer commits through
 * a bare transaction, so its events wait for the sequencer's sweep (there are always some unchained
 * when the process dies). Prints `committed <entityId>` once each transaction has committed.
 * Run: node -r ./test/support/ts-register.js test/support/audit-writer.ts
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AuditService } from '../../src/audit/audit.service';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { SYSTEM_ACTOR } from '../../src/common/domain/roles';
import { loadConfig } from '../../src/config/config';

async function main(): Promise<void> {
  const app = await createApp(loadConfig(process.env), { logger: false });
  const audit = app.get(AuditService);
  const unitOfWork = app.get(UnitOfWork);
  const dataSource = app.get(DataSource);
  const writers = Number(process.env.WRITERS ?? 3);
  process.stdout.write('ready\n');
  const change = (entityId: string) => ({ action: 'kill.test', entity: 'kill', entityId, after: { entityId, at: Date.now() }, establishment: null });
  const loop = async (name: string, raw: boolean): Promise<void> => {
    for (let i = 0; ; i++) {
      const entityId = `${process.env.ROUND ?? 'r'}-${name}-${String(i).padStart(6, '0')}`;
      if (raw) await dataSource.transaction((manager) => audit.record(manager, SYSTEM_ACTOR, change(entityId)));
      else await unitOfWork.run((manager) => audit.record(manager, SYSTEM_ACTOR, change(entityId)));
      process.stdout.write(`committed ${entityId}\n`);
    }
  };
  const raw = process.env.RAW_WRITER === 'true' ? [loop('raw', true)] : [];
  await Promise.all([...Array.from({ length: writers }, (_, w) => loop(`w${w}`, false)), ...raw]);
}

main().catch((error: unknown) => {
  process.stderr.write(`writer failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
