import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A patient known only by a keyed hash of the NIR and a pseudonym (SPEC §2). */
@Entity('patients')
export class PatientEntity {
  @PrimaryColumn({ type: 'varchar', length: 12 }) pseudonym!: string;
  @Column({ type: 'varchar', length: 64, unique: true, name: 'nir_hash' }) nirHash!: string;
  @Column({ type: 'varchar', length: 10, name: 'birth_date' }) birthDate!: string;
  @Column({ type: 'varchar', length: 1 }) sex!: string;
  @Column({ type: 'real', name: 'weight_kg' }) weightKg!: number;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
}
