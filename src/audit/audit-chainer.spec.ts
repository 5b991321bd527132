import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { KnownHead, UnchainedEvent, chainEventsIn, verifyStoredChain } from './audit-chainer';
import { loadConfig } from '../config/config';
import { createDataSource } from '../config/data-source';
import { AUDIT_ENTITIES } from './audit.module';

/** A SQLite writer's own events chained before its COMMIT, from the head it last wrote when it is still the head. */
describe('chainEventsIn (SQLite)', () => {
  let dir: string;
  let dataSource: DataSource;
  const statements: string[] = [];

  const event = (n: number): UnchainedEvent => ({
    at: `2024-03-04T09:00:${String(n % 60).padStart(2, '0')}.000Z`, actor_id: 'u1', actor_name: 'agency', role: 'agency', establishment: null,
    action: 'test.done', entity: 'test', entity_id: `e${n}`, before: null, after: `{"n":${n}}`,
  });
  const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => dataSource.transaction<T>(work);
  const chain = (events: UnchainedEvent[], known: KnownHead | null): Promise<KnownHead | null> => inTransaction((m) => chainEventsIn(m, events, known));
  const seqs = async (): Promise<number[]> => (await dataSource.query<{ seq: number }[]>('SELECT seq FROM audit_events ORDER BY seq')).map((r) => Number(r.seq));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-chainer-'));
    // The schema as the migrations make it.
    dataSource = createDataSource(loadConfig({ CONTINGENT_DEMO: 'true', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` }), AUDIT_ENTITIES);
    await dataSource.initialize();
    await dataSource.runMigrations();
    const runner = dataSource.driver.createQueryRunner('master');
    const query = runner.constructor.prototype.query as (sql: string, ...rest: unknown[]) => Promise<unknown>;
    jest.spyOn(runner.constructor.prototype as { query: typeof query }, 'query').mockImplementation(function (this: unknown, sql: string, ...rest: unknown[]) {
      statements.push(sql);
      return query.call(this, sql, ...rest);
    });
    await runner.release();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    statements.length = 0;
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('from the head it last wrote: moves the head, then inserts the events (two statements)', async () => {
    const first = await chain([event(1)], null);
    statements.length = 0;
    const second = await chain([event(2), event(3)], first);
    const own = statements.filter((s) => !/^(BEGIN|COMMIT)/.test(s));
    expect(own.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['UPDATE audit_head', 'INSERT INTO']);
    expect(second).toMatchObject({ seq: 3 });
    expect(await seqs()).toEqual([1, 2, 3]);
    expect(await verifyStoredChain(dataSource.manager, null)).toMatchObject({ ok: true, firstBrokenAt: null });
  });

  it('from a head that is no longer the head (its transaction rolled back): reads the head and chains after it', async () => {
    const first = await chain([event(1)], null);
    // A transaction that chained and then rolled back: the head it returned was never committed.
    let stale: KnownHead | null = null;
    await expect(
      inTransaction(async (m) => {
        stale = await chainEventsIn(m, [event(2)], first);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(stale).toMatchObject({ seq: 2 });
    const next = await chain([event(3)], stale);
    expect(next).toMatchObject({ seq: 2 });
    expect(await seqs()).toEqual([1, 2]);
    const stored = await dataSource.query<{ entity_id: string }[]>('SELECT entity_id FROM audit_events ORDER BY seq');
    expect(stored.map((r) => r.entity_id)).toEqual(['e1', 'e3']);
    expect(await verifyStoredChain(dataSource.manager, null)).toMatchObject({ ok: true, firstBrokenAt: null });
  });

  it('chains the events waiting in audit_pending first once the head is read again (AuditService forgets its head when it leaves one there)', async () => {
    const first = await chain([event(1)], null);
    await dataSource.query("INSERT INTO audit_pending (at, actor_id, actor_name, role, establishment, action, entity, entity_id, before, after) VALUES ('2024-03-04T09:00:05.000Z', 'u1', 'agency', 'agency', NULL, 'test.done', 'test', 'pending', NULL, NULL)");
    // The writer that left it there forgets the head it knew (AuditService does): the read finds the pending event.
    const next = await chain([event(2)], null);
    expect(next).toMatchObject({ seq: 3 });
    const stored = await dataSource.query<{ entity_id: string }[]>('SELECT entity_id FROM audit_events ORDER BY seq');
    expect(stored.map((r) => r.entity_id)).toEqual(['e1', 'pending', 'e2']);
    expect(first).toMatchObject({ seq: 1 });
    expect(await verifyStoredChain(dataSource.manager, null)).toMatchObject({ ok: true, firstBrokenAt: null });
  });
});
