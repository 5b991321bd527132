import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The periodic report reads a medicine's forms page by page in (date, id) order (issue 15: keyset pagination,
 * never every row at once); this index gives that order without a sort, on SQLite and PostgreSQL.
 */
export class AccessFormsReportOrder1796188278897 implements MigrationInterface {
  name = 'AccessFormsReportOrder1796188278897';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('access_forms', new TableIndex({ name: 'IDX_access_forms_medicine_date_id', columnNames: ['medicine_code', 'date', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('access_forms', 'IDX_access_forms_medicine_date_id');
  }
}
