import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

/**
 * UnitOfWork on a real SQLite file, use cases run together as the HTTP layer runs them (many at once): they
 * commit in groups (one COMMIT, one disk flush, for those waiting together), each alone in its effect.
 */
describe('UnitOfWork on SQLite: group commit', () => {
  let dir: string;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let commits = 0;
  let failNextCommit = false;
  /** A second connection: what another process sees, that is what is on disk. */
  let reader: Database.Database;

  const counter: EntitySubscriberInterface = {
    beforeTransactionCommit: () => {
      if (failNextCommit) {
        failNextCommit = false;
        throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
      }
    },
    afterTransactionCommit: (event: TransactionCommitEvent) => {
      if (!event.queryRunner.isTransactionActive) commits++;
    },
  };

  const stored = (): string[] => (reader.prepare('SELECT name FROM items ORDER BY name').all() as { name: string }[]).map((r) => r.name);

  beforeEach(async () => {
    failNextCommit = false;
    dir = mkdtempSync(join(tmpdir(), 'uow-'));
    dataSource = new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), enableWAL: true });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
    dataSource.subscribers.push(counter);
    unitOfWork = new UnitOfWork(dataSource);
    reader = new Database(join(dir, 'db.sqlite'), { readonly: true });
    commits = 0;
  });

  afterEach(async () => {
    reader.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits use cases that wait together in fewer COMMITs than use cases, each answered once on disk', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        unitOfWork.run(async (manager) => {
          await manager.query('INSERT INTO items (name) VALUES (?)', [`item-${String(i).padStart(2, '0')}`]);
          return i;
        }).then((answer) => ({ answer, onDisk: stored().includes(`item-${String(i).padStart(2, '0')}`) })),
      ),
    );
    expect(answers.map((a) => a.answer)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(answers.every((a) => a.onDisk)).toBe(true);
    expect(stored()).toHaveLength(40);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(40);
  });

  it('rolls back a failing use case alone: the others of its group commit, and it writes nothing', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        unitOfWork.run(async (manager) => {
          await manager.query('INSERT INTO items (name) VALUES (?)', [`a-${i}`]);
          if (i === 4) throw new Error('refused');
          // a constraint failure half-way through a use case (its first insert is undone with it)
          if (i === 7) await manager.query('INSERT INTO items (name) VALUES (?)', ['a-0']);
          await manager.query('INSERT INTO items (name) VALUES (?)', [`b-${i}`]);
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const expected = [0, 1, 2, 3, 5, 6, 8, 9].flatMap((i) => [`a-${i}`, `b-${i}`]).sort();
    expect(stored()).toEqual(expected);
    expect(commits).toBeLessThan(8);
  });

  it('fails every use case of a group whose COMMIT fails, and none of them is on disk; the next ones commit', async () => {
    failNextCommit = true;
    const settled = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => unitOfWork.run((manager) => manager.query('INSERT INTO items (name) VALUES (?)', [`g-${i}`]))));
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as { code?: string }).code : 'committed'))).toEqual(Array(6).fill('SQLITE_FULL'));
    expect(stored()).toEqual([]);
    await unitOfWork.run((manager) => manager.query("INSERT INTO items (name) VALUES ('after')"));
    expect(stored()).toEqual(['after']);
  });

  it('commits a long use case (alone) in a transaction of its own: those before it are not held until its end', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const before = unitOfWork.run((manager) => manager.query("INSERT INTO items (name) VALUES ('before')")).then(() => events.push('before'));
    const long = unitOfWork.run(async (manager) => {
      await manager.query("INSERT INTO items (name) VALUES ('long')");
      await gate;
    }, { alone: true }).then(() => events.push('long'));
    const after = unitOfWork.run((manager) => manager.query("INSERT INTO items (name) VALUES ('after')")).then(() => events.push('after'));
    await before;
    // The long one is still running: what came before it is answered and on disk, nothing of it is.
    expect(stored()).toEqual(['before']);
    release();
    await Promise.all([long, after]);
    expect(events).toEqual(['before', 'long', 'after']);
    expect(stored()).toEqual(['after', 'before', 'long']);
  });

  it('runs each use case in its caller’s async context, with an entity manager of its own', async () => {
    const context = new AsyncLocalStorage<number>();
    const managers = new Set<unknown>();
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        context.run(i, () =>
          unitOfWork.run(async (manager) => {
            managers.add(manager);
            await manager.query('INSERT INTO items (name) VALUES (?)', [`c-${i}`]);
            return context.getStore();
          }),
        ),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(managers.size).toBe(10);
  });

  it('keeps after-commit work with its own use case: run after the COMMIT, dropped with a use case rolled back', async () => {
    const ran: number[] = [];
    await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        unitOfWork.run(async (manager) => {
          unitOfWork.afterCommit(manager, () => {
            ran.push(i);
            expect(stored()).toContain(`d-${i}`);
            return Promise.resolve();
          });
          await manager.query('INSERT INTO items (name) VALUES (?)', [`d-${i}`]);
          if (i === 2) throw new Error('refused');
        }),
      ),
    );
    expect(ran.sort()).toEqual([0, 1, 3, 4, 5]);
  });
});
