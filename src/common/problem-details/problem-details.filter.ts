import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { classifyOutage, retryAfterSeconds } from '../database/database-errors';
import { DomainError } from '../domain/domain-error';
import { localizeProblem } from '../messages/localize';
import { maskIdentifiers } from './mask-identifiers';
import { allowedMethods } from './method-not-allowed';
import { PROBLEM_CONTENT_TYPE, Problem, problemType, titleOf } from './problem';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Maps any thrown error to a problem; unknown errors are logged with a correlation id. The one place
 * problems are made (API filter, body-parser errors, pages, stored Idempotency-Key answers), so
 * identifier-like values are masked here (#12.4).
 */
export function toProblem(exception: unknown, instance: string, logger?: Logger): Problem {
  return maskIdentifiers(problemOf(exception, instance, logger));
}

function problemOf(exception: unknown, instance: string, logger?: Logger): Problem {
  if (exception instanceof DomainError) {
    return {
      type: problemType(exception.code),
      title: titleOf(exception.status),
      status: exception.status,
      detail: exception.message,
      instance,
      code: exception.code,
      ...(exception.errors.length > 0 ? { errors: exception.errors } : {}),
      ...exception.extra,
    };
  }
  if (exception instanceof ThrottlerException) {
    return { type: problemType('TOO_MANY_REQUESTS'), title: titleOf(429), status: 429, detail: 'Too many attempts; wait a minute and try again.', instance, code: 'TOO_MANY_REQUESTS' };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    const code = HTTP_CODES[status] ?? 'HTTP_ERROR';
    return { type: problemType(code), title: titleOf(status), status, detail, instance, code };
  }
  const bodyParser = exception as { type?: string; status?: number; statusCode?: number; message?: string };
  if (bodyParser && typeof bodyParser.type === 'string' && (bodyParser.status ?? bodyParser.statusCode)) {
    const status = bodyParser.status ?? bodyParser.statusCode ?? 400;
    const detail =
      bodyParser.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : bodyParser.type === 'entity.too.large'
          ? 'The request body is too large.'
          : 'The request body could not be read.';
    const code = bodyParser.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : (HTTP_CODES[status] ?? 'BAD_REQUEST');
    return { type: problemType(code), title: titleOf(status), status, detail, instance, code, errors: bodyParser.type === 'entity.parse.failed' ? [{ field: 'body', reason: 'is not valid JSON' }] : undefined };
  }
  const outage = classifyOutage(exception);
  if (outage) {
    logger?.warn({ component: outage.component, reason: outage.reason, code: (exception as { code?: string }).code }, 'component unavailable');
    return outageProblem(outage.code, outage.reason, instance, retryAfterSeconds(outage));
  }
  const correlationId = randomUUID();
  const err = exception as { name?: string; message?: string; stack?: string; code?: string };
  // Never log a driver error's detail or parameters: PostgreSQL puts the values there.
  logger?.error({ correlationId, name: err?.name, code: err?.code, stack: err?.stack?.split('\n').slice(0, 6).join('\n') }, 'unexpected error');
  return { type: 'about:blank', title: titleOf(500), status: 500, detail: `An unexpected error occurred (correlation id ${correlationId}).`, instance, correlationId };
}

const OUTAGE_DETAIL: Record<string, string> = {
  full: 'The database has no space left; nothing was saved. Retry later.',
  io: 'The database could not read or write its storage; nothing was saved. Retry later.',
  unreachable: 'The database cannot be reached; nothing was saved. Retry later.',
  busy: 'The database is busy; nothing was saved. Retry shortly.',
};

/** A 503 naming the component out of service; `retryAfter` (seconds) also goes in the Retry-After header. */
function outageProblem(code: string, reason: string, instance: string, retryAfter: number): Problem {
  return { type: problemType(code), title: titleOf(503), status: 503, detail: OUTAGE_DETAIL[reason] ?? 'A component is unavailable; retry later.', instance, code, component: 'database', retryAfter };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // Masked again after translation: a translated sentence must not bring an identifier back either.
    let problem = maskIdentifiers(localizeProblem(toProblem(exception, request.originalUrl ?? request.url, this.logger), request.headers['accept-language']));
    if (response.headersSent) return;
    if (problem.status === 404 && problem.code === 'NOT_FOUND') {
      const allow = allowedMethods(request);
      if (allow.length > 0 && !allow.includes(request.method)) {
        response.setHeader('Allow', allow.join(', '));
        problem = { type: problemType('METHOD_NOT_ALLOWED'), title: titleOf(405), status: 405, detail: `${request.method} is not allowed here; allowed: ${allow.join(', ')}.`, instance: problem.instance, code: 'METHOD_NOT_ALLOWED' };
      }
    }
    if (problem.status === 503) response.setHeader('Retry-After', String(typeof problem.retryAfter === 'number' ? problem.retryAfter : 5));
    if (wantsHtml(request)) {
      response.status(problem.status).type('text/html').send(renderProblemHtml(problem));
      return;
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(stripUndefined(problem)));
  }
}

function wantsHtml(request: Request): boolean {
  const path = request.originalUrl ?? request.url;
  return !path.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html') && !request.headers['hx-request'];
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderProblemHtml(problem: Problem): string {
  const list = (problem.errors ?? []).map((e) => `<li><code>${escape(e.field)}</code> ${escape(e.reason)}</li>`).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${problem.status} ${escape(problem.title)}</title></head><body><main><h1>${problem.status} — ${escape(problem.title)}</h1><p role="alert">${escape(problem.detail)}</p>${list ? `<ul>${list}</ul>` : ''}<p><a href="/">Accueil</a></p></main></body></html>`;
}

function stripUndefined(problem: Problem): Problem {
  return Object.fromEntries(Object.entries(problem).filter(([, v]) => v !== undefined)) as Problem;
}
