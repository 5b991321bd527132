import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

/** Monthly recaps (SPEC §5, §11) and the stored result of each reconciliation run. */
export class Recaps1764300000000 implements MigrationInterface {
  name = 'Recaps1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'recaps',
      columns: [
        col.id(), col.finess('establishment'), col.str('medicine', 40), col.period('period'), col.int('lines'), col.int('administrations'), col.int('vials'),
        col.str('source', 10), col.bool('late'), col.instant('submitted_at'), col.str('submitted_by', 100),
      ],
      indices: [new TableIndex({ columnNames: ['establishment', 'medicine', 'period'], isUnique: true }), new TableIndex({ columnNames: ['medicine', 'period'] })],
    }));
    await q.createTable(new Table({
      name: 'recap_lines',
      columns: [pk(col.str('recap_id', 36)), pk(col.pseudonym('patient')), col.int('line'), col.int('administrations'), col.text('administration_dates', true), col.int('vials')],
    }));
    await q.createTable(new Table({
      name: 'reconciliation_runs',
      columns: [pk(col.str('medicine', 40)), pk(col.period('period')), col.instant('run_at'), col.str('run_by', 100), col.int('discrepancies'), col.real('order_tolerance_pct')],
    }));
    await q.createTable(new Table({
      name: 'reconciliation_discrepancies',
      columns: [pk(col.str('medicine', 40)), pk(col.period('period')), pk(col.int('seq')), col.str('kind', 40), col.finess('establishment'), col.pseudonym('patient', true), col.text('detail')],
      indices: [new TableIndex({ columnNames: ['medicine', 'period', 'establishment'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['reconciliation_discrepancies', 'reconciliation_runs', 'recap_lines', 'recaps']) await q.dropTable(table);
  }
}
