import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

/**
 * Each centre's last waiting-queue rank of a medicine, one row (issue 15): a waitlisted quota request takes the next
 * rank by one conditional upsert on this row — the row lock is the centre's turn on PostgreSQL, held only from there
 * to the COMMIT — instead of an advisory lock and a read of the queue's last rank. Filled from the queues as they are.
 */
export class WaitlistRankCounters1796200000000 implements MigrationInterface {
  name = 'WaitlistRankCounters1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'waitlist_ranks', columns: [pk(col.finess('establishment')), pk(col.str('medicine', 40)), col.int('last_rank')] }));
    await q.query(
      "INSERT INTO waitlist_ranks (establishment, medicine, last_rank) SELECT establishment, medicine, MAX(rank) FROM initiation_requests WHERE status = 'waitlisted' AND kind = 'quota' AND rank IS NOT NULL GROUP BY establishment, medicine",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('waitlist_ranks');
  }
}
