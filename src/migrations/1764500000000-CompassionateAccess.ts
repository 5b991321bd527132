import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

/** Compassionate access (SPEC §9): schemes, criteria versions as data, requests and follow-up forms. */
export class CompassionateAccess1764500000000 implements MigrationInterface {
  name = 'CompassionateAccess1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'access_schemes',
      columns: [
        pk(col.str('medicine_code', 40)), col.str('scheme', 40), col.str('indication_code', 60), col.text('prescriber_specialties'),
        col.str('meeting', 50, true), col.str('supplier', 100, true), col.int('validity_days'), col.int('follow_up_every_months'),
        col.text('clinical_form'), col.text('follow_up_form'), col.text('report_variables'), col.text('schedule', true),
        col.date('available_from', true), col.str('replaced_by', 40, true), col.date('replaced_from', true), col.instant('created_at'),
      ],
      foreignKeys: [
        { columnNames: ['medicine_code'], referencedTableName: 'medicines', referencedColumnNames: ['code'] },
        { columnNames: ['replaced_by'], referencedTableName: 'medicines', referencedColumnNames: ['code'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'access_criteria_versions',
      columns: [col.id(), col.str('scheme', 40), col.str('version', 60), col.date('effective_from'), col.text('criteria'), col.instant('published_at'), col.str('published_by', 100)],
      indices: [
        new TableIndex({ columnNames: ['scheme', 'version'], isUnique: true }),
        new TableIndex({ columnNames: ['scheme', 'effective_from'], isUnique: true }),
      ],
    }));
    await q.createTable(new Table({
      name: 'access_requests',
      columns: [
        col.id(), col.str('medicine_code', 40), col.str('scheme', 40), col.str('indication_code', 60), col.pseudonym('patient'), col.finess('establishment'),
        col.str('prescriber', 100), col.date('submitted_on'), col.instant('submitted_at'), col.str('status', 20), col.str('criteria_version', 60),
        col.str('verdict', 20), col.text('eligibility'), col.text('clinical'),
        col.date('countersigned_on', true), col.str('countersigned_by', 100, true), col.text('countersign_comment', true),
        col.date('meeting_on', true), col.str('meeting_decision', 10, true), col.text('meeting_rationale', true), col.str('meeting_by', 100, true),
        col.date('decision_on', true), col.str('decision', 10, true), col.text('decision_reason', true), col.str('decision_by', 100, true),
        col.date('authorised_from', true), col.date('authorised_until', true), col.int('renewals', false, 0),
        col.str('follow_up_id', 36), col.str('carried_from', 36, true), col.str('switched_to', 36, true), col.instant('updated_at'),
      ],
      indices: [
        new TableIndex({ columnNames: ['medicine_code', 'submitted_on'] }),
        new TableIndex({ columnNames: ['establishment'] }),
        new TableIndex({ columnNames: ['patient'] }),
        new TableIndex({ columnNames: ['follow_up_id'] }),
        new TableIndex({ columnNames: ['status'] }),
      ],
      foreignKeys: [
        { columnNames: ['medicine_code'], referencedTableName: 'medicines', referencedColumnNames: ['code'] },
        { columnNames: ['patient'], referencedTableName: 'patients', referencedColumnNames: ['pseudonym'] },
        { columnNames: ['establishment'], referencedTableName: 'establishments', referencedColumnNames: ['finess'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'access_forms',
      columns: [
        col.id(), col.str('request_id', 36), col.str('follow_up_id', 36), col.str('medicine_code', 40), col.pseudonym('patient'), col.finess('establishment'),
        col.str('kind', 20), col.str('due', 20, true), col.date('date'), col.bool('administered'), col.str('reason', 20, true), col.text('data', true),
        col.instant('received_at'), col.str('received_by', 100),
      ],
      indices: [
        new TableIndex({ columnNames: ['follow_up_id', 'due'], isUnique: true }),
        new TableIndex({ columnNames: ['medicine_code', 'date'] }),
        new TableIndex({ columnNames: ['request_id'] }),
      ],
      foreignKeys: [{ columnNames: ['request_id'], referencedTableName: 'access_requests', referencedColumnNames: ['id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['access_forms', 'access_requests', 'access_criteria_versions', 'access_schemes']) await q.dropTable(table);
  }
}
