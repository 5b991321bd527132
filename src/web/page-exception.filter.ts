import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toProblem } from '../common/problem-details/problem-details.filter';
import { Views } from './views.service';

/**
 * Errors on page routes: no session → back to the sign-in page (htmx: `HX-Redirect`);
 * anything else → the error page in the user's language, with the service's sentence.
 */
@Catch()
@Injectable()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly views: Views) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const problem = toProblem(exception, req.originalUrl, this.logger);
    if (problem.status === 401) {
      const target = req.method === 'GET' ? `/connexion?suite=${encodeURIComponent(req.originalUrl)}` : '/connexion';
      if (req.headers['hx-request']) {
        res.setHeader('HX-Redirect', target);
        res.status(401).end();
        return;
      }
      res.redirect(303, target);
      return;
    }
    // An htmx request swaps a fragment into the page; a whole page would nest a document in it.
    this.views.send(req, res, req.headers['hx-request'] ? 'partials/error-fragment' : 'error', { problem }, problem.status);
  }
}
