import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../common/database/migration-helpers';

/** A user's token version (#12.6): bumped on sign-out, role change and deletion; a token of another version is refused. */
export class UserTokenVersion1765120000000 implements MigrationInterface {
  name = 'UserTokenVersion1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn(col.int('token_version', false, 0)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('users', 'token_version');
  }
}
