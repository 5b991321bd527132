import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import type { DiscrepancyKind, DiscrepancyParams } from '../domain/reconcile';

/** One discrepancy of the latest run, in the order `reconcile` gives them (`seq`). */
@Entity('reconciliation_discrepancies')
export class DiscrepancyEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) medicine!: string;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period!: string;
  @PrimaryColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 40 }) kind!: DiscrepancyKind;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 12, nullable: true }) patient!: string | null;
  /** The English sentence of rows written before issue 17; null once the sentence is rendered from `params`. */
  @Column({ type: 'text', nullable: true }) detail!: string | null;
  /** The sentence's figures (`discrepancy.<kind>` in the message catalogue), without the period. */
  @Column({ type: 'text', nullable: true, transformer: jsonText }) params!: DiscrepancyParams | null;
}
