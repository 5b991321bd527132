import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import type { ClinicalFormSpec } from '../domain/clinical-form';

/** A medicine's compassionate-access scheme as data (SPEC §9): who may ask, the meeting, the forms, the replacement. */
@Entity('access_schemes')
export class AccessSchemeEntity {
  @PrimaryColumn({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  /** The criteria family: medicines that replace one another share it (onc201 for ONC201 and dordaviprone). */
  @Column({ type: 'varchar', length: 40 }) scheme!: string;
  @Column({ type: 'varchar', length: 60, name: 'indication_code' }) indicationCode!: string;
  @Column({ type: 'text', name: 'prescriber_specialties', transformer: jsonText }) prescriberSpecialties!: string[];
  /** The committee specialty of the national meeting that reviews each request, or null. */
  @Column({ type: 'varchar', length: 50, nullable: true }) meeting!: string | null;
  /** Username of the supplier (the `lab` user) that may read the scheme's requests and reports. */
  @Column({ type: 'varchar', length: 100, nullable: true }) supplier!: string | null;
  @Column({ type: 'integer', name: 'validity_days' }) validityDays!: number;
  @Column({ type: 'integer', name: 'follow_up_every_months' }) followUpEveryMonths!: number;
  @Column({ type: 'text', name: 'clinical_form', transformer: jsonText }) clinicalForm!: ClinicalFormSpec;
  @Column({ type: 'text', name: 'follow_up_form', transformer: jsonText }) followUpForm!: ClinicalFormSpec;
  @Column({ type: 'text', name: 'report_variables', transformer: jsonText }) reportVariables!: {
    numeric: string[];
    categorical: { name: string; values?: string[] }[];
  };
  /** Dosing schedule as data (SPEC §9, §6). */
  @Column({ type: 'text', transformer: jsonText }) schedule!: object | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'available_from' }) availableFrom!: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true, name: 'replaced_by' }) replacedBy!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'replaced_from' }) replacedFrom!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
}
