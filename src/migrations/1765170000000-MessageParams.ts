import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/**
 * The parameters of the sentences a service stores with a code (issue 17): a request's decision
 * reason and a discrepancy's detail are rendered from the code and these, in the reader's language.
 * Rows written before keep their English sentence (params null).
 */
export class MessageParams1765170000000 implements MigrationInterface {
  name = 'MessageParams1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('initiation_requests', new TableColumn(col.text('reason_params', true)));
    await q.addColumn('reconciliation_discrepancies', new TableColumn(col.text('params', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('reconciliation_discrepancies', 'params');
    await q.dropColumn('initiation_requests', 'reason_params');
  }
}
