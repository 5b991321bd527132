import type { NextFunction, Request, Response } from 'express';
import { Authenticator } from '../auth/authenticator';
import { PROBLEM_CONTENT_TYPE, problemType, titleOf } from '../common/problem-details/problem';
import { isSameOriginOrSafe } from '../common/http/same-origin';

/**
 * The queue dashboard sits outside Nest's routes, so the guard does not see it: the same auth check
 * (bearer token or session cookie, user and token version checked), the pages' same-origin guard on
 * state changes (#12.5), and only the agency gets through (SPEC §1: agency runs jobs).
 */
export function agencyOnly(authenticator: Authenticator) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const send = (status: number, code: string, detail: string): void => {
      res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ type: problemType(code), title: titleOf(status), status, detail, instance: req.originalUrl, code }));
    };
    if (!isSameOriginOrSafe(req)) return send(403, 'CROSS_SITE_REQUEST', 'This request must be sent from a page of this site.');
    const actor = await authenticator.actorOf(req).catch(() => null);
    if (actor?.role === 'agency') return next();
    if (!actor) return send(401, 'UNAUTHENTICATED', 'A valid bearer token or session is required.');
    send(403, 'ROLE_NOT_ALLOWED', `The ${actor.role} role may not open the queue dashboard (allowed: agency).`);
  };
}
