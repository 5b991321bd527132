import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('indications')
export class IndicationEntity {
  @PrimaryColumn({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  @PrimaryColumn({ type: 'varchar', length: 60 }) code!: string;
  @Column({ type: 'varchar', length: 300 }) name!: string;
}
