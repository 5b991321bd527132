import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

export class CoreSchema1764000000000 implements MigrationInterface {
  name = 'CoreSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'users',
      columns: [col.id(), { ...col.str('username', 100), isUnique: true }, col.str('password_hash', 200), col.str('role', 20), col.finess('establishment', true), col.str('specialty', 50, true), col.str('display_name', 200), col.instant('created_at')],
    }));
    await q.createTable(new Table({
      name: 'audit_events',
      columns: [pk(col.int('seq')), col.instant('at'), col.str('actor_id', 36), col.str('actor_name', 100), col.str('role', 20), col.finess('establishment', true), col.str('action', 80), col.str('entity', 50), col.str('entity_id', 100), col.text('before', true), col.text('after', true), col.str('prev_hash', 64), col.str('hash', 64)],
      indices: [new TableIndex({ columnNames: ['action'] }), new TableIndex({ columnNames: ['entity_id'] })],
    }));
    await q.createTable(new Table({ name: 'audit_head', columns: [pk(col.int('id')), col.int('seq'), col.str('hash', 64)] }));
    await q.createTable(new Table({
      name: 'idempotency_keys',
      columns: [pk(col.str('user_id', 36)), pk(col.str('key', 200)), col.str('route', 300), col.str('request_hash', 64), col.str('state', 20), col.int('response_status', true), col.text('response_body', true), col.instant('created_at')],
      indices: [new TableIndex({ columnNames: ['created_at'] })],
    }));
    await q.createTable(new Table({
      name: 'establishments',
      columns: [pk(col.finess('finess')), col.str('name', 200), col.str('region', 100), col.str('category', 20), col.bool('transplant_centre'), col.bool('fictitious', false), col.instant('created_at')],
    }));
    await q.createTable(new Table({
      name: 'followed_patients',
      columns: [pk(col.finess('finess')), pk(col.period('period')), col.int('count'), col.instant('updated_at')],
      foreignKeys: [{ columnNames: ['finess'], referencedTableName: 'establishments', referencedColumnNames: ['finess'] }],
    }));
    await q.createTable(new Table({
      name: 'medicines',
      columns: [pk(col.str('code', 40)), col.str('name', 200), col.str('unit', 30), col.real('unit_mg'), col.str('scheme', 20), col.instant('created_at')],
    }));
    await q.createTable(new Table({
      name: 'indications',
      columns: [pk(col.str('medicine_code', 40)), pk(col.str('code', 60)), col.str('name', 300)],
      foreignKeys: [{ columnNames: ['medicine_code'], referencedTableName: 'medicines', referencedColumnNames: ['code'] }],
    }));
    await q.createTable(new Table({
      name: 'policies',
      columns: [
        col.id(), col.str('medicine_code', 40), col.int('version'), col.date('effective_from'), col.str('mode', 20), col.int('monthly_cap', true), col.int('quota_pool', false, 0),
        col.text('indications'), col.str('unused_quota', 10), col.bool('redistribute'), col.int('votes_required'), col.int('deadline_hours'), col.int('start_within_days'),
        col.real('order_tolerance_pct'), col.text('schedule', true), col.text('notes', true), col.instant('published_at'), col.str('published_by', 100),
      ],
      indices: [new TableIndex({ columnNames: ['medicine_code', 'version'], isUnique: true })],
      foreignKeys: [{ columnNames: ['medicine_code'], referencedTableName: 'medicines', referencedColumnNames: ['code'] }],
    }));
    await q.createTable(new Table({
      name: 'patients',
      columns: [pk(col.pseudonym('pseudonym')), { ...col.str('nir_hash', 64), isUnique: true }, col.date('birth_date'), col.str('sex', 1), col.real('weight_kg'), col.instant('created_at')],
    }));
    await q.createTable(new Table({
      name: 'patient_links',
      columns: [pk(col.pseudonym('pseudonym')), pk(col.finess('finess')), col.str('via', 20), col.instant('linked_at')],
      indices: [new TableIndex({ columnNames: ['finess'] })],
      foreignKeys: [{ columnNames: ['pseudonym'], referencedTableName: 'patients', referencedColumnNames: ['pseudonym'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['patient_links', 'patients', 'policies', 'indications', 'medicines', 'followed_patients', 'establishments', 'idempotency_keys', 'audit_head', 'audit_events', 'users']) {
      await q.dropTable(table);
    }
  }
}
