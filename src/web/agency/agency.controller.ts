import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { PeriodPages } from '../lab/lab.pages';
import { AgencyPages } from './agency.pages';
import { AllocationPages } from './allocation.pages';
import { JobsPages } from './jobs.pages';

/** The agency's pages; the same role rule as the agency's API routes. */
@ApiExcludeController()
@Controller('agence')
@Roles('agency')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class AgencyController {
  constructor(
    private readonly pages: AgencyPages,
    private readonly jobs: JobsPages,
    private readonly periods: PeriodPages,
    private readonly allocations: AllocationPages,
  ) {}

  @Get()
  home(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.pages.home(req, res);
  }

  @Get('politiques')
  policiesIndex(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.pages.policiesIndex(req, res);
  }

  @Get('politiques/:code')
  policies(@Req() req: Request, @Res() res: Response, @Param('code') code: string, @Query('publiee') published?: string): Promise<void> {
    return this.pages.policiesPage(req, res, code, undefined, 200, published ? Number(published) : undefined);
  }

  @Post('politiques/:code')
  publish(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.pages.publish(req, res, actor, code, body);
  }

  @Get('etablissements')
  establishments(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.establishmentsPage(req, res, actor);
  }

  @Get('audit')
  audit(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.pages.auditPage(req, res);
  }

  @Post('audit/verification')
  verifyAudit(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.pages.verifyAudit(req, res);
  }

  @Get('taches')
  jobsPage(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.jobs.page(req, res);
  }

  @Post('taches')
  runJob(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.jobs.run(req, res, actor, body);
  }

  @Get('rapprochement')
  reconciliation(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.periods.reconciliationPage(req, res, actor, query);
  }

  @Post('rapprochement')
  runReconciliation(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.periods.runReconciliation(req, res, actor, body);
  }

  @Get('allocations')
  allocation(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.allocations.allocationPage(req, res, actor, query);
  }

  @Post('allocations')
  computeAllocation(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.allocations.compute(req, res, actor, body);
  }

  @Get('graphiques')
  charts(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.allocations.charts(req, res, actor, query);
  }
}
