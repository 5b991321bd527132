import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

const double = (name: string): TableColumnOptions => ({ name, type: 'double precision', isNullable: false });

/** Pharmacy orders with their justification lines, and the lab's decision (SPEC §5 Order). */
export class Orders1764200000000 implements MigrationInterface {
  name = 'Orders1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'orders',
      columns: [
        col.id(), col.str('medicine', 40), col.finess('establishment'), col.period('period'), col.int('quantity'), col.int('need'), col.int('tolerated'),
        double('tolerance_pct'), col.int('policy_version'), col.str('status', 12), col.text('flags'), col.str('active_slot', 36),
        col.int('delivered_quantity', true), col.text('decision_reason', true), col.instant('decided_at', true), col.str('decided_by', 100, true),
        col.instant('submitted_at'), col.str('submitted_by', 100),
      ],
      indices: [
        // One order per medicine, establishment and period until it is refused (a refused order moves to its own slot).
        new TableIndex({ name: 'UQ_orders_open_slot', columnNames: ['medicine', 'establishment', 'period', 'active_slot'], isUnique: true }),
        new TableIndex({ columnNames: ['period', 'medicine'] }),
        new TableIndex({ columnNames: ['establishment', 'period'] }),
      ],
      foreignKeys: [
        { columnNames: ['medicine'], referencedTableName: 'medicines', referencedColumnNames: ['code'] },
        { columnNames: ['establishment'], referencedTableName: 'establishments', referencedColumnNames: ['finess'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'order_lines',
      columns: [pk(col.str('order_id', 36)), pk(col.int('line_no')), col.pseudonym('patient'), col.text('administrations'), col.int('vials')],
      indices: [new TableIndex({ columnNames: ['patient'] })],
      foreignKeys: [{ columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('order_lines');
    await q.dropTable('orders');
  }
}
