import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/** SPEC §9 Derogation: an authorisation given although criteria were not met keeps those criteria and the reason (JSON). */
export class AccessDerogation1765160000001 implements MigrationInterface {
  name = 'AccessDerogation1765160000001';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('access_requests', new TableColumn(col.text('derogation', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('access_requests', 'derogation');
  }
}
