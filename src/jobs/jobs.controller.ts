import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page } from '../common/pagination/page';
import { JobsQueryDto, RunJobDto } from './dto/run-job.dto';
import { JobResponse, JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1/jobs')
@Roles('agency')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  list(@Query() query: JobsQueryDto): Promise<Page<JobResponse>> {
    return this.jobs.list(query);
  }

  @Post(':name/run')
  @HttpCode(202)
  run(@CurrentActor() actor: Actor, @Param('name') name: string, @Body() dto: RunJobDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<JobResponse> {
    return this.jobs.requestRun(actor, name, dto, idempotencyKey);
  }
}
