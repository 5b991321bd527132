import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

export class PolicyIndicationDto {
  @ApiProperty() @IsString() @MaxLength(60) code!: string;
  @ApiProperty({ enum: ['urgent', 'quota', 'open'] }) @IsIn(['urgent', 'quota', 'open'], { message: 'must be urgent, quota or open' }) kind!: 'urgent' | 'quota' | 'open';
}

export class CommitteeRulesDto {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt({ message: 'must be an integer' }) @Min(1, { message: 'must be at least 1' }) @Max(20) votesRequired?: number;
  @ApiPropertyOptional({ default: 48 }) @IsOptional() @IsInt({ message: 'must be an integer' }) @Min(1, { message: 'must be at least 1 hour' }) @Max(24 * 60) deadlineHours?: number;
}

export class PublishPolicyDto {
  @ApiProperty({ example: '2023-05-09' }) @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) effectiveFrom!: string;
  @ApiProperty({ enum: ['unrestricted', 'freed-stock', 'capped'] })
  @IsIn(['unrestricted', 'freed-stock', 'capped'], { message: 'must be unrestricted, freed-stock or capped' })
  mode!: 'unrestricted' | 'freed-stock' | 'capped';
  @ApiPropertyOptional() @IsOptional() @IsInt({ message: 'must be an integer' }) @Min(0, { message: 'must be 0 or more' }) monthlyCap?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt({ message: 'must be an integer' }) @Min(0, { message: 'must be 0 or more' }) quotaPool?: number;
  @ApiProperty({ type: [PolicyIndicationDto] }) @IsArray() @ArrayMinSize(0) @ValidateNested({ each: true }) @Type(() => PolicyIndicationDto) indications!: PolicyIndicationDto[];
  @ApiPropertyOptional({ enum: ['lapse', 'carry'] }) @IsOptional() @IsIn(['lapse', 'carry'], { message: 'must be lapse or carry' }) unusedQuota?: 'lapse' | 'carry';
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'must be true or false' }) redistribute?: boolean;
  @ApiPropertyOptional({ type: CommitteeRulesDto }) @IsOptional() @ValidateNested() @Type(() => CommitteeRulesDto) committee?: CommitteeRulesDto;
  @ApiPropertyOptional({ default: 30 }) @IsOptional() @IsInt({ message: 'must be an integer' }) @Min(1, { message: 'must be at least 1 day' }) @Max(365) startWithinDays?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsNumber({}, { message: 'must be a number' }) @Min(0, { message: 'must be 0 or more' }) @Max(100) orderTolerancePct?: number;
  @ApiPropertyOptional({ description: 'Initiations must be registered on the platform (an initiation request, even where it is granted at once); defaults to the previous version\'s, else false' })
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) registrationRequired?: boolean;
  @ApiPropertyOptional({ description: 'Each order must list its justification lines (treated patients); defaults to the previous version\'s, else true' })
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) orderJustificationRequired?: boolean;
  @ApiPropertyOptional({ description: 'Dosing schedule (SPEC §6); defaults to the previous version\'s' }) @IsOptional() @IsObject({ message: 'must be an object' }) schedule?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
}

export interface PolicyResponse {
  version: number;
  effectiveFrom: string;
  mode: string;
  monthlyCap: number | null;
  quotaPool: number;
  indications: { code: string; kind: string }[];
  unusedQuota: string;
  redistribute: boolean;
  committee: { votesRequired: number; deadlineHours: number };
  startWithinDays: number;
  orderTolerancePct: number;
  registrationRequired: boolean;
  orderJustificationRequired: boolean;
  schedule: unknown;
  notes: string | null;
  publishedAt: string;
}
