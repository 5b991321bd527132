import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { classifyOutage, retryAfterSeconds } from '../database/database-errors';
import { DomainError, ErrorParams } from '../domain/domain-error';
import { MessageLang, langFromAcceptLanguage } from '../messages/formatter';
import { localizeProblem } from '../messages/localize';
import { problemDetail } from '../messages/problem-messages';
import { maskIdentifiers } from './mask-identifiers';
import { allowedMethods } from './method-not-allowed';
import { PROBLEM_CONTENT_TYPE, Problem, problemType, titleOf } from './problem';

/** The codes of problems the HTTP layer makes itself (the catalogue test checks each has its sentences). */
export const HTTP_CODES: Record<number, string> = {
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
      detail: problemDetail(exception.code, exception.params, exception.status, 'en', exception.code),
      instance,
      code: exception.code,
      params: exposedParams(exception.params),
      ...(exception.errors.length > 0 ? { errors: exception.errors } : {}),
      ...exception.extra,
    };
  }
  if (exception instanceof ThrottlerException) return coded('TOO_MANY_REQUESTS', {}, 429, instance, 'Too many attempts; wait a minute and try again.');
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    return coded(HTTP_CODES[status] ?? 'HTTP_ERROR', {}, status, instance, detail);
  }
  const bodyParser = exception as { type?: string; status?: number; statusCode?: number; message?: string };
  if (bodyParser && typeof bodyParser.type === 'string' && (bodyParser.status ?? bodyParser.statusCode)) {
    const status = bodyParser.status ?? bodyParser.statusCode ?? 400;
    const malformed = bodyParser.type === 'entity.parse.failed';
    const problem = coded(malformed ? 'MALFORMED_JSON' : (HTTP_CODES[status] ?? 'BAD_REQUEST'), {}, status, instance, 'The request body could not be read.');
    return malformed ? { ...problem, errors: [{ field: 'body', reason: 'is not valid JSON' }] } : problem;
  }
  const outage = classifyOutage(exception);
  if (outage) {
    logger?.warn({ component: outage.component, reason: outage.reason, code: (exception as { code?: string }).code }, 'component unavailable');
    return { ...coded(outage.code, { reason: outage.reason }, 503, instance, 'A component is unavailable; retry later.'), component: 'database', retryAfter: retryAfterSeconds(outage) };
  }
  const correlationId = randomUUID();
  const err = exception as { name?: string; message?: string; stack?: string; code?: string };
  // Never log a driver error's detail or parameters: PostgreSQL puts the values there.
  logger?.error({ correlationId, name: err?.name, code: err?.code, stack: err?.stack?.split('\n').slice(0, 6).join('\n') }, 'unexpected error');
  // A 500 names no code (it reveals nothing); its sentence is the catalogue's UNEXPECTED_ERROR.
  return { type: 'about:blank', title: titleOf(500), status: 500, detail: problemDetail('UNEXPECTED_ERROR', { correlationId }, 500, 'en', 'An unexpected error occurred.'), instance, correlationId };
}

/** A problem of a code and parameters, its detail rendered in English from the catalogue (the given text if the catalogue cannot). */
function coded(code: string, params: ErrorParams, status: number, instance: string, otherwise: string): Problem {
  return { type: problemType(code), title: titleOf(status), status, detail: problemDetail(code, params, status, 'en', otherwise), instance, code, params: exposedParams(params) };
}

/** The parameters a problem shows: never one naming a patient (the masking of identifiers runs over them as over the rest). */
function exposedParams(params: ErrorParams): ErrorParams {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !PATIENT_PARAM.test(name)));
}

const PATIENT_PARAM = /^(nir|patient|pseudonym)s?$/i;

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
        problem = localizeProblem(coded('METHOD_NOT_ALLOWED', { method: request.method, allowed: allow }, 405, problem.instance, 'Method not allowed.'), request.headers['accept-language']);
      }
    }
    if (problem.status === 503) response.setHeader('Retry-After', String(typeof problem.retryAfter === 'number' ? problem.retryAfter : 5));
    if (wantsHtml(request)) {
      response.status(problem.status).type('text/html').send(renderProblemHtml(problem, langFromAcceptLanguage(request.headers['accept-language'])));
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

/** Titles of the HTML answer in French (a problem's `title` stays the RFC's English phrase in JSON). */
const TITLES_FR: Record<number, string> = {
  400: 'Demande invalide', 401: 'Connexion requise', 403: 'Accès refusé', 404: 'Introuvable', 405: 'Méthode non acceptée', 409: 'Conflit',
  413: 'Contenu trop volumineux', 415: 'Type de contenu non accepté', 422: 'Demande refusée', 429: 'Trop de tentatives', 500: 'Erreur interne', 503: 'Service indisponible',
};

function renderProblemHtml(problem: Problem, lang: MessageLang): string {
  const list = (problem.errors ?? []).map((e) => `<li><code>${escape(e.field)}</code> ${escape(e.reason)}</li>`).join('');
  const title = lang === 'fr' ? (TITLES_FR[problem.status] ?? 'Erreur') : problem.title;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${problem.status} ${escape(title)}</title></head><body><main><h1>${problem.status} — ${escape(title)}</h1><p role="alert">${escape(problem.detail)}</p>${list ? `<ul>${list}</ul>` : ''}<p><a href="/">${lang === 'fr' ? 'Accueil' : 'Home'}</a></p></main></body></html>`;
}

function stripUndefined(problem: Problem): Problem {
  return Object.fromEntries(Object.entries(problem).filter(([, v]) => v !== undefined)) as Problem;
}
