import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Command, CommandRunner, Option } from 'nest-commander';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chainAllPending, verifyStoredChain } from '../audit/audit-chainer';
import { AUDIT_ENTITIES } from '../audit/audit.module';
import { Checkpoint, checkpointSignatureProblem } from '../audit/domain/checkpoint';
import { CheckpointDto } from '../audit/dto/checkpoint.dto';
import { createDataSource } from '../config/data-source';
import { cliConfig } from './cli-config';

export interface AuditVerifyOptions {
  /** A checkpoint exported by GET /api/v1/audit/checkpoint (JSON), which the chain must still extend. */
  checkpoint?: string;
}

/**
 * Verifies the audit hash chain of DATABASE_URL (chaining first what is committed but not chained),
 * streamed in batches, optionally against a signed checkpoint kept outside the database.
 * Exit 0 when intact, 1 on any break (of the chain or of the checkpoint), 2 when the checkpoint
 * file cannot be used or the database cannot be read; a message, never a stack trace.
 */
@Command({ name: 'audit-verify', description: 'Verify the audit hash chain (edited, removed or reordered events), optionally against a signed checkpoint' })
export class AuditVerifyCommand extends CommandRunner {
  async run(_params: string[] = [], options: AuditVerifyOptions = {}): Promise<void> {
    const config = cliConfig();
    let checkpoint: Checkpoint | null = null;
    if (options.checkpoint) {
      const read = readCheckpoint(options.checkpoint);
      if (typeof read === 'string') {
        process.stderr.write(`audit-verify: ${read}\n`);
        process.exitCode = 2;
        return;
      }
      checkpoint = read;
    }
    const dataSource = createDataSource(config, AUDIT_ENTITIES);
    try {
      await dataSource.initialize();
      await chainAllPending((work) => dataSource.transaction(work));
      const problem = checkpoint ? checkpointSignatureProblem(checkpoint, createPrivateKey(config.auditSigningKey)) : null;
      const result = await verifyStoredChain(dataSource.manager, checkpoint && !problem ? checkpoint : null);
      const ok = result.ok && !problem;
      const checkpointResult = checkpoint && problem ? { seq: checkpoint.seq, ok: false, reason: problem } : result.checkpoint;
      process.stdout.write(`${JSON.stringify({ ok, events: result.events, firstBrokenAt: result.firstBrokenAt, reason: result.reason ?? problem, checkpoint: checkpointResult })}\n`);
      if (!ok) process.exitCode = 1;
    } catch (error: unknown) {
      process.stderr.write(`audit-verify: the audit chain could not be read: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  }

  @Option({ flags: '--checkpoint <file>', description: 'a checkpoint exported by GET /api/v1/audit/checkpoint (JSON)' })
  parseCheckpoint(value: string): string {
    return value;
  }
}

/** The checkpoint in a file, checked as the API checks it; a sentence naming the problem otherwise. */
function readCheckpoint(path: string): Checkpoint | string {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error: unknown) {
    return `cannot read the checkpoint file ${path}: ${error instanceof SyntaxError ? 'it is not JSON' : (error as NodeJS.ErrnoException).code ?? 'unreadable'}`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `the checkpoint file ${path} does not hold a checkpoint object`;
  const dto = plainToInstance(CheckpointDto, raw);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    return `the checkpoint file ${path} is not a checkpoint: ${errors.map((e) => `${e.property} ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ')}`;
  }
  return { seq: dto.seq, hash: dto.hash, at: dto.at, signature: dto.signature, publicKey: dto.publicKey };
}
