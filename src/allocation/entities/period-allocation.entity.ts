import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PolicyMode } from '../domain/capacity';

/**
 * The national counters of one medicine's period (SPEC §4 rules 2–3). Grants take them with a
 * conditional update (`… WHERE urgent_granted + quota_granted < national_capacity`), never a read-then-write.
 */
@Entity('period_allocations')
export class PeriodAllocationEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) medicine!: string;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period!: string;
  @Column({ type: 'integer', name: 'policy_version' }) policyVersion!: number;
  @Column({ type: 'varchar', length: 20 }) mode!: PolicyMode;
  @Column({ type: 'integer', nullable: true, name: 'national_capacity' }) nationalCapacity!: number | null;
  @Column({ type: 'integer', name: 'urgent_granted' }) urgentGranted!: number;
  @Column({ type: 'integer', name: 'quota_granted' }) quotaGranted!: number;
  @Column({ type: 'integer', name: 'quota_pool' }) quotaPool!: number;
  /** Mode `freed-stock`: stops declared in the period, lab extras, freed capacity carried from the period before. */
  @Column({ type: 'integer', name: 'freed_capacity' }) freedCapacity!: number;
  @Column({ type: 'integer', name: 'extra_capacity' }) extraCapacity!: number;
  @Column({ type: 'integer', name: 'carried_freed_capacity' }) carriedFreedCapacity!: number;
  @Column({ type: 'varchar', length: 30, name: 'computed_at' }) computedAt!: string;
}
