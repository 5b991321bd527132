import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { transactionHooks } from '../../src/common/database/transaction-hooks';
import { DB_KIND, freshDatabaseUrl } from '../support/test-app';

/**
 * UnitOfWork.runAlone (issue 15): on PostgreSQL a use case whose writes are one statement runs outside a transaction
 * block, the statement committing as it runs; its after-commit work runs once its connection is given back. Where the
 * use case needs a transaction (SQLite's grouped writes, an Idempotency-Key's answer), it is not run at all.
 */
describe(`UnitOfWork.runAlone (${DB_KIND})`, () => {
  if (DB_KIND === 'sqlite') {
    it('answers null on SQLite without running the use case (its writes go through run, grouped)', async () => {
      const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
      await dataSource.initialize();
      try {
        const use = jest.fn(() => Promise.resolve('ran'));
        expect(await new UnitOfWork(dataSource).runAlone(use)).toBeNull();
        expect(use).not.toHaveBeenCalled();
      } finally {
        await dataSource.destroy();
      }
    });
    return;
  }

  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  /** Another session: what it sees is committed. */
  let other: Client;

  beforeAll(async () => {
    database = await freshDatabaseUrl();
    // One connection in the pool: after-commit work that needs one while the use case still held it would wait forever.
    dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 1, connectionTimeoutMillis: 3000 } });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE items (name text PRIMARY KEY)');
    unitOfWork = new UnitOfWork(dataSource);
    other = new Client({ connectionString: database.url });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await dataSource.destroy();
    await database.drop();
  });

  const stored = async (): Promise<string[]> => (await other.query<{ name: string }>('SELECT name FROM items ORDER BY name')).rows.map((r) => r.name);

  it('commits its one write as it runs: another session sees it before the use case has even returned', async () => {
    const seenDuring = await unitOfWork.runAlone(async (manager) => {
      await manager.query("INSERT INTO items (name) VALUES ('alone-1')");
      const inTransaction = (await manager.query<{ now: string; statement: string }[]>('SELECT now()::text AS now, statement_timestamp()::text AS statement'))[0]!;
      // Outside a transaction block each statement is its own transaction: now() is the statement's own time.
      expect(inTransaction.now).toBe(inTransaction.statement);
      return stored();
    });
    expect(seenDuring).toEqual(['alone-1']);
  });

  it('runs its after-commit work once its connection is given back (a pool of one connection does not wait on itself)', async () => {
    const order: string[] = [];
    const result = await unitOfWork.runAlone(async (manager) => {
      await manager.query("INSERT INTO items (name) VALUES ('alone-2')");
      expect(unitOfWork.afterCommit(manager, async () => {
        order.push(`after: ${(await dataSource.query<{ n: string }[]>("SELECT count(*) AS n FROM items"))[0]!.n} rows`);
      })).toBe(true);
      order.push('use');
      return 'done';
    });
    expect(result).toBe('done');
    expect(order).toEqual(['use', 'after: 2 rows']);
  });

  it('gives its connection back when the use case fails, and the failure is thrown as it came (nothing else written)', async () => {
    await expect(
      unitOfWork.runAlone(async (manager) => {
        await manager.query("INSERT INTO items (name) VALUES ('alone-1')");
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await stored()).toEqual(['alone-1', 'alone-2']);
    // The pool's one connection is free again.
    expect(await unitOfWork.runAlone((manager) => manager.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('answers null without running the use case when the caller’s transaction hooks are open (an Idempotency-Key’s answer commits with the effect)', async () => {
    const use = jest.fn(() => Promise.resolve('ran'));
    const hook = { open: true, beforeCommit: () => Promise.resolve() };
    expect(await transactionHooks.run(hook, () => unitOfWork.runAlone(use))).toBeNull();
    expect(use).not.toHaveBeenCalled();
  });
});
