import { ApiProperty } from '@nestjs/swagger';
import { ApiDateProperty, ApiFinessProperty, ApiInstantProperty, ApiPeriodProperty, ApiPseudonymProperty, ApiUuidProperty } from '../../common/openapi/schema-formats';
import { REQUEST_STATUSES, RequestStatus } from '../entities/initiation-request.entity';

export class VoteResponseDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiProperty({ example: 'Graft dysfunction documented, no alternative.' }) rationale!: string;
  @ApiInstantProperty() votedAt!: string;
}

export class DecisionReasonDto {
  @ApiProperty({ pattern: '^[A-Z][A-Z0-9_]*$', example: 'CENTRE_QUOTA_EXHAUSTED' }) code!: string;
  @ApiProperty({ example: 'centre quota for 2023-06 used: 2 of 2; next slot expected 2023-07' }) message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "the sentence's parameters (null on rows written before they were kept)", example: { period: '2023-06', used: 2, slots: 2 } })
  params!: object | null;
}

/** SPEC §11 `{ id, status, period, policyVersion, reason: { code, message }, rank }`, plus the request's details. */
export class InitiationRequestResponseDto {
  @ApiUuidProperty() id!: string;
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ example: 'chronic-dysfunction-cni' }) indication!: string;
  @ApiProperty({ enum: ['urgent', 'quota', 'open'], description: "the indication's kind in the policy applied" }) kind!: string;
  @ApiPseudonymProperty() patient!: string;
  @ApiFinessProperty() establishment!: string;
  @ApiProperty({ enum: REQUEST_STATUSES }) status!: RequestStatus;
  @ApiPeriodProperty({ description: 'the period of the latest decision' }) period!: string;
  @ApiProperty({ type: 'integer', example: 3 }) policyVersion!: number;
  @ApiProperty({ type: () => DecisionReasonDto }) reason!: DecisionReasonDto;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, description: "the centre's own order of its waiting quota requests" }) rank!: number | null;
  @ApiProperty() justification!: string;
  @ApiProperty({ example: 72 }) weightKg!: number;
  @ApiInstantProperty() submittedAt!: string;
  @ApiInstantProperty({ nullable: true, description: 'urgent requests: when the committee must have decided' }) deadline!: string | null;
  @ApiInstantProperty({ nullable: true }) decidedAt!: string | null;
  @ApiInstantProperty({ nullable: true }) grantedAt!: string | null;
  @ApiDateProperty({ nullable: true, description: 'the first administration, once declared' }) startDate!: string | null;
  @ApiUuidProperty({ nullable: true, description: 'the treatment the grant became' }) treatment!: string | null;
  @ApiProperty({ type: () => [VoteResponseDto] }) votes!: VoteResponseDto[];
}

export class InitiationRequestPageDto {
  @ApiProperty({ type: () => [InitiationRequestResponseDto] }) items!: InitiationRequestResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}

/** A committee queue row (SPEC §11 `{ id, patient, indication, justification, submittedAt, deadline, votes }`), pseudonymised. */
export class CommitteeQueueItemDto {
  @ApiUuidProperty() id!: string;
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPseudonymProperty() patient!: string;
  @ApiProperty({ example: 'pnf-cni' }) indication!: string;
  @ApiProperty() justification!: string;
  @ApiProperty({ example: 72 }) weightKg!: number;
  @ApiInstantProperty() submittedAt!: string;
  @ApiInstantProperty({ nullable: true }) deadline!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: 'integer', example: 2 }) votesRequired!: number;
  @ApiProperty({ type: () => [VoteResponseDto] }) votes!: VoteResponseDto[];
  @ApiProperty({ description: 'whether the caller already voted on it' }) votedByMe!: boolean;
}

export class CommitteeQueuePageDto {
  @ApiProperty({ type: () => [CommitteeQueueItemDto] }) items!: CommitteeQueueItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}
