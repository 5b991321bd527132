import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import { IndicationKind } from '../domain/decide';

export const REQUEST_STATUSES = ['pending_review', 'granted', 'waitlisted', 'rejected', 'withdrawn', 'expired', 'started'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses in which a patient "already has an open request" for the medicine. */
export const OPEN_STATUSES: RequestStatus[] = ['pending_review', 'granted', 'waitlisted'];

/** OPEN_STATUSES as an SQL list: `'pending_review', 'granted', 'waitlisted'`. */
export const OPEN_STATUSES_SQL = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');

/** The unique index of a patient's current request for a medicine: open, or started with its treatment running. */
export const CURRENT_REQUEST_INDEX = 'UQ_initiation_requests_current';
export const CURRENT_REQUEST_WHERE = `status IN (${OPEN_STATUSES_SQL}) OR (status = 'started' AND treatment_stopped_on IS NULL)`;

/** An initiation request (SPEC §5): its decision, the policy version it applied and the slot a grant took. */
@Entity('initiation_requests')
@Index(['medicine', 'status'])
@Index(['patient', 'medicine'])
@Index(CURRENT_REQUEST_INDEX, ['patient', 'medicine'], { unique: true, where: CURRENT_REQUEST_WHERE })
@Index('IDX_initiation_requests_centre_queue', ['establishment', 'medicine', 'kind', 'status', 'rank'])
export class InitiationRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) medicine!: string;
  @Column({ type: 'varchar', length: 60 }) indication!: string;
  @Column({ type: 'varchar', length: 10 }) kind!: IndicationKind;
  @Column({ type: 'varchar', length: 12 }) patient!: string;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 36, name: 'requested_by' }) requestedBy!: string;
  @Column({ type: 'varchar', length: 100, name: 'requested_by_name' }) requestedByName!: string;
  @Column({ type: 'text' }) justification!: string;
  @Column({ type: 'double precision', name: 'weight_kg' }) weightKg!: number;
  /** The period of the latest decision (a waitlisted request moves to the period that grants it). */
  @Column({ type: 'varchar', length: 7 }) period!: string;
  @Column({ type: 'varchar', length: 20 }) status!: RequestStatus;
  @Column({ type: 'integer', name: 'policy_version' }) policyVersion!: number;
  @Column({ type: 'varchar', length: 40, name: 'reason_code' }) reasonCode!: string;
  @Column({ type: 'varchar', length: 500, name: 'reason_message' }) reasonMessage!: string;
  /** The reason sentence's parameters (rendered from the code in the reader's language); null on rows written before. */
  @Column({ type: 'text', name: 'reason_params', nullable: true, transformer: jsonText }) reasonParams!: object | null;
  /** The centre's own order of its waiting quota requests (1 first). */
  @Column({ type: 'integer', nullable: true }) rank!: number | null;
  @Column({ type: 'varchar', length: 30, name: 'submitted_at' }) submittedAt!: string;
  @Column({ type: 'varchar', length: 30, nullable: true }) deadline!: string | null;
  @Column({ type: 'varchar', length: 30, nullable: true, name: 'approved_at' }) approvedAt!: string | null;
  @Column({ type: 'varchar', length: 30, nullable: true, name: 'decided_at' }) decidedAt!: string | null;
  @Column({ type: 'varchar', length: 30, nullable: true, name: 'granted_at' }) grantedAt!: string | null;
  /** Which counter the grant took (`urgent`, `quota`) and in which period, to release it on withdrawal or expiry. */
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'slot_kind' }) slotKind!: 'urgent' | 'quota' | null;
  @Column({ type: 'varchar', length: 7, nullable: true, name: 'slot_period' }) slotPeriod!: string | null;
  @Column({ type: 'varchar', length: 30, nullable: true, name: 'closed_at' }) closedAt!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true, name: 'treatment_id' }) treatmentId!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'start_date' }) startDate!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'treatment_stopped_on' }) treatmentStoppedOn!: string | null;
}
