import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateProperty, ApiFinessProperty, ApiInstantProperty, ApiPseudonymProperty, ApiUuidProperty } from '../../common/openapi/schema-formats';
import type { ClinicalForm, ClinicalFormSpec } from '../domain/clinical-form';
import { STOP_REASONS } from '../domain/follow-up';

const FREE_OBJECT = { type: 'object', additionalProperties: true } as const;
const ACCESS_STATUSES = ['submitted', 'countersigned', 'meeting_review', 'authorised', 'refused', 'excluded'];

export class EligibilityLineDto {
  @ApiProperty({ example: 'cgvhd-moderate-or-severe' }) criterion!: string;
  @ApiProperty({ enum: ['met', 'not_met', 'unknown'] }) result!: 'met' | 'not_met' | 'unknown';
  @ApiProperty({ example: 'moderate or severe chronic GVHD: met' }) message!: string;
}

export class CountersignatureDto {
  @ApiDateProperty() on!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the pharmacist username' }) by!: string | null;
  @ApiProperty() comment!: string;
}

export class MeetingDto {
  @ApiDateProperty() on!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: 'approve' | 'reject';
  @ApiProperty() rationale!: string;
  @ApiProperty({ type: String, nullable: true }) by!: string | null;
}

export class AgencyDecisionResponseDto {
  @ApiDateProperty() on!: string;
  @ApiProperty({ enum: ['authorise', 'refuse', 'exclude'] }) decision!: 'authorise' | 'refuse' | 'exclude';
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) by!: string | null;
}

export class AuthorisationDto {
  @ApiDateProperty() from!: string;
  @ApiDateProperty() until!: string;
  @ApiProperty({ type: 'integer', example: 0 }) renewals!: number;
  @ApiProperty({ description: 'whether it is valid today' }) valid!: boolean;
}

export class DerogationDto {
  @ApiProperty({ type: [String], description: 'the criteria the agency authorised despite' }) criteria!: string[];
  @ApiProperty() reason!: string;
}

export class AccessFormResponseDto {
  @ApiUuidProperty() id!: string;
  @ApiUuidProperty({ description: 'the access request' }) request!: string;
  @ApiProperty({ example: 'REZUROCK' }) medicine!: string;
  @ApiProperty({ enum: ['initiation', 'follow-up', 'stop'] }) kind!: string;
  @ApiProperty({ type: String, nullable: true, example: 'M3', description: 'the scheduled form of a follow-up form' }) due!: string | null;
  @ApiDateProperty() date!: string;
  @ApiProperty() administered!: boolean;
  @ApiProperty({ enum: STOP_REASONS, nullable: true, description: 'a stop form: its reason' }) reason!: string | null;
  @ApiProperty({ ...FREE_OBJECT, nullable: true, description: "the scheme's follow-up fields" }) data!: ClinicalForm | null;
  @ApiInstantProperty() receivedAt!: string;
}

export class AccessFormSubmittedDto extends AccessFormResponseDto {
  @ApiProperty({ description: 'whether the patient is exposed once this form is counted' }) exposed!: boolean;
}

export class FollowUpDto {
  @ApiProperty() exposed!: boolean;
  @ApiDateProperty({ nullable: true }) exposedSince!: string | null;
  @ApiDateProperty({ nullable: true }) stoppedOn!: string | null;
  @ApiProperty({ type: () => [AccessFormResponseDto] }) forms!: AccessFormResponseDto[];
}

