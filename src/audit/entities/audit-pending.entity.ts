import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An audit event committed with its change but not chained yet: writers append here without any
 * global lock (the autoincrement id orders them), the sequencer moves them into `audit_events`
 * right after commit, in small batches, with their sequence number and hash.
 * `before`/`after` are canonical JSON text, kept as written: the hash covers this very text.
 */
@Entity('audit_pending')
export class AuditPendingEntity {
  @PrimaryGeneratedColumn('increment') id!: number;
  @Column({ type: 'varchar', length: 30 }) at!: string;
  @Column({ type: 'varchar', length: 36, name: 'actor_id' }) actorId!: string;
  @Column({ type: 'varchar', length: 100, name: 'actor_name' }) actorName!: string;
  @Column({ type: 'varchar', length: 20 }) role!: string;
  @Column({ type: 'varchar', length: 9, nullable: true }) establishment!: string | null;
  @Column({ type: 'varchar', length: 80 }) action!: string;
  @Column({ type: 'varchar', length: 50 }) entity!: string;
  @Column({ type: 'varchar', length: 100, name: 'entity_id' }) entityId!: string;
  @Column({ type: 'text', nullable: true }) before!: string | null;
  @Column({ type: 'text', nullable: true }) after!: string | null;
}
