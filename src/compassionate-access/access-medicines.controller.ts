import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { Page, pageOf } from '../common/pagination/page';
import { AccessReportsService } from './access-reports.service';
import { AccessRequestsService } from './access-requests.service';
import { CriteriaService } from './criteria.service';
import { PublishCriteriaDto, ReportQueryDto } from './dto/access-request.dto';
import { presentReport } from './report-presenter';

/** The compassionate-access routes under a medicine: criteria versions, periodic reports, replacement switch. */
@ApiTags('medicines')
@ApiBearerAuth()
@Controller('api/v1/medicines')
export class AccessMedicinesController {
  constructor(
    private readonly criteria: CriteriaService,
    private readonly reports: AccessReportsService,
    private readonly requests: AccessRequestsService,
  ) {}

  @Get(':code/access-scheme')
  scheme(@CurrentActor() actor: Actor, @Param('code') code: string): ReturnType<CriteriaService['scheme']> {
    return this.criteria.scheme(actor, code);
  }

  @Get(':code/criteria')
  async listCriteria(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<Page<Awaited<ReturnType<CriteriaService['list']>>[number]>> {
    return pageOf(await this.criteria.list(actor, code), { limit: 500 });
  }

  @Post(':code/criteria')
  @Roles('agency')
  publishCriteria(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: PublishCriteriaDto): ReturnType<CriteriaService['publish']> {
    return this.criteria.publish(actor, code, body);
  }

  @Get(':code/reports')
  @Roles('agency', 'lab')
  @ApiProduces('application/json', 'text/csv', 'text/html')
  async report(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() query: ReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ReturnType<typeof presentReport>> {
    return presentReport(res, accept, await this.reports.build(actor, code, query));
  }

  @Post(':code/switch')
  @HttpCode(200)
  @Roles('agency')
  switchReplaced(@CurrentActor() actor: Actor, @Param('code') code: string): ReturnType<AccessRequestsService['switchReplaced']> {
    return this.requests.switchReplaced(actor, code);
  }
}
