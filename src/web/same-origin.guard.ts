import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/domain/domain-error';
import { isSameOriginOrSafe } from '../common/http/same-origin';

/**
 * CSRF defence for the page forms, with the SameSite=Lax session cookie: a state-changing request
 * must come from a page of this origin (the `Origin` header, or `Referer` when a browser leaves it out).
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!isSameOriginOrSafe(context.switchToHttp().getRequest<Request>())) throw crossSiteRequest();
    return true;
  }
}

export function crossSiteRequest(): DomainError {
  return new DomainError('CROSS_SITE_REQUEST', {}, 403);
}
