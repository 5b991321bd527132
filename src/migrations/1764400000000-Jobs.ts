import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/** The history of scheduled and requested jobs (SPEC §7): one row per job id, the same with or without Redis. */
export class Jobs1764400000000 implements MigrationInterface {
  name = 'Jobs1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'job_runs',
      columns: [
        { ...col.str('id', 200), isPrimary: true }, col.str('name', 80), col.str('key', 120), col.text('payload'), col.str('trigger', 20), col.str('mode', 12),
        col.str('state', 12), col.int('attempts', false, 0), col.int('max_attempts'), col.instant('queued_at'), col.instant('started_at', true), col.instant('finished_at', true),
        col.text('error', true), col.text('result', true),
      ],
      indices: [new TableIndex({ columnNames: ['queued_at'] }), new TableIndex({ columnNames: ['name', 'state'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('job_runs');
  }
}
