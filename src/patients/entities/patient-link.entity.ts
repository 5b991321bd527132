import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which establishments may see a patient: those that registered or treat them. */
@Entity('patient_links')
export class PatientLinkEntity {
  @PrimaryColumn({ type: 'varchar', length: 12 }) pseudonym!: string;
  @PrimaryColumn({ type: 'varchar', length: 9 }) finess!: string;
  /** `registered`, `treated` or `transfer`. */
  @Column({ type: 'varchar', length: 20 }) via!: string;
  @Column({ type: 'varchar', length: 30, name: 'linked_at' }) linkedAt!: string;
}
