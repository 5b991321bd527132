import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DiscrepancyKind } from '../domain/reconcile';

/** One discrepancy of the latest run, in the order `reconcile` gives them (`seq`). */
@Entity('reconciliation_discrepancies')
export class DiscrepancyEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) medicine!: string;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period!: string;
  @PrimaryColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 40 }) kind!: DiscrepancyKind;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 12, nullable: true }) patient!: string | null;
  @Column({ type: 'text' }) detail!: string;
}
