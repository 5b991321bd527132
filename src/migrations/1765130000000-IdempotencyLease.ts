import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/** An Idempotency-Key claim's lease, in real time (not the business clock CONTINGENT_NOW may fix). */
export class IdempotencyLease1765130000000 implements MigrationInterface {
  name = 'IdempotencyLease1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('idempotency_keys', new TableColumn(col.instant('lease_until', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('idempotency_keys', 'lease_until');
  }
}
