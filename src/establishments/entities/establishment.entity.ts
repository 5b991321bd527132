import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('establishments')
export class EstablishmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 9 }) finess!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 100 }) region!: string;
  @Column({ type: 'varchar', length: 20 }) category!: string;
  @Column({ type: 'boolean', name: 'transplant_centre' }) transplantCentre!: boolean;
  @Column({ type: 'boolean', default: false }) fictitious!: boolean;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
}
