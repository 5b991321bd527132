import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

/** Credits are carried between periods: 8-byte floats on both databases (`real` is 4 bytes on PostgreSQL). */
const double = (name: string): TableColumnOptions => ({ name, type: 'double precision', isNullable: false });

export class Allocation1764050000000 implements MigrationInterface {
  name = 'Allocation1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'initiation_requests',
      columns: [
        col.id(), col.str('medicine', 40), col.str('indication', 60), col.str('kind', 10), col.pseudonym('patient'), col.finess('establishment'),
        col.str('requested_by', 36), col.str('requested_by_name', 100), col.text('justification'), double('weight_kg'), col.period('period'),
        col.str('status', 20), col.int('policy_version'), col.str('reason_code', 40), col.str('reason_message', 500), col.int('rank', true),
        col.instant('submitted_at'), col.instant('deadline', true), col.instant('approved_at', true), col.instant('decided_at', true), col.instant('granted_at', true),
        col.str('slot_kind', 10, true), col.period('slot_period', true), col.instant('closed_at', true), col.str('treatment_id', 36, true), col.date('start_date', true),
        col.date('treatment_stopped_on', true),
      ],
      indices: [
        new TableIndex({ columnNames: ['medicine', 'status'] }),
        new TableIndex({ columnNames: ['patient', 'medicine'] }),
        new TableIndex({ columnNames: ['establishment', 'medicine', 'status'] }),
        new TableIndex({ columnNames: ['treatment_id'] }),
      ],
      foreignKeys: [
        { columnNames: ['medicine'], referencedTableName: 'medicines', referencedColumnNames: ['code'] },
        { columnNames: ['patient'], referencedTableName: 'patients', referencedColumnNames: ['pseudonym'] },
        { columnNames: ['establishment'], referencedTableName: 'establishments', referencedColumnNames: ['finess'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'committee_votes',
      columns: [col.id(), col.str('request_id', 36), col.str('member_id', 36), col.str('member_name', 100), col.finess('member_establishment', true), col.str('decision', 10), col.text('rationale'), col.instant('voted_at')],
      indices: [new TableIndex({ columnNames: ['request_id', 'member_id'], isUnique: true })],
      foreignKeys: [{ columnNames: ['request_id'], referencedTableName: 'initiation_requests', referencedColumnNames: ['id'] }],
    }));
    await q.createTable(new Table({
      name: 'period_allocations',
      columns: [
        pk(col.str('medicine', 40)), pk(col.period('period')), col.int('policy_version'), col.str('mode', 20), col.int('national_capacity', true),
        col.int('urgent_granted', false, 0), col.int('quota_granted', false, 0), col.int('quota_pool', false, 0),
        col.int('freed_capacity', false, 0), col.int('extra_capacity', false, 0), col.int('carried_freed_capacity', false, 0), col.instant('computed_at'),
      ],
      foreignKeys: [{ columnNames: ['medicine'], referencedTableName: 'medicines', referencedColumnNames: ['code'] }],
    }));
    await q.createTable(new Table({
      name: 'centre_allocations',
      columns: [
        pk(col.str('medicine', 40)), pk(col.period('period')), pk(col.finess('finess')), col.int('followed_patients'), double('entitlement'), double('credit_before'),
        col.int('slots'), col.int('used', false, 0), double('credit_after'), col.int('carried_slots', false, 0),
      ],
      indices: [new TableIndex({ columnNames: ['medicine', 'finess'] })],
      foreignKeys: [{ columnNames: ['medicine', 'period'], referencedTableName: 'period_allocations', referencedColumnNames: ['medicine', 'period'] }],
    }));
    await q.createTable(new Table({
      name: 'capacity_events',
      columns: [col.id(), col.str('medicine', 40), col.period('period'), col.str('kind', 10), col.int('initiations'), col.str('source', 100, true), col.finess('establishment', true), col.str('declared_by', 100), col.instant('at')],
      indices: [new TableIndex({ columnNames: ['medicine', 'period'] }), new TableIndex({ columnNames: ['kind', 'source'], isUnique: true })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['capacity_events', 'centre_allocations', 'period_allocations', 'committee_votes', 'initiation_requests']) await q.dropTable(table);
  }
}
