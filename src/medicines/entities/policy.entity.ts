import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';

export type PolicyMode = 'unrestricted' | 'freed-stock' | 'capped';
export type IndicationKind = 'urgent' | 'quota' | 'open';
export type UnusedQuota = 'lapse' | 'carry';

/** One version of a medicine's rules, effective from a date until the next version (SPEC §3). */
@Entity('policies')
@Index(['medicineCode', 'version'], { unique: true })
export class PolicyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'varchar', length: 10, name: 'effective_from' }) effectiveFrom!: string;
  @Column({ type: 'varchar', length: 20 }) mode!: PolicyMode;
  @Column({ type: 'integer', nullable: true, name: 'monthly_cap' }) monthlyCap!: number | null;
  @Column({ type: 'integer', name: 'quota_pool', default: 0 }) quotaPool!: number;
  @Column({ type: 'text', transformer: jsonText }) indications!: { code: string; kind: IndicationKind }[];
  @Column({ type: 'varchar', length: 10, name: 'unused_quota' }) unusedQuota!: UnusedQuota;
  @Column({ type: 'boolean' }) redistribute!: boolean;
  @Column({ type: 'integer', name: 'votes_required' }) votesRequired!: number;
  @Column({ type: 'integer', name: 'deadline_hours' }) deadlineHours!: number;
  @Column({ type: 'integer', name: 'start_within_days' }) startWithinDays!: number;
  @Column({ type: 'real', name: 'order_tolerance_pct' }) orderTolerancePct!: number;
  /** Initiations must be registered on the platform, i.e. go through an initiation request (Nulojix, 2023-02-14 to 2024-01-10). */
  @Column({ type: 'boolean', name: 'registration_required', default: false }) registrationRequired!: boolean;
  /** Each order must carry its justification lines (followed patients and their vial needs). */
  @Column({ type: 'boolean', name: 'order_justification_required', default: true }) orderJustificationRequired!: boolean;
  /** Dosing schedule as data (SPEC §6). */
  @Column({ type: 'text', transformer: jsonText }) schedule!: object | null;
  /** Free-text rules kept for people (declarations, justification…). */
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'published_at' }) publishedAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'published_by' }) publishedBy!: string;
}
