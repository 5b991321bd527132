import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { FollowedPatientsPages } from './followed-patients.pages';

/** The agency's page of pending followed-patient declarations (#12.7). */
@ApiExcludeController()
@Controller('agence/effectifs-suivis')
@Roles('agency')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class FollowedPatientsController {
  constructor(private readonly pages: FollowedPatientsPages) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.pages.page(req, res);
  }

  @Post(':finess/:period')
  decide(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period') period: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.pages.decide(req, res, actor, finess, period, body);
  }
}
