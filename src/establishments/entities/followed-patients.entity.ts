import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The number of transplanted patients a centre follows, declared per period (base of its quota). */
@Entity('followed_patients')
export class FollowedPatientsEntity {
  @PrimaryColumn({ type: 'varchar', length: 9 }) finess!: string;
  @PrimaryColumn({ type: 'varchar', length: 7 }) period!: string;
  @Column({ type: 'integer' }) count!: number;
  @Column({ type: 'varchar', length: 30, name: 'updated_at' }) updatedAt!: string;
}
