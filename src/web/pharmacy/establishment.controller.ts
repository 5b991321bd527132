import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { EstablishmentPages } from './establishment.pages';
import { EstablishmentRecapsPages } from './recaps.pages';
import { OrdersPages } from './orders.pages';
import { RequestsPages } from './requests.pages';
import { TreatmentsPages } from './treatments.pages';

/** Pages of one establishment for its pharmacists and prescribers (scoped like the API: another establishment's object is a 404). */
@ApiExcludeController()
@Controller('etablissement')
@Roles('pharmacist', 'prescriber')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class EstablishmentController {
  constructor(
    private readonly pages: EstablishmentPages,
    private readonly recaps: EstablishmentRecapsPages,
    private readonly requests: RequestsPages,
    private readonly treatments: TreatmentsPages,
    private readonly orders: OrdersPages,
  ) {}

  @Get()
  home(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.home(req, res, actor);
  }

  @Get('patients')
  patients(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.patientsPage(req, res, actor);
  }

  @Post('patients')
  register(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.pages.register(req, res, actor, body);
  }

  @Get('patients/:pseudonym')
  patient(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('pseudonym') pseudonym: string): Promise<void> {
    return this.pages.patient(req, res, actor, pseudonym);
  }

  @Get('recapitulatifs')
  @Roles('pharmacist')
  recapsPage(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.recaps.recapsPage(req, res, actor);
  }

  @Post('recapitulatifs')
  @Roles('pharmacist')
  uploadRecap(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.recaps.upload(req, res, actor);
  }

  @Get('ecarts')
  @Roles('pharmacist')
  discrepancies(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.recaps.discrepancies(req, res, actor, query);
  }

  @Get('demandes')
  requestsPage(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.requests.page(req, res, actor);
  }

  @Post('demandes')
  @Roles('prescriber')
  submitRequest(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.requests.submit(req, res, actor, body);
  }

  @Post('demandes/:id/rang')
  @Roles('prescriber')
  rankRequest(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.requests.rank(req, res, actor, id, body);
  }

  @Post('demandes/:id/retrait')
  withdrawRequest(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.requests.withdraw(req, res, actor, id);
  }

  @Get('traitements')
  treatmentsPage(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.treatments.page(req, res, actor);
  }

  @Post('traitements')
  startTreatment(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.treatments.start(req, res, actor, body);
  }

  @Post('traitements/:id/arret')
  stopTreatment(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.treatments.stop(req, res, actor, id, body);
  }

  @Post('traitements/:id/transfert')
  @Roles('pharmacist')
  transferTreatment(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.treatments.transfer(req, res, actor, id, body);
  }

  @Get('commandes')
  @Roles('pharmacist')
  ordersPage(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.orders.page(req, res, actor);
  }

  @Post('commandes/apercu')
  @Roles('pharmacist')
  previewOrder(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.orders.preview(req, res, actor, body);
  }

  @Post('commandes')
  @Roles('pharmacist')
  sendOrder(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.orders.send(req, res, actor, body);
  }
}
