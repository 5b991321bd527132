import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The periodic report reads a medicine's requests page by page in (submitted_on, id) order and its forms in
 * (date, id) order (issue 15: keyset pagination, never every row at once); these indexes give that order
 * without a sort, on SQLite and PostgreSQL.
 */
export class AccessFormsReportOrder1796188278897 implements MigrationInterface {
  name = 'AccessFormsReportOrder1796188278897';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('access_forms', new TableIndex({ name: 'IDX_access_forms_medicine_date_id', columnNames: ['medicine_code', 'date', 'id'] }));
    await q.createIndex('access_requests', new TableIndex({ name: 'IDX_access_requests_medicine_submitted_id', columnNames: ['medicine_code', 'submitted_on', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('access_requests', 'IDX_access_requests_medicine_submitted_id');
    await q.dropIndex('access_forms', 'IDX_access_forms_medicine_date_id');
  }
}
