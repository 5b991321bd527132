import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/**
 * Two policy fields of the Nulojix page (14 February 2023 and 11 January 2024): whether initiations
 * must be registered on the platform (an initiation request) and whether an order needs its
 * justification lines. Existing rows keep today's behaviour: no registration, lines required.
 */
export class PolicyFollowUpFields1765160000000 implements MigrationInterface {
  name = 'PolicyFollowUpFields1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('policies', [
      new TableColumn(col.bool('registration_required', false)),
      new TableColumn(col.bool('order_justification_required', true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('policies', 'order_justification_required');
    await q.dropColumn('policies', 'registration_required');
  }
}
