import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { recordedJsonText } from '../../common/database/json-column';

/** Append-only: rows are inserted by AuditService and never updated or deleted. */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 30 }) at!: string;
  @Column({ type: 'varchar', length: 36, name: 'actor_id' }) actorId!: string;
  @Column({ type: 'varchar', length: 100, name: 'actor_name' }) actorName!: string;
  @Column({ type: 'varchar', length: 20 }) role!: string;
  @Column({ type: 'varchar', length: 9, nullable: true }) establishment!: string | null;
  @Index() @Column({ type: 'varchar', length: 80 }) action!: string;
  @Column({ type: 'varchar', length: 50 }) entity!: string;
  @Index() @Column({ type: 'varchar', length: 100, name: 'entity_id' }) entityId!: string;
  @Column({ type: 'text', nullable: true, transformer: recordedJsonText }) before!: object | null;
  @Column({ type: 'text', nullable: true, transformer: recordedJsonText }) after!: object | null;
  @Column({ type: 'varchar', length: 64, name: 'prev_hash' }) prevHash!: string;
  @Column({ type: 'varchar', length: 64 }) hash!: string;
}
