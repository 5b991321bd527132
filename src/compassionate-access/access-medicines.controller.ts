import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { pageOf } from '../common/pagination/page';
import { AccessReportsService } from './access-reports.service';
import { AccessRequestsService } from './access-requests.service';
import { CriteriaService } from './criteria.service';
import { PublishCriteriaDto, ReportQueryDto } from './dto/access-request.dto';
import { AccessReportResponseDto } from './dto/access-report.response';
import { AccessSchemeResponseDto, CriteriaVersionPageDto, CriteriaVersionResponseDto, SwitchResultDto } from './dto/access-request.response';
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
  @ApiOkResponse({ type: AccessSchemeResponseDto })
  @ApiProblems({ 404: ['ACCESS_SCHEME_NOT_FOUND'] })
  scheme(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<AccessSchemeResponseDto> {
    return this.criteria.scheme(actor, code);
  }

  @Get(':code/criteria')
  @ApiOkResponse({ type: CriteriaVersionPageDto, description: 'every version, oldest first' })
  @ApiProblems({ 404: ['ACCESS_SCHEME_NOT_FOUND'] })
  async listCriteria(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<CriteriaVersionPageDto> {
    return pageOf(await this.criteria.list(actor, code), { limit: 500 });
  }

  @Post(':code/criteria')
  @Roles('agency')
  @ApiCreatedResponse({ type: CriteriaVersionResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'CRITERIA_INVALID'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ACCESS_SCHEME_NOT_FOUND'], 409: ['CRITERIA_VERSION_EXISTS'], 422: ['CRITERIA_EFFECTIVE_IN_PAST'] })
  publishCriteria(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: PublishCriteriaDto): Promise<CriteriaVersionResponseDto> {
    return this.criteria.publish(actor, code, body);
  }

  @Get(':code/reports')
  @Roles('agency', 'lab')
  @ApiOkResponse({
    description: 'the periodic report as JSON; `Accept: text/csv` for its CSV, `Accept: text/html` for the printable page',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AccessReportResponseDto) } },
      'text/csv': { schema: { type: 'string' } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  @ApiExtraModels(AccessReportResponseDto)
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ACCESS_SCHEME_NOT_FOUND'], 422: ['REPORT_PERIOD_INVALID', 'REPORT_CUTOFF_BEFORE_START'] })
  async report(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() query: ReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<AccessReportResponseDto | string> {
    return presentReport(res, accept, await this.reports.build(actor, code, query));
  }

  @Post(':code/switch')
  @HttpCode(200)
  @Roles('agency')
  @ApiOkResponse({ type: SwitchResultDto, description: "the replaced medicine's authorised patients moved to its successor" })
  @ApiProblems({ 403: ['ROLE_NOT_ALLOWED'], 404: ['ACCESS_SCHEME_NOT_FOUND'], 422: ['REPLACEMENT_NOT_IN_FORCE'] })
  switchReplaced(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<SwitchResultDto> {
    return this.requests.switchReplaced(actor, code);
  }
}
