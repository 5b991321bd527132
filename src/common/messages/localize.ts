import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, map } from 'rxjs';
import { renderStored } from './catalogue';
import { MessageLang, langFromAcceptLanguage } from './formatter';
import { problemDetail } from './problem-messages';
import { reasonIn } from './problems';

const MAX_DEPTH = 8;

/**
 * The coded sentences of an API response in the language asked for: every `{ code, message, params }`
 * (decision reasons, order flags) gets its `message` rendered from the code and parameters. Codes
 * and parameters are left as they are. English (the services' own sentences) needs no pass.
 */
export function localizeBody(body: unknown, lang: MessageLang, depth = 0): unknown {
  if (lang === 'en' || depth > MAX_DEPTH || body === null || typeof body !== 'object') return body;
  if (Array.isArray(body)) return body.map((item) => localizeBody(item, lang, depth + 1));
  const proto = Object.getPrototypeOf(body) as unknown;
  if (proto !== Object.prototype && proto !== null) return body;
  const source = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) out[key] = localizeBody(value, lang, depth + 1);
  if (typeof source.code === 'string' && typeof source.message === 'string' && 'params' in source) {
    out.message = renderStored(source.code, source.params, lang) ?? source.message;
  }
  return out;
}

/**
 * A problem (RFC 9457) in the language asked for: `detail` rendered from the code and `params`
 * through the catalogue (problem-messages.ts), each field reason in that language; `code`,
 * `params` and `errors[].field` unchanged. A 500 has no code: its sentence names its correlation id.
 */
export function localizeProblem<P extends { code?: string; status?: number; detail?: string; params?: unknown; correlationId?: unknown; errors?: { field: string; reason: string }[] }>(problem: P, acceptLanguage: string | undefined): P {
  return localizeProblemIn(problem, langFromAcceptLanguage(acceptLanguage));
}

export function localizeProblemIn<P extends { code?: string; status?: number; detail?: string; params?: unknown; correlationId?: unknown; errors?: { field: string; reason: string }[] }>(problem: P, lang: MessageLang): P {
  if (lang === 'en' || problem.detail === undefined) return problem;
  const unexpected = problem.code === undefined && typeof problem.correlationId === 'string';
  const detail = unexpected
    ? problemDetail('UNEXPECTED_ERROR', { correlationId: problem.correlationId }, 500, lang, problem.detail)
    : problemDetail(problem.code, problem.params ?? {}, problem.status ?? 0, lang, problem.detail);
  return {
    ...problem,
    detail,
    ...(problem.errors === undefined ? {} : { errors: problem.errors.map((e) => ({ ...e, reason: reasonIn(e.reason, lang) })) }),
  };
}

/** Renders the response's coded sentences by Accept-Language (English when absent). */
@Injectable()
export class MessageLanguageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const lang = langFromAcceptLanguage(context.switchToHttp().getRequest<Request>().headers['accept-language']);
    return lang === 'en' ? next.handle() : next.handle().pipe(map((body: unknown) => localizeBody(body, lang)));
  }
}
