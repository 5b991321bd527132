import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '../auth/auth.guard';
import { PROBLEM_CONTENT_TYPE, problemType, titleOf } from '../common/problem-details/problem';

/**
 * The queue dashboard sits outside Nest's routes, so the guard does not see it: the same JWT
 * check (bearer token or session cookie), and only the agency gets through (SPEC §1: agency runs jobs).
 */
export function agencyOnly(jwt: JwtService) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    const cookies = (req as { cookies?: Record<string, string> }).cookies;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : cookies?.[SESSION_COOKIE];
    let role: string | null = null;
    if (token) {
      try {
        role = (await jwt.verifyAsync<{ role: string }>(token)).role;
      } catch {
        role = null;
      }
    }
    if (role === 'agency') return next();
    const status = role === null ? 401 : 403;
    const detail = role === null ? 'A valid bearer token or session is required.' : `The ${role} role may not open the queue dashboard (allowed: agency).`;
    const code = role === null ? 'UNAUTHENTICATED' : 'ROLE_NOT_ALLOWED';
    res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ type: problemType(code), title: titleOf(status), status, detail, instance: req.originalUrl, code }));
  };
}
