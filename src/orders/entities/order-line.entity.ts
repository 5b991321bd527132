import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';

/** One justification line: a treated patient and the administrations planned in the period. */
@Entity('order_lines')
@Index(['patient'])
export class OrderLineEntity {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'order_id' }) orderId!: string;
  @PrimaryColumn({ type: 'integer', name: 'line_no' }) lineNo!: number;
  @Column({ type: 'varchar', length: 12 }) patient!: string;
  /** Dates YYYY-MM-DD. */
  @Column({ type: 'text', transformer: jsonText }) administrations!: string[];
  @Column({ type: 'integer' }) vials!: number;
}
