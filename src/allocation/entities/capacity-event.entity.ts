import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What adds national capacity in `freed-stock` mode (SPEC §4 rule 2): a declared stop of an active
 * treatment (`stop`, one initiation, `source` = the treatment, so a stop counts once) or the lab's
 * declared supply for a period (`supply`, N initiations).
 */
@Entity('capacity_events')
@Index(['medicine', 'period'])
@Index(['kind', 'source'], { unique: true })
export class CapacityEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) medicine!: string;
  @Column({ type: 'varchar', length: 7 }) period!: string;
  @Column({ type: 'varchar', length: 10 }) kind!: 'stop' | 'supply';
  @Column({ type: 'integer' }) initiations!: number;
  @Column({ type: 'varchar', length: 100, nullable: true }) source!: string | null;
  @Column({ type: 'varchar', length: 9, nullable: true }) establishment!: string | null;
  @Column({ type: 'varchar', length: 100, name: 'declared_by' }) declaredBy!: string;
  @Column({ type: 'varchar', length: 30 }) at!: string;
}
