import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/auth.decorators';
import { SESSION_COOKIE, TOKEN_LIFETIME_SECONDS, Authenticator } from '../../auth/authenticator';
import { AuthService } from '../../auth/auth.service';
import { DomainError } from '../../common/domain/domain-error';
import { emptyForm, formValues, formWithErrors } from '../forms';
import { Translator } from '../i18n/translator';
import { homeOf } from '../navigation';
import { Views } from '../views.service';

const SESSION_MS = TOKEN_LIFETIME_SECONDS * 1000;

@Injectable()
export class SessionPages {
  constructor(
    private readonly auth: AuthService,
    private readonly authenticator: Authenticator,
    private readonly views: Views,
  ) {}

  root(req: Request, res: Response): void {
    const actor = (req as AuthenticatedRequest).actor;
    res.redirect(303, actor ? homeOf(actor.role) : '/connexion');
  }

  signInForm(req: Request, res: Response, next: string | undefined): void {
    this.views.send(req, res, 'session/sign-in', { form: emptyForm(), next: safeNext(next) ?? '' });
  }

  async signIn(req: Request, res: Response, body: Record<string, unknown>): Promise<void> {
    const values = formValues(body);
    const username = (values.username ?? '').trim();
    const password = values.password ?? '';
    const next = safeNext(values.suite);
    const tr = this.views.translator(req, res);
    const missing = [...(username ? [] : [{ field: 'username', reason: tr.t('form.required') }]), ...(password ? [] : [{ field: 'password', reason: tr.t('form.required') }])];
    if (missing.length > 0) {
      this.views.send(req, res, 'session/sign-in', { form: formWithErrors({ username }, missing, null), next: next ?? '' }, 400);
      return;
    }
    try {
      const { accessToken, role } = await this.auth.login(username, password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
      res.cookie(SESSION_COOKIE, accessToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: SESSION_MS });
      res.redirect(303, next ?? homeOf(role as Parameters<typeof homeOf>[0]));
    } catch (error: unknown) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_CREDENTIALS') throw error;
      // The password is never sent back; the username is kept.
      this.views.send(req, res, 'session/sign-in', { form: formWithErrors({ username }, [], new Translator(tr.lang).t('login.failed')), next: next ?? '' }, 401);
    }
  }

  /** Signing out revokes the user's tokens (#12.6), not only this browser's cookie. */
  async signOut(req: Request, res: Response): Promise<void> {
    const actor = (req as AuthenticatedRequest).actor;
    if (actor) await this.authenticator.revoke(actor);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.redirect(303, '/connexion');
  }
}

/** Only a local path may follow the sign-in (no open redirect). */
function safeNext(next: string | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/api/')) return null;
  return next;
}
