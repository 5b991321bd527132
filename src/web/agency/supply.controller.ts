import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { SupplyPages } from '../lab/supply.pages';
import { PageExceptionFilter } from '../page-exception.filter';

/** The agency's stock page: the lab's declaration and the projection (`GET …/projection`), read-only. */
@ApiExcludeController()
@Controller('agence/stock')
@Roles('agency')
@UseFilters(PageExceptionFilter)
export class AgencySupplyController {
  constructor(private readonly pages: SupplyPages) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.pages.page(req, res, actor, query, '/agence/stock');
  }
}
