import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { AuthenticatedRequest } from '../common/contracts/authenticated-request';
import { Actor, Role } from '../common/domain/roles';

export const IS_PUBLIC = 'contingent:isPublic';
export const ROLES_KEY = 'contingent:roles';

/** No token needed (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may ever call the route; any other gets a 403. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export type { AuthenticatedRequest } from '../common/contracts/authenticated-request';

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
