import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { col, pk } from '../common/database/migration-helpers';

/** Notifications (issue 19): users' e-mail and language, the in-app inbox, e-mail deliveries with their attempts, preferences per kind. */
export class Notifications1765190000000 implements MigrationInterface {
  name = 'Notifications1765190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('users', [new TableColumn(col.str('email', 254, true)), new TableColumn(col.str('language', 2, true))]);
    await q.createTable(new Table({
      name: 'notifications',
      columns: [
        col.id(), col.str('event_key', 200), col.str('code', 60), col.str('user_id', 36), col.text('params'), col.str('link', 300),
        col.instant('created_at'), col.instant('read_at', true),
      ],
      indices: [new TableIndex({ columnNames: ['event_key', 'user_id'], isUnique: true }), new TableIndex({ columnNames: ['user_id', 'created_at'] })],
    }));
    await q.createTable(new Table({
      name: 'notification_deliveries',
      columns: [
        col.id(), col.str('key', 300), col.str('notification_id', 36, true), col.text('items', true), col.str('user_id', 36), col.str('recipient', 254),
        col.str('mode', 12), col.str('state', 12), col.int('attempts', false, 0), col.instant('lease_until', true), col.instant('next_attempt_at', true),
        col.str('digest_id', 36, true), col.str('message_id', 300), col.instant('sent_at', true), col.text('last_error', true), col.instant('created_at'), col.instant('updated_at'),
      ],
      indices: [new TableIndex({ columnNames: ['key'], isUnique: true }), new TableIndex({ columnNames: ['state'] }), new TableIndex({ columnNames: ['user_id', 'mode', 'state'] })],
    }));
    await q.createTable(new Table({
      name: 'notification_delivery_attempts',
      columns: [
        col.id(), col.str('delivery_id', 36), col.int('attempt'), col.str('worker', 60), col.instant('started_at'), col.instant('finished_at', true),
        col.str('outcome', 12, true), col.text('error', true),
      ],
      indices: [new TableIndex({ columnNames: ['delivery_id', 'attempt'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'notification_preferences',
      columns: [pk(col.str('user_id', 36)), pk(col.str('code', 60)), col.str('mode', 12), col.instant('updated_at')],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['notification_preferences', 'notification_delivery_attempts', 'notification_deliveries', 'notifications']) await q.dropTable(table);
    await q.dropColumn('users', 'language');
    await q.dropColumn('users', 'email');
  }
}
