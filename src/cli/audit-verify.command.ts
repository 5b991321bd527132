import { Command, CommandRunner } from 'nest-commander';
import { verifyAuditChain } from '../audit/domain/audit-chain';
import { AuditEventEntity } from '../audit/entities/audit-event.entity';
import { AuditHeadEntity } from '../audit/entities/audit-head.entity';
import { createDataSource } from '../config/data-source';
import { cliConfig } from './cli-config';

/** Verifies the audit hash chain of DATABASE_URL; exit 0 when intact, 1 when broken. */
@Command({ name: 'audit-verify', description: 'Verify the audit hash chain (edited, removed or reordered events)' })
export class AuditVerifyCommand extends CommandRunner {
  async run(): Promise<void> {
    const dataSource = createDataSource(cliConfig(), [AuditEventEntity, AuditHeadEntity]);
    await dataSource.initialize();
    const events = await dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } });
    const head = await dataSource.getRepository(AuditHeadEntity).findOne({ where: { id: 1 } });
    const result = verifyAuditChain(events, head ? { seq: head.seq, hash: head.hash } : null);
    await dataSource.destroy();
    process.stdout.write(`${JSON.stringify({ ok: result.ok, events: result.events, firstBrokenAt: result.firstBrokenAt, reason: result.reason })}\n`);
    if (!result.ok) process.exitCode = 1;
  }
}
