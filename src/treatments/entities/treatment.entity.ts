import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StopReason, TreatmentStatus } from '../domain/treatment-state';

/** A declared treatment (SPEC §5 Declarations); `establishment` is the one that holds it now. */
@Entity('treatments')
@Index(['medicine', 'status'])
@Index(['establishment'])
@Index(['patient', 'medicine'], { unique: true, where: "status = 'active'" })
export class TreatmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 12 }) patient!: string;
  @Column({ type: 'varchar', length: 40 }) medicine!: string;
  @Column({ type: 'varchar', length: 60 }) indication!: string;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 10, name: 'establishment_since' }) establishmentSince!: string;
  @Column({ type: 'varchar', length: 10 }) status!: TreatmentStatus;
  @Column({ type: 'varchar', length: 10, name: 'start_date' }) startDate!: string;
  @Column({ type: 'double precision', name: 'weight_kg' }) weightKg!: number;
  @Column({ type: 'varchar', length: 10, name: 'stop_date', nullable: true }) stopDate!: string | null;
  @Column({ type: 'varchar', length: 20, name: 'stop_reason', nullable: true }) stopReason!: StopReason | null;
  /** The granted initiation request it started from (null for a direct start); a request starts once. */
  @Column({ type: 'varchar', length: 36, name: 'request_id', nullable: true, unique: true }) requestId!: string | null;
  @Column({ type: 'integer', name: 'policy_version' }) policyVersion!: number;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'created_by' }) createdBy!: string;
  @Column({ type: 'varchar', length: 30, name: 'updated_at' }) updatedAt!: string;
}
