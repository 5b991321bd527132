import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

/** Weights are 8-byte floats on both databases (`real` is 4 bytes on PostgreSQL). */
const double = (name: string): TableColumnOptions => ({ name, type: 'double precision', isNullable: false });

/** Declared treatments (SPEC §5 Declarations) and their transfers between establishments. */
export class Treatments1764100000000 implements MigrationInterface {
  name = 'Treatments1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'treatments',
      columns: [
        col.id(), col.pseudonym('patient'), col.str('medicine', 40), col.str('indication', 60), col.finess('establishment'), col.date('establishment_since'),
        col.str('status', 10), col.date('start_date'), double('weight_kg'), col.date('stop_date', true), col.str('stop_reason', 20, true),
        col.str('request_id', 36, true), col.int('policy_version'), col.instant('created_at'), col.str('created_by', 100), col.instant('updated_at'),
      ],
      indices: [
        new TableIndex({ columnNames: ['medicine', 'status'] }),
        new TableIndex({ columnNames: ['medicine', 'start_date'] }),
        new TableIndex({ columnNames: ['establishment'] }),
        new TableIndex({ columnNames: ['patient'] }),
        // A granted request starts one treatment; a patient has one active treatment of a medicine, whatever the race.
        new TableIndex({ name: 'UQ_treatments_request', columnNames: ['request_id'], isUnique: true }),
        new TableIndex({ name: 'UQ_treatments_active_patient_medicine', columnNames: ['patient', 'medicine'], isUnique: true, where: "status = 'active'" }),
      ],
      foreignKeys: [
        { columnNames: ['patient'], referencedTableName: 'patients', referencedColumnNames: ['pseudonym'] },
        { columnNames: ['medicine'], referencedTableName: 'medicines', referencedColumnNames: ['code'] },
        { columnNames: ['establishment'], referencedTableName: 'establishments', referencedColumnNames: ['finess'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'treatment_transfers',
      columns: [
        pk(col.str('id', 36)), col.str('treatment_id', 36), col.date('date'), col.finess('from_establishment'), col.finess('to_establishment'),
        col.instant('declared_at'), col.str('declared_by', 100),
      ],
      indices: [new TableIndex({ columnNames: ['treatment_id'] }), new TableIndex({ columnNames: ['from_establishment'] })],
      foreignKeys: [
        { columnNames: ['treatment_id'], referencedTableName: 'treatments', referencedColumnNames: ['id'] },
        { columnNames: ['to_establishment'], referencedTableName: 'establishments', referencedColumnNames: ['finess'] },
      ],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('treatment_transfers');
    await q.dropTable('treatments');
  }
}
