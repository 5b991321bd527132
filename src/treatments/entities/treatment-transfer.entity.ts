import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A declared transfer: the treatment left `fromEstablishment` and is held by `toEstablishment` from `date` on. */
@Entity('treatment_transfers')
@Index(['treatmentId'])
@Index(['fromEstablishment'])
export class TreatmentTransferEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36, name: 'treatment_id' }) treatmentId!: string;
  @Column({ type: 'varchar', length: 10 }) date!: string;
  @Column({ type: 'varchar', length: 9, name: 'from_establishment' }) fromEstablishment!: string;
  @Column({ type: 'varchar', length: 9, name: 'to_establishment' }) toEstablishment!: string;
  @Column({ type: 'varchar', length: 30, name: 'declared_at' }) declaredAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'declared_by' }) declaredBy!: string;
}
