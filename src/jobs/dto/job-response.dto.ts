import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InstantProperty, PeriodProperty } from '../../common/openapi/properties';
import { JOB_STATES, JobState, JobTrigger } from '../domain/job-keys';

export class JobPayloadDto {
  @ApiPropertyOptional({ example: 'NULOJIX' }) medicine?: string;
  @PeriodProperty({ required: false }) period?: string;
  @ApiPropertyOptional({ format: 'date', example: '2023-05-15' }) date?: string;
}

/** One run of a job (SPEC §11 jobs row): `{ id, name, key, state, attempts, startedAt, finishedAt, error }` and what it was about. */
export class JobResponseDto {
  @ApiProperty({ example: 'allocation.compute:NULOJIX:2023-05' }) id!: string;
  @ApiProperty({ example: 'allocation.compute' }) name!: string;
  @ApiProperty({ example: 'NULOJIX:2023-05', description: 'the natural key: the same run is never queued twice' }) key!: string;
  @ApiProperty({ enum: JOB_STATES }) state!: JobState;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @InstantProperty({ nullable: true }) startedAt!: string | null;
  @InstantProperty({ nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ enum: ['cron', 'manual', 'late-recap', 'event'] }) trigger!: JobTrigger;
  @ApiProperty({ enum: ['redis', 'in-process'] }) mode!: string;
  @InstantProperty() queuedAt!: string;
  @ApiProperty({ type: JobPayloadDto }) payload!: JobPayloadDto;
  @ApiProperty({ description: "the handler's result once completed (any JSON value, null before)", oneOf: [{ type: 'object', additionalProperties: true, nullable: true }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }] }) result!: unknown;
}
