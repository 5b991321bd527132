import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/domain/domain-error';
import { AuthenticatedRequest, IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import { Actor, ROLES, Role } from '../common/domain/roles';

export const SESSION_COOKIE = 'contingent_session';

interface TokenClaims {
  sub: string;
  username: string;
  role: Role;
  establishment: string | null;
  specialty: string | null;
}

/** Bearer token (API) or HttpOnly session cookie (pages), then the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const actor = await this.actorOf(request);
    if (actor) request.actor = actor;
    if (isPublic) return true;
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required.', 401);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('ROLE_NOT_ALLOWED', `The ${actor.role} role may not call this (allowed: ${roles.join(', ')}).`, 403);
    }
    return true;
  }

  private async actorOf(request: AuthenticatedRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    const cookies = (request as { cookies?: Record<string, string> }).cookies;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : cookies?.[SESSION_COOKIE];
    if (!token) return null;
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token);
      if (!ROLES.includes(claims.role)) return null;
      return { userId: claims.sub, username: claims.username, role: claims.role, establishment: claims.establishment ?? null, specialty: claims.specialty ?? null };
    } catch {
      return null;
    }
  }
}
