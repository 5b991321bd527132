import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/domain/domain-error';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for the page forms, with the SameSite=Lax session cookie: a state-changing request
 * must come from a page of this origin (the `Origin` header, or `Referer` when a browser leaves it out).
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE.has(req.method)) return true;
    const host = req.headers.host;
    const source = originOf(req.headers.origin) ?? originOf(req.headers.referer);
    if (!host || !source || source.host !== host) {
      throw new DomainError('CROSS_SITE_REQUEST', 'This form must be sent from a page of this site.', 403);
    }
    return true;
  }
}

function originOf(value: string | undefined): URL | null {
  if (!value || value === 'null') return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
