import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { FINESS_PATTERN } from '../../common/validation/domain-validators';
import { STOP_REASONS } from '../domain/treatment-state';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PATTERN = DATE.source;
const DATE_MESSAGE = { message: 'must be a date YYYY-MM-DD' };

/** `{ request }` or `{ medicine, indication, patient }`, plus `{ startDate, weightKg }` (SPEC §11). */
export class StartTreatmentDto {
  @ApiPropertyOptional({ description: 'A granted initiation request' }) @IsOptional() @IsString({ message: 'must be a request id' }) @MaxLength(36) request?: string;
  @ApiPropertyOptional({ example: 'NULOJIX' }) @IsOptional() @IsString({ message: 'must be a medicine code' }) @MaxLength(40) medicine?: string;
  @ApiPropertyOptional({ example: 'kidney-transplant' }) @IsOptional() @IsString({ message: 'must be an indication code' }) @MaxLength(60) indication?: string;
  @ApiPropertyOptional({ description: 'Pseudonym' }) @IsOptional() @IsString({ message: 'must be a pseudonym' }) @MaxLength(12) patient?: string;
  @ApiProperty({ example: '2023-11-02', pattern: DATE_PATTERN }) @IsString(DATE_MESSAGE) @Matches(DATE, DATE_MESSAGE) startDate!: string;
  @ApiProperty({ example: 72 }) @IsNumber({}, { message: 'must be a positive number' }) weightKg!: number;
}

export class StopTreatmentDto {
  @ApiProperty({ example: '2023-11-08', pattern: DATE_PATTERN }) @IsString(DATE_MESSAGE) @Matches(DATE, DATE_MESSAGE) date!: string;
  @ApiProperty({ enum: STOP_REASONS }) @IsIn(STOP_REASONS, { message: `must be one of ${STOP_REASONS.join(', ')}` }) reason!: string;
}

export class TransferTreatmentDto {
  @ApiProperty({ example: '2023-11-10', pattern: DATE_PATTERN }) @IsString(DATE_MESSAGE) @Matches(DATE, DATE_MESSAGE) date!: string;
  @ApiProperty({ description: 'FINESS of the receiving establishment', pattern: FINESS_PATTERN, example: '699900015' }) @IsString({ message: 'must be a FINESS' }) @MaxLength(9) toEstablishment!: string;
}

export const TREATMENT_VIEW_STATUSES = ['active', 'stopped', 'transferred'] as const;

export class ListTreatmentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional({ enum: TREATMENT_VIEW_STATUSES })
  @IsOptional()
  @IsIn(TREATMENT_VIEW_STATUSES, { message: `must be one of ${TREATMENT_VIEW_STATUSES.join(', ')}` })
  status?: (typeof TREATMENT_VIEW_STATUSES)[number];
}
