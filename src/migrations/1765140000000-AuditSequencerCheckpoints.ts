import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../common/database/migration-helpers';
import { canonicalJson } from '../common/domain/canonical-json';
import { hashAuditEvent } from '../audit/domain/audit-chain';

interface LegacyRow {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  role: string;
  establishment: string | null;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The audit sequencer and signed checkpoints (SPEC §8): `audit_pending` (events committed, not yet
 * chained; an autoincrement id orders them, no global lock), `audit_checkpoints` (signed heads, apart
 * from the chain). Events written before this migration stored their JSON as written; the chain is
 * now verified over the stored text, so each intact event's text is rewritten in canonical form
 * (same values, same hash), and an event that does not verify is left as it is, to be reported.
 */
export class AuditSequencerCheckpoints1765140000000 implements MigrationInterface {
  name = 'AuditSequencerCheckpoints1765140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'audit_pending',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        col.instant('at'), col.str('actor_id', 36), col.str('actor_name', 100), col.str('role', 20), col.finess('establishment', true),
        col.str('action', 80), col.str('entity', 50), col.str('entity_id', 100), col.text('before', true), col.text('after', true),
      ],
    }));
    await q.createTable(new Table({
      name: 'audit_checkpoints',
      columns: [col.id(), col.int('seq'), col.str('hash', 64), col.instant('at'), col.str('signature', 100), col.str('public_key', 60), col.str('taken_by', 100)],
      indices: [new TableIndex({ columnNames: ['seq'] }), new TableIndex({ columnNames: ['at'] })],
    }));
    await canonicaliseLegacyEvents(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_checkpoints');
    await q.dropTable('audit_pending');
  }
}

async function canonicaliseLegacyEvents(q: QueryRunner): Promise<void> {
  const pg = q.connection.driver.options.type === 'postgres';
  const p = (n: number): string => (pg ? `$${n}` : '?');
  for (let after = 0; ; ) {
    const rows = (await q.query(`SELECT * FROM audit_events WHERE seq > ${p(1)} ORDER BY seq LIMIT 1000`, [after])) as LegacyRow[];
    if (rows.length === 0) return;
    for (const r of rows) {
      const parsed = parseBoth(r.before, r.after);
      if (!parsed) continue;
      const content = {
        seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, role: r.role, establishment: r.establishment,
        action: r.action, entity: r.entity, entityId: r.entity_id, before: parsed.before, after: parsed.after, prevHash: r.prev_hash,
      };
      if (hashAuditEvent(content) !== r.hash) continue;
      const before = parsed.before === null ? null : canonicalJson(parsed.before);
      const afterText = parsed.after === null ? null : canonicalJson(parsed.after);
      if (before !== r.before || afterText !== r.after) {
        await q.query(`UPDATE audit_events SET before = ${p(1)}, after = ${p(2)} WHERE seq = ${p(3)}`, [before, afterText, r.seq]);
      }
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
}

function parseBoth(before: string | null, after: string | null): { before: unknown; after: unknown } | null {
  try {
    return { before: before === null ? null : (JSON.parse(before) as unknown), after: after === null ? null : (JSON.parse(after) as unknown) };
  } catch {
    return null;
  }
}
