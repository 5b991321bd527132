import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/** The lab's supply declarations (SPEC §8b, issue 18): one row per version and medicine. */
export class SupplyDeclarations1765180000000 implements MigrationInterface {
  name = 'SupplyDeclarations1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'supply_declarations',
      columns: [
        col.id(), col.str('medicine_code', 40), col.int('version'), col.date('at'), col.int('stock_units'), col.int('pharmacy_stock_units', true),
        col.text('expected'), col.instant('declared_at'), col.str('declared_by', 100),
      ],
      indices: [new TableIndex({ columnNames: ['medicine_code', 'version'], isUnique: true })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('supply_declarations');
  }
}
