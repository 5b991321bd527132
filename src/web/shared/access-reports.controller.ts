import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { AccessReportsPages } from './access-reports.pages';

/** Same roles as `GET /api/v1/medicines/{code}/reports`: the agency and the lab. */
@ApiExcludeController()
@Controller('acces-compassionnel')
@Roles('agency', 'lab')
@UseFilters(PageExceptionFilter)
export class AccessReportsController {
  constructor(private readonly pages: AccessReportsPages) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.pages.page(req, res, actor, query);
  }

  @Get(':code/rapport.csv')
  csv(@Res() res: Response, @CurrentActor() actor: Actor, @Param('code') code: string, @Query() query: Record<string, unknown>): Promise<void> {
    return this.pages.csv(res, actor, code, query);
  }
}
