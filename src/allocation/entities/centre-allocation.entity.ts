import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One centre's share of a period's quota pool (SPEC §4 rule 4); `used` is taken with `… WHERE used < slots`. */
@Entity('centre_allocations')
export class CentreAllocationEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) medicine!: string;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period!: string;
  @PrimaryColumn({ type: 'varchar', length: 9 }) finess!: string;
  @Column({ type: 'integer', name: 'followed_patients' }) followedPatients!: number;
  @Column({ type: 'double precision' }) entitlement!: number;
  @Column({ type: 'double precision', name: 'credit_before' }) creditBefore!: number;
  @Column({ type: 'integer' }) slots!: number;
  @Column({ type: 'integer' }) used!: number;
  @Column({ type: 'double precision', name: 'credit_after' }) creditAfter!: number;
  @Column({ type: 'integer', name: 'carried_slots' }) carriedSlots!: number;
}
