import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The latest reconciliation of a medicine's period; a re-run replaces it. */
@Entity('reconciliation_runs')
export class ReconciliationRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) medicine!: string;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period!: string;
  @Column({ type: 'varchar', length: 30, name: 'run_at' }) runAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'run_by' }) runBy!: string;
  @Column({ type: 'integer' }) discrepancies!: number;
  @Column({ type: 'real', name: 'order_tolerance_pct' }) orderTolerancePct!: number;
}
