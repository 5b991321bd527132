import { isUniqueViolation } from '../../src/common/database/database-errors';
import { InitiationRequestEntity } from '../../src/allocation/entities/initiation-request.entity';
import { DB_KIND, TestApp, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

/**
 * Migration 1796300000000-CurrentRequestUnique: one current request per patient and medicine becomes a unique index.
 * A database that already breaks the rule is refused with a plain reason (no patient named), and migrates once the
 * extra request is closed; then the index refuses a second current request.
 */
describe(`the unique index of a patient's current request (${DB_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses to migrate while two current requests share a patient and medicine, then migrates once one is closed', async () => {
    const p = (n: number): string => (DB_KIND === 'postgres' ? `$${n}` : '?');
    const last = await t.dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1');
    expect(last[0]!.name).toBe('CurrentRequestUnique1796300000000');
    await t.dataSource.undoLastMigration({ transaction: 'all' });

    const columns = t.dataSource.getMetadata(InitiationRequestEntity).columns.map((c) => c.databaseName).filter((c) => c !== 'id');
    const [current] = await t.dataSource.query<{ id: string }[]>("SELECT id FROM initiation_requests WHERE status IN ('pending_review', 'granted', 'waitlisted') ORDER BY id LIMIT 1");
    const copy = '00000000-0000-4000-8000-00000000d0d0';
    const copyRow = `INSERT INTO initiation_requests (id, ${columns.join(', ')}) SELECT ${p(1)}, ${columns.join(', ')} FROM initiation_requests WHERE id = ${p(2)}`;
    await t.dataSource.query(copyRow, [copy, current!.id]);

    await expect(t.dataSource.runMigrations({ transaction: 'all' })).rejects.toThrow(
      /^1 patient\(s\) have more than one current initiation request for a medicine; close all but one of each \(withdraw\) before this migration$/,
    );
    await t.dataSource.query(`UPDATE initiation_requests SET status = 'withdrawn' WHERE id = ${p(1)}`, [copy]);
    expect((await t.dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name)).toEqual(['CurrentRequestUnique1796300000000']);

    // The index itself: a second current request of the patient is refused by the database.
    const second = await t.dataSource.query(`UPDATE initiation_requests SET status = 'waitlisted' WHERE id = ${p(1)}`, [copy]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isUniqueViolation(second)).toBe(true);
  });
});
