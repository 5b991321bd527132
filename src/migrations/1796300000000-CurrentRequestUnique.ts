import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A patient has at most one current request for a medicine — open, or started with its treatment still running
 * (issue 15): the database says so by a partial unique index, so a decision no longer takes a per-patient advisory
 * lock to read the patient's requests; of two racing requests, the second's insert is refused and it is decided again.
 */
// As the entity declares it; a migration keeps its own text, so it stays what it was when it ran.
const CURRENT_REQUEST_INDEX = 'UQ_initiation_requests_current';
const CURRENT_REQUEST_WHERE = "status IN ('pending_review', 'granted', 'waitlisted') OR (status = 'started' AND treatment_stopped_on IS NULL)";

export class CurrentRequestUnique1796300000000 implements MigrationInterface {
  name = 'CurrentRequestUnique1796300000000';

  async up(q: QueryRunner): Promise<void> {
    // The rule held before (a lock, then a read): a database that breaks it is said so plainly, before the index refuses it.
    const [found] = (await q.query(
      `SELECT COUNT(*) AS n FROM (SELECT patient, medicine FROM initiation_requests WHERE ${CURRENT_REQUEST_WHERE} GROUP BY patient, medicine HAVING COUNT(*) > 1) d`,
    )) as { n: number | string }[];
    const pairs = Number(found?.n ?? 0);
    if (pairs > 0) {
      throw new Error(`${pairs} patient(s) have more than one current initiation request for a medicine; close all but one of each (withdraw) before this migration`);
    }
    await q.createIndex('initiation_requests', new TableIndex({ name: CURRENT_REQUEST_INDEX, columnNames: ['patient', 'medicine'], isUnique: true, where: CURRENT_REQUEST_WHERE }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('initiation_requests', CURRENT_REQUEST_INDEX);
  }
}
