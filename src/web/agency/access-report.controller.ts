import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { AccessReportPages } from './access-report.pages';

/** Same roles as `GET /api/v1/medicines/{code}/reports`: the agency and the lab (a lab sees the schemes it supplies). */
@ApiExcludeController()
@Controller('rapport-acces')
@Roles('agency', 'lab')
@UseFilters(PageExceptionFilter)
export class AccessReportController {
  constructor(private readonly pages: AccessReportPages) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.pages.page(req, res, actor, query);
  }
}
