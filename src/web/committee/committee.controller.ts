import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { CommitteePages } from './committee.pages';

@ApiExcludeController()
@Controller('comite')
@Roles('committee')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class CommitteeController {
  constructor(private readonly pages: CommitteePages) {}

  @Get()
  queue(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.queue(req, res, actor);
  }

  @Post('demandes/:id/vote')
  vote(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.pages.vote(req, res, actor, id, body);
  }

  @Get('decisions')
  decided(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.decided(req, res, actor);
  }
}
