import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../auth/auth.decorators';
import type { Actor } from '../../common/domain/roles';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { InboxPages } from './inbox.pages';

/** Every signed-in user's inbox (issue 19). */
@ApiExcludeController()
@Controller('notifications')
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class InboxController {
  constructor(private readonly pages: InboxPages) {}

  @Get()
  inbox(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.inbox(req, res, actor);
  }

  @Get('badge')
  badge(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.badge(req, res, actor);
  }

  @Post('tout-lu')
  readAll(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor): Promise<void> {
    return this.pages.readAll(req, res, actor);
  }

  @Post(':id/lu')
  read(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.pages.read(req, res, actor, id);
  }
}
