import type { Request } from 'express';
import type { Actor } from '../domain/roles';

/** A request once the auth guard has checked its token: `actor` is the caller (absent on public routes). */
export type AuthenticatedRequest = Request & { actor?: Actor };
