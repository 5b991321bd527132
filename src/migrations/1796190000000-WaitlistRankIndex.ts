import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A waitlisted quota request takes the rank after the last of its centre's queue (issue 15: a decision reads by key):
 * this index finds that last rank without reading the medicine's whole waitlist, on SQLite and PostgreSQL.
 */
export class WaitlistRankIndex1796190000000 implements MigrationInterface {
  name = 'WaitlistRankIndex1796190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('initiation_requests', new TableIndex({ name: 'IDX_initiation_requests_centre_queue', columnNames: ['establishment', 'medicine', 'kind', 'status', 'rank'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('initiation_requests', 'IDX_initiation_requests_centre_queue');
  }
}
