import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An accepted monthly recap: one per establishment, medicine and period (a new one replaces it). */
@Entity('recaps')
@Index(['establishment', 'medicine', 'period'], { unique: true })
export class RecapEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 40 }) medicine!: string;
  @Column({ type: 'varchar', length: 7 }) period!: string;
  @Column({ type: 'integer' }) lines!: number;
  @Column({ type: 'integer' }) administrations!: number;
  @Column({ type: 'integer' }) vials!: number;
  /** `json` or `csv`. */
  @Column({ type: 'varchar', length: 10 }) source!: string;
  /** Submitted after the recap deadline (SPEC §5: triggers a re-run of the reconciliation). */
  @Column({ type: 'boolean' }) late!: boolean;
  @Column({ type: 'varchar', length: 30, name: 'submitted_at' }) submittedAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'submitted_by' }) submittedBy!: string;
}
