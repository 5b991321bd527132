import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/auth.decorators';
import { PageExceptionFilter } from '../page-exception.filter';
import { SameOriginGuard } from '../same-origin.guard';
import { SessionPages } from './session.pages';

/** Sign-in, sign-out and the home redirect (SPEC §10: a web page per user group). */
@ApiExcludeController()
@Controller()
@UseFilters(PageExceptionFilter)
@UseGuards(SameOriginGuard)
export class SessionController {
  constructor(private readonly pages: SessionPages) {}

  @Get()
  @Public()
  root(@Req() req: Request, @Res() res: Response): void {
    this.pages.root(req, res);
  }

  @Get('connexion')
  @Public()
  signInForm(@Req() req: Request, @Res() res: Response, @Query('suite') next?: string): void {
    this.pages.signInForm(req, res, next);
  }

  @Post('connexion')
  @Public()
  signIn(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    return this.pages.signIn(req, res, body);
  }

  @Post('deconnexion')
  @Public()
  signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.pages.signOut(req, res);
  }
}
