import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { STOP_REASONS, type FormKind, type StopReason } from '../domain/follow-up';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PATTERN = DATE.source;

export class SubmitAccessRequestDto {
  @ApiProperty({ example: 'REZUROCK' }) @IsString({ message: 'must be a string' }) @MaxLength(40) medicine!: string;
  @ApiProperty({ example: 'cgvhd' }) @IsString({ message: 'must be a string' }) @MaxLength(60) indication!: string;
  @ApiProperty({ description: 'the patient pseudonym' }) @IsString({ message: 'must be a string' }) @MaxLength(12) patient!: string;
  @ApiProperty({ description: "the scheme's clinical form as named fields (SPEC §9); checked against the scheme's field list" })
  @IsObject({ message: 'must be an object' })
  clinical!: Record<string, unknown>;
}

export class CountersignDto {
  @ApiPropertyOptional() @IsOptional() @IsString({ message: 'must be a string' }) @MaxLength(2000) comment?: string;
}

export class MeetingDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject'], { message: 'must be approve or reject' }) decision!: 'approve' | 'reject';
  @ApiProperty() @IsString({ message: 'must be a string' }) @MaxLength(4000) rationale!: string;
}

export class AgencyDecisionDto {
  @ApiProperty({ enum: ['authorise', 'refuse', 'exclude'] })
  @IsIn(['authorise', 'refuse', 'exclude'], { message: 'must be authorise, refuse or exclude' })
  decision!: 'authorise' | 'refuse' | 'exclude';
  @ApiPropertyOptional() @IsOptional() @IsString({ message: 'must be a string' }) @MaxLength(4000) reason?: string;
  @ApiPropertyOptional({ description: 'Authorise although criteria are not met (SPEC §9 Derogation); needs a reason' })
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) derogation?: boolean;
}

export class SubmitFormDto {
  @ApiProperty({ enum: ['initiation', 'follow-up', 'stop'] })
  @IsIn(['initiation', 'follow-up', 'stop'], { message: 'must be initiation, follow-up or stop' })
  kind!: FormKind;
  @ApiPropertyOptional({ example: 'M3', description: 'the scheduled form (M3, M6, …) of a follow-up form' })
  @IsOptional() @IsString({ message: 'must be a string' }) @MaxLength(20)
  due?: string;
  @ApiProperty({ example: '2023-08-15', pattern: DATE_PATTERN }) @IsString({ message: 'must be a date YYYY-MM-DD' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) date!: string;
  @ApiPropertyOptional({ description: 'whether the medicine was administered (required except on a stop form)' })
  @IsOptional() @IsBoolean({ message: 'must be true or false' })
  administered?: boolean;
  @ApiPropertyOptional({ enum: STOP_REASONS }) @IsOptional() @IsIn(STOP_REASONS, { message: `must be one of ${STOP_REASONS.join(', ')}` }) reason?: StopReason;
  @ApiPropertyOptional({ description: 'weightKg, dailyDoseMg, adverseEvents: [{ serious, expected }]' })
  @IsOptional() @IsObject({ message: 'must be an object' })
  data?: Record<string, unknown>;
}

export class ListAccessRequestsDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(12) patient?: string;
}

export class PublishCriteriaDto {
  @ApiProperty({ example: 'belumosudil-2026' }) @IsString({ message: 'must be a string' }) @MaxLength(60) version!: string;
  @ApiProperty({ example: '2026-01-01', pattern: DATE_PATTERN }) @IsString({ message: 'must be a date YYYY-MM-DD' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) effectiveFrom!: string;
  @ApiProperty({ description: 'a list of { id, sentence, rule } with rules in JsonLogic' }) @IsDefined({ message: 'is required' }) criteria!: unknown;
}

export class ReportQueryDto {
  @ApiProperty({ example: '2023-01-01', pattern: DATE_PATTERN }) @IsString({ message: 'must be a date YYYY-MM-DD' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) from!: string;
  @ApiProperty({ example: '2023-12-31', pattern: DATE_PATTERN }) @IsString({ message: 'must be a date YYYY-MM-DD' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) to!: string;
  @ApiProperty({ example: '2024-01-31', pattern: DATE_PATTERN }) @IsString({ message: 'must be a date YYYY-MM-DD' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) cutoff!: string;
}
