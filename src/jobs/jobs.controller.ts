import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { JobResponseDto } from './dto/job-response.dto';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page } from '../common/pagination/page';
import { JobsQueryDto, RunJobDto } from './dto/run-job.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1/jobs')
@Roles('agency')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiPageResponse(JobResponseDto)
  list(@Query() query: JobsQueryDto): Promise<Page<JobResponseDto>> {
    return this.jobs.list(query);
  }

  @Post(':name/run')
  @HttpCode(202)
  @ApiParam({ name: 'name', description: 'a registered job', example: 'allocation.compute', schema: { type: 'string', minLength: 1, maxLength: 100 } })
  @ApiAcceptedResponse({ type: JobResponseDto, description: 'queued (or the run already recorded under its natural key)' })
  @ApiProblems({ 400: ['JOB_TARGET_INVALID'], 404: ['JOB_UNKNOWN'], 503: ['JOB_QUEUE_UNAVAILABLE'] })
  run(@CurrentActor() actor: Actor, @Param('name') name: string, @Body() dto: RunJobDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<JobResponseDto> {
    return this.jobs.requestRun(actor, name, dto, idempotencyKey);
  }
}
