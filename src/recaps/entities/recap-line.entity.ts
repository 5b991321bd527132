import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';

/** One patient of a recap, by pseudonym (a NIR is hashed on arrival and never stored). */
@Entity('recap_lines')
export class RecapLineEntity {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'recap_id' }) recapId!: string;
  @PrimaryColumn({ type: 'varchar', length: 12 }) patient!: string;
  /** The CSV file line (header = 1), or the index in `patients` for JSON. */
  @Column({ type: 'integer' }) line!: number;
  @Column({ type: 'integer' }) administrations!: number;
  @Column({ type: 'text', name: 'administration_dates', nullable: true, transformer: jsonText }) administrationDates!: string[] | null;
  @Column({ type: 'integer' }) vials!: number;
}
