import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import type { AccessRequestStatus } from '../domain/access-workflow';
import type { ClinicalForm } from '../domain/clinical-form';
import type { CriterionEvaluation, EligibilityVerdict } from '../domain/eligibility';

/** An individual compassionate-access request and its authorisation (SPEC §9, §11 access-requests). */
@Entity('access_requests')
@Index(['medicineCode', 'submittedOn'])
export class AccessRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  @Column({ type: 'varchar', length: 40 }) scheme!: string;
  @Column({ type: 'varchar', length: 60, name: 'indication_code' }) indicationCode!: string;
  @Column({ type: 'varchar', length: 12 }) patient!: string;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 100 }) prescriber!: string;
  @Column({ type: 'varchar', length: 10, name: 'submitted_on' }) submittedOn!: string;
  @Column({ type: 'varchar', length: 30, name: 'submitted_at' }) submittedAt!: string;
  @Column({ type: 'varchar', length: 20 }) status!: AccessRequestStatus;
  @Column({ type: 'varchar', length: 60, name: 'criteria_version' }) criteriaVersion!: string;
  @Column({ type: 'varchar', length: 20 }) verdict!: EligibilityVerdict;
  @Column({ type: 'text', transformer: jsonText }) eligibility!: CriterionEvaluation[];
  @Column({ type: 'text', transformer: jsonText }) clinical!: ClinicalForm;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'countersigned_on' }) countersignedOn!: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true, name: 'countersigned_by' }) countersignedBy!: string | null;
  @Column({ type: 'text', nullable: true, name: 'countersign_comment' }) countersignComment!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'meeting_on' }) meetingOn!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'meeting_decision' }) meetingDecision!: 'approve' | 'reject' | null;
  @Column({ type: 'text', nullable: true, name: 'meeting_rationale' }) meetingRationale!: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true, name: 'meeting_by' }) meetingBy!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'decision_on' }) decisionOn!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true }) decision!: 'authorise' | 'refuse' | 'exclude' | null;
  @Column({ type: 'text', nullable: true, name: 'decision_reason' }) decisionReason!: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true, name: 'decision_by' }) decisionBy!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'authorised_from' }) authorisedFrom!: string | null;
  @Column({ type: 'varchar', length: 10, nullable: true, name: 'authorised_until' }) authorisedUntil!: string | null;
  @Column({ type: 'integer', default: 0 }) renewals!: number;
  /** Authorised by derogation (SPEC §9): the criteria not met and the agency's reason; null otherwise. */
  @Column({ type: 'text', nullable: true, transformer: jsonText }) derogation!: { criteria: string[]; reason: string } | null;
  /** The first request of the patient's follow-up (itself, or the request it was carried over from). */
  @Column({ type: 'varchar', length: 36, name: 'follow_up_id' }) followUpId!: string;
  @Column({ type: 'varchar', length: 36, nullable: true, name: 'carried_from' }) carriedFrom!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true, name: 'switched_to' }) switchedTo!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'updated_at' }) updatedAt!: string;
}
