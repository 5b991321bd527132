import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../auth/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { PeriodPages } from './lab.pages';

/** The lab's pages (SPEC §1: reads orders, recaps and reconciliation). */
@ApiExcludeController()
@Controller('laboratoire')
@Roles('lab')
@UseFilters(PageExceptionFilter)
export class LabController {
  constructor(private readonly periods: PeriodPages) {}

  @Get('recapitulatifs')
  recaps(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.periods.recapsOfPeriod(req, res, actor, query);
  }

  @Get('rapprochement')
  reconciliation(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.periods.reconciliationPage(req, res, actor, query);
  }
}
