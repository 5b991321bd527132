import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/**
 * A discrepancy written by the set-based reconciliation (issue 15) stores its code and figures
 * (params) only: its sentence is rendered from them in the reader's language (issue 17), so
 * `detail` is null for those rows; rows written before keep their English sentence.
 */
export class DiscrepancyDetailFromParams1796187340740 implements MigrationInterface {
  name = 'DiscrepancyDetailFromParams1796187340740';

  async up(q: QueryRunner): Promise<void> {
    await q.changeColumn('reconciliation_discrepancies', 'detail', new TableColumn(col.text('detail', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("UPDATE reconciliation_discrepancies SET detail = '' WHERE detail IS NULL");
    await q.changeColumn('reconciliation_discrepancies', 'detail', new TableColumn(col.text('detail')));
  }
}
