import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('medicines')
export class MedicineEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 30 }) unit!: string;
  @Column({ type: 'real', name: 'unit_mg' }) unitMg!: number;
  /** `rationing` (quotas, SPEC §3–4) or `compassionate` (individual authorisations, SPEC §9). */
  @Column({ type: 'varchar', length: 20 }) scheme!: string;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
}
