import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The chain's last sequence number and hash, written with every append: a removed last event shows. */
@Entity('audit_head')
export class AuditHeadEntity {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 64 }) hash!: string;
}
