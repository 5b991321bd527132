import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../../common/domain/roles';

@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100, unique: true }) username!: string;
  @Column({ type: 'varchar', length: 200, name: 'password_hash' }) passwordHash!: string;
  @Column({ type: 'varchar', length: 20 }) role!: Role;
  @Column({ type: 'varchar', length: 9, nullable: true }) establishment!: string | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) specialty!: string | null;
  @Column({ type: 'varchar', length: 200, name: 'display_name' }) displayName!: string;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
  /** Bumped on sign-out, role change and deletion: tokens carry it (`ver`) and any other version is refused. */
  @Column({ type: 'integer', name: 'token_version', default: 0 }) tokenVersion?: number; // optional: inserts leave it to the column default (0)
  /** Where notifications are e-mailed (issue 19); null: inbox only. */
  @Column({ type: 'varchar', length: 254, nullable: true }) email?: string | null;
  /** The language of the user's notifications: `fr` (default) or `en`. */
  @Column({ type: 'varchar', length: 2, nullable: true }) language?: string | null;
}
