import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { SupplyPages } from './supply.pages';

/** The lab's stock page: declares the supply (`POST …/supply`) and reads the projection. */
@ApiExcludeController()
@Controller('laboratoire/stock')
@Roles('lab')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class LabSupplyController {
  constructor(private readonly pages: SupplyPages) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<void> {
    return this.pages.page(req, res, actor, query, '/laboratoire/stock');
  }

  @Post()
  declare(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    return this.pages.declare(req, res, actor, body);
  }
}
