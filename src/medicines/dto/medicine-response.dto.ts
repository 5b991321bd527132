import { ApiProperty } from '@nestjs/swagger';
import { DateProperty, InstantProperty } from '../../common/openapi/properties';

export class IndicationResponseDto {
  @ApiProperty({ example: 'kidney-transplant' }) code!: string;
  @ApiProperty({ example: 'Kidney transplant, de novo' }) name!: string;
}

/** SPEC §11: `{ code, name, unit, unitMg, indications: [{ code, name }] }`. */
export class MedicineResponseDto {
  @ApiProperty({ example: 'NULOJIX' }) code!: string;
  @ApiProperty({ example: 'Nulojix (belatacept)' }) name!: string;
  @ApiProperty({ example: 'vial' }) unit!: string;
  @ApiProperty({ type: Number, example: 250 }) unitMg!: number;
  @ApiProperty({ example: 'quota', description: 'the scheme the medicine is under' }) scheme!: string;
  @ApiProperty({ type: [IndicationResponseDto] }) indications!: IndicationResponseDto[];
}

export class PolicyIndicationResponseDto {
  @ApiProperty({ example: 'kidney-transplant' }) code!: string;
  @ApiProperty({ enum: ['urgent', 'quota', 'open'] }) kind!: string;
}

export class CommitteeRulesResponseDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) votesRequired!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) deadlineHours!: number;
}

const SCHEDULE = { type: 'object', additionalProperties: true, description: 'the dosing schedule as data (SPEC §6): administrations [{ day, doseMgPerKg | doseMg }], maintenance, unitMg' } as const;

/** A policy version (SPEC §11 policies row). */
export class PolicyResponseDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 7 }) version!: number;
  @DateProperty() effectiveFrom!: string;
  @ApiProperty({ enum: ['unrestricted', 'freed-stock', 'capped'] }) mode!: string;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, example: 40 }) monthlyCap!: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 20 }) quotaPool!: number;
  @ApiProperty({ type: [PolicyIndicationResponseDto] }) indications!: PolicyIndicationResponseDto[];
  @ApiProperty({ enum: ['lapse', 'carry'] }) unusedQuota!: string;
  @ApiProperty() redistribute!: boolean;
  @ApiProperty({ type: CommitteeRulesResponseDto }) committee!: CommitteeRulesResponseDto;
  @ApiProperty({ type: 'integer', minimum: 0 }) startWithinDays!: number;
  @ApiProperty({ type: Number, minimum: 0 }) orderTolerancePct!: number;
  @ApiProperty() registrationRequired!: boolean;
  @ApiProperty() orderJustificationRequired!: boolean;
  @ApiProperty({ ...SCHEDULE, nullable: true }) schedule!: unknown;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @InstantProperty() publishedAt!: string;
}

/** A dosing schedule of a medicine: one per policy version, or a compassionate-access scheme's. */
export class ScheduleItemDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'the policy version; null for a scheme that is not a policy' }) policyVersion!: number | null;
  @DateProperty({ nullable: true }) effectiveFrom!: string | null;
  @ApiProperty({ ...SCHEDULE, nullable: true }) schedule!: unknown;
}
