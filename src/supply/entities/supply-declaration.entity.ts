import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';

/** One version of a medicine's declared supply (SPEC §8b): append-only, the highest version is the one in use. */
@Entity('supply_declarations')
@Index(['medicineCode', 'version'], { unique: true })
export class SupplyDeclarationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'varchar', length: 10 }) at!: string;
  @Column({ type: 'integer', name: 'stock_units' }) stockUnits!: number;
  @Column({ type: 'integer', name: 'pharmacy_stock_units', nullable: true }) pharmacyStockUnits!: number | null;
  @Column({ type: 'text', transformer: jsonText }) expected!: { period: string; units: number }[];
  @Column({ type: 'varchar', length: 30, name: 'declared_at' }) declaredAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'declared_by' }) declaredBy!: string;
}
