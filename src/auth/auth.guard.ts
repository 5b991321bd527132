import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain/domain-error';
import { AuthenticatedRequest, IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import { Authenticator } from './authenticator';
import { Role } from '../common/domain/roles';

export { SESSION_COOKIE } from './authenticator';

/** The Authenticator's check (bearer token or, on pages, the HttpOnly session cookie), then the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const actor = await this.authenticator.actorOf(request);
    if (actor) request.actor = actor;
    if (isPublic) return true;
    if (!actor) throw new DomainError('UNAUTHENTICATED', {}, 401);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('ROLE_NOT_ALLOWED', { role: actor.role, allowed: roles }, 403);
    }
    return true;
  }
}
