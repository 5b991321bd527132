import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { JOB_STATES, JobState } from '../domain/job-keys';
import { IsPeriod } from '../../common/validation/domain-validators';

/** POST /api/v1/jobs/{name}/run: what the job is about (SPEC §11 jobs row). */
export class RunJobDto {
  @ApiPropertyOptional({ example: 'NULOJIX' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be a medicine code' }) medicine?: string;

  @ApiPropertyOptional({ example: '2023-04' })
  @IsOptional() @IsPeriod() period?: string;

  @ApiPropertyOptional({ example: '2023-05-15', description: 'for a daily job' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) date?: string;
}

export class JobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'allocation.compute' }) @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional({ enum: JOB_STATES }) @IsOptional() @IsIn(JOB_STATES, { message: `must be one of ${JOB_STATES.join(', ')}` }) state?: JobState;
}
