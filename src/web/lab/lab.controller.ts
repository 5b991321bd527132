import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { LabOrdersPages } from './lab-orders.pages';
import { PeriodPages } from './lab.pages';

/** The lab's pages (SPEC §1: reads orders, recaps and reconciliation). */
@ApiExcludeController()
@Controller('laboratoire')
@Roles('lab')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class LabController {
  constructor(
    private readonly periods: PeriodPages,
    private readonly orders: LabOrdersPages,
  ) {}

  @Get('commandes')
  ordersPage(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.orders.page(req, res, actor, query);
  }

  @Post('commandes/:id/confirmation')
  confirm(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.orders.confirm(req, res, actor, id);
  }

  @Post('commandes/:id/reduction')
  reduce(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.orders.reduce(req, res, actor, id, body);
  }

  @Post('commandes/:id/refus')
  refuse(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.orders.refuse(req, res, actor, id, body);
  }

  @Get('recapitulatifs')
  recaps(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.periods.recapsOfPeriod(req, res, actor, query);
  }

  @Get('rapprochement')
  reconciliation(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.periods.reconciliationPage(req, res, actor, query);
  }
}
