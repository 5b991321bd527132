import { DataSource } from 'typeorm';
import { verifyStoredChain } from '../../src/audit/audit-chainer';
import { AUDIT_ENTITIES } from '../../src/audit/audit.module';
import { GENESIS_HASH, hashAuditEvent } from '../../src/audit/domain/audit-chain';
import { loadConfig } from '../../src/config/config';
import { createDataSource } from '../../src/config/data-source';
import { DB_KIND, freshDatabaseUrl } from '../support/test-app';

/**
 * Events written before the sequencer stored their JSON as JSON.stringify wrote it (keys in insertion
 * order); the chain is now verified over the stored text. The migration rewrites each intact event's
 * text in canonical form (same hash) and leaves a tampered one as it is, still reported.
 */
describe(`audit events written before the sequencer (${DB_KIND})`, () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabaseUrl();
    drop = db.drop;
    dataSource = createDataSource(loadConfig({ CONTINGENT_DEMO: 'true', DATABASE_URL: db.url }), AUDIT_ENTITIES);
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await drop();
  });

  it('keeps an intact legacy chain verifying and a tampered legacy event reported', async () => {
    const p = (n: number) => (DB_KIND === 'postgres' ? `$${n}` : '?');
    // Back to the schema before this migration (and any later one), then a legacy chain of three events.
    const runner = dataSource.createQueryRunner();
    while (await runner.hasTable('audit_pending')) await dataSource.undoLastMigration({ transaction: 'all' });
    await runner.release();
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const after = { version: seq, medicine: 'NULOJIX', changes: { zeta: 1, alpha: [{ b: 2, a: 1 }] } };
      const content = { seq, at: `2023-05-0${seq}T10:00:00.000Z`, actorId: 'u1', actorName: 'agency', role: 'agency', establishment: null, action: 'policy.published', entity: 'policy', entityId: `p${seq}`, before: null, after, prevHash };
      const hash = hashAuditEvent(content);
      await dataSource.query(
        `INSERT INTO audit_events (seq, at, actor_id, actor_name, role, establishment, action, entity, entity_id, before, after, prev_hash, hash) VALUES (${Array.from({ length: 13 }, (_, i) => p(i + 1)).join(', ')})`,
        [seq, content.at, 'u1', 'agency', 'agency', null, 'policy.published', 'policy', `p${seq}`, 'null', JSON.stringify(seq === 3 ? { ...after, version: 33 } : after), prevHash, hash],
      );
      prevHash = hash;
    }
    await dataSource.query(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 3, ${p(1)})`, [prevHash]);
    await dataSource.runMigrations();
    const rows: { after: string }[] = await dataSource.query('SELECT after FROM audit_events ORDER BY seq');
    expect(rows[0]!.after).toBe('{"changes":{"alpha":[{"a":1,"b":2}],"zeta":1},"medicine":"NULOJIX","version":1}');
    expect(rows[2]!.after).toBe(JSON.stringify({ version: 33, medicine: 'NULOJIX', changes: { zeta: 1, alpha: [{ b: 2, a: 1 }] } }));
    expect(await verifyStoredChain(dataSource.manager, null)).toMatchObject({ ok: false, firstBrokenAt: 3, events: 3 });
  });
});
