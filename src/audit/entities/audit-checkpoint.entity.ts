import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A signed checkpoint of the chain (SPEC §8), kept apart from the chain's rows; its copy outside the database is what counts. */
@Entity('audit_checkpoints')
export class AuditCheckpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Index() @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 64 }) hash!: string;
  @Index() @Column({ type: 'varchar', length: 30 }) at!: string;
  @Column({ type: 'varchar', length: 100 }) signature!: string;
  @Column({ type: 'varchar', length: 60, name: 'public_key' }) publicKey!: string;
  @Column({ type: 'varchar', length: 100, name: 'taken_by' }) takenBy!: string;
}
