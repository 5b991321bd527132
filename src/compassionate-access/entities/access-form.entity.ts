import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import type { ClinicalForm } from '../domain/clinical-form';
import type { FormKind, StopReason } from '../domain/follow-up';

/** A follow-up form received for an authorised request (SPEC §9, §11 forms). */
@Entity('access_forms')
export class AccessFormEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36, name: 'request_id' }) requestId!: string;
  /** The patient's follow-up, shared by a request and the one it was carried over to. */
  @Column({ type: 'varchar', length: 36, name: 'follow_up_id' }) followUpId!: string;
  @Column({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  @Column({ type: 'varchar', length: 12 }) patient!: string;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 20 }) kind!: FormKind;
  /** `initiation`, `M3`, `M6`, … ; null for a stop form. */
  @Column({ type: 'varchar', length: 20, nullable: true }) due!: string | null;
  @Column({ type: 'varchar', length: 10 }) date!: string;
  @Column({ type: 'boolean' }) administered!: boolean;
  @Column({ type: 'varchar', length: 20, nullable: true }) reason!: StopReason | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) data!: ClinicalForm | null;
  @Column({ type: 'varchar', length: 30, name: 'received_at' }) receivedAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'received_by' }) receivedBy!: string;
}