/** SPEC §11 `{ id, status, criteriaVersion, eligibility: [{ criterion, result, message }] }`, plus the request's workflow. */
export class AccessRequestResponseDto {
  @ApiUuidProperty() id!: string;
  @ApiProperty({ example: 'REZUROCK' }) medicine!: string;
  @ApiProperty({ example: 'cgvhd' }) indication!: string;
  @ApiPseudonymProperty() patient!: string;
  @ApiFinessProperty() establishment!: string;
  @ApiProperty({ description: 'the prescriber username' }) prescriber!: string;
  @ApiProperty({ enum: ACCESS_STATUSES }) status!: string;
  @ApiDateProperty() submittedOn!: string;
  @ApiProperty({ example: 'belumosudil-2023' }) criteriaVersion!: string;
  @ApiProperty({ enum: ['eligible', 'not_eligible', 'incomplete', 'non_protocol'] }) verdict!: string;
  @ApiProperty({ type: () => [EligibilityLineDto] }) eligibility!: EligibilityLineDto[];
  @ApiProperty({ type: () => [EligibilityLineDto], description: 'the criteria not met or not judged' }) failingCriteria!: EligibilityLineDto[];
  @ApiProperty({ ...FREE_OBJECT, description: "the scheme's clinical form as named fields (SPEC §9)" }) clinical!: ClinicalForm;
  @ApiProperty({ type: () => CountersignatureDto, nullable: true }) countersignature!: CountersignatureDto | null;
  @ApiProperty({ type: () => MeetingDto, nullable: true }) meeting!: MeetingDto | null;
  @ApiProperty({ type: () => AgencyDecisionResponseDto, nullable: true }) decision!: AgencyDecisionResponseDto | null;
  @ApiProperty({ type: () => AuthorisationDto, nullable: true }) authorisation!: AuthorisationDto | null;
  @ApiProperty({ type: () => DerogationDto, nullable: true }) derogation!: DerogationDto | null;
  @ApiUuidProperty({ nullable: true, description: 'the request of the replaced medicine this one continues' }) carriedFrom!: string | null;
  @ApiUuidProperty({ nullable: true, description: "the replacement medicine's request it was switched to" }) switchedTo!: string | null;
  @ApiPropertyOptional({ type: () => FollowUpDto, description: 'one request read alone: its follow-up forms' }) followUp?: FollowUpDto;
}

export class AccessRequestPageDto {
  @ApiProperty({ type: () => [AccessRequestResponseDto] }) items!: AccessRequestResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}

export class SwitchedRequestDto {
  @ApiUuidProperty() from!: string;
  @ApiUuidProperty() to!: string;
  @ApiPseudonymProperty() patient!: string;
}

export class SwitchResultDto {
  @ApiProperty({ example: 'ONC201' }) medicine!: string;
  @ApiProperty({ example: 'MODEYSO', description: 'the replacement medicine' }) successor!: string;
  @ApiDateProperty() on!: string;
  @ApiProperty({ type: () => [SwitchedRequestDto] }) switched!: SwitchedRequestDto[];
}

export class StoredCriterionDto {
  @ApiProperty({ example: 'weight-at-least-40' }) id!: string;
  @ApiProperty({ example: 'weight ≥ 40 kg' }) sentence!: string;
  @ApiProperty({ description: 'a JsonLogic rule (null before it is published)', anyOf: [{ type: 'object', additionalProperties: true, nullable: true }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }], example: { '>=': [{ var: 'weightKg' }, 40] } })
  rule!: object | string | number | boolean | null;
}

export class CriteriaVersionResponseDto {
  @ApiProperty({ example: 'belumosudil' }) scheme!: string;
  @ApiProperty({ example: 'belumosudil-2023' }) version!: string;
  @ApiDateProperty() effectiveFrom!: string;
  @ApiProperty({ type: () => [StoredCriterionDto] }) criteria!: StoredCriterionDto[];
  @ApiInstantProperty() publishedAt!: string;
  @ApiProperty({ description: 'the username of who published it' }) publishedBy!: string;
}

export class CriteriaVersionPageDto {
  @ApiProperty({ type: () => [CriteriaVersionResponseDto] }) items!: CriteriaVersionResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AccessSchemeResponseDto {
  @ApiProperty({ example: 'REZUROCK' }) medicine!: string;
  @ApiProperty({ example: 'belumosudil' }) scheme!: string;
  @ApiProperty({ example: 'cgvhd' }) indication!: string;
  @ApiProperty({ type: [String], example: ['haematology'] }) prescriberSpecialties!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'the national meeting, when the scheme requires one' }) meeting!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the supplier (a hospital pharmacy in the lab role)' }) supplier!: string | null;
  @ApiProperty({ type: 'integer', example: 365 }) validityDays!: number;
  @ApiProperty({ type: 'integer', example: 3 }) followUpEveryMonths!: number;
  @ApiProperty({ type: 'object', additionalProperties: FREE_OBJECT, description: 'field name → its kind and bounds' }) clinicalForm!: ClinicalFormSpec;
  @ApiProperty({ type: 'object', additionalProperties: FREE_OBJECT }) followUpForm!: ClinicalFormSpec;
  @ApiProperty({ ...FREE_OBJECT, nullable: true, description: 'the dosing schedule as data' }) schedule!: object | null;
  @ApiDateProperty({ nullable: true }) availableFrom!: string | null;
  @ApiProperty({ type: String, nullable: true }) replacedBy!: string | null;
  @ApiDateProperty({ nullable: true }) replacedFrom!: string | null;
}
