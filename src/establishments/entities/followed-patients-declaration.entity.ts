import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeclarationStatus = 'proposed' | 'approved' | 'rejected' | 'superseded';

/** One declaration of a centre's followed patients for a period, and the agency's decision on it (#12.7). */
@Entity('followed_patient_declarations')
export class FollowedPatientsDeclarationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 9 }) finess!: string;
  @Column({ type: 'varchar', length: 7 }) period!: string;
  /** The count declared. */
  @Column({ type: 'integer' }) count!: number;
  /** The approved count in force for the period when it was declared (null: none yet). */
  @Column({ type: 'integer', name: 'base_count', nullable: true }) baseCount!: number | null;
  @Column({ type: 'varchar', length: 12 }) status!: DeclarationStatus;
  /** The count that was approved (may correct the declaration). */
  @Column({ type: 'integer', name: 'approved_count', nullable: true }) approvedCount!: number | null;
  @Column({ type: 'varchar', length: 100, name: 'declared_by' }) declaredBy!: string;
  @Column({ type: 'varchar', length: 30, name: 'declared_at' }) declaredAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'decided_at', nullable: true }) decidedAt!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
}
