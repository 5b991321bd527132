import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/** Followed-patient declarations as proposals the agency decides (#12.7); `followed_patients` keeps the approved counts only. */
export class FollowedPatientDeclarations1765120000001 implements MigrationInterface {
  name = 'FollowedPatientDeclarations1765120000001';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'followed_patient_declarations',
      columns: [
        col.id(), col.finess('finess'), col.period(), col.int('count'), col.int('base_count', true), col.str('status', 12), col.int('approved_count', true),
        col.str('declared_by', 100), col.instant('declared_at'), col.str('decided_by', 100, true), col.instant('decided_at', true), col.str('reason', 500, true),
      ],
      indices: [new TableIndex({ columnNames: ['status', 'declared_at'] }), new TableIndex({ columnNames: ['finess', 'period'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('followed_patient_declarations');
  }
}
