import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, map } from 'rxjs';
import { renderStored } from './catalogue';
import { MessageLang, langFromAcceptLanguage } from './formatter';
import { problemSentence, reasonIn } from './problems';

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

/** A problem (RFC 9457) in the language asked for: `detail` from the code, each field reason in that language; `code` and `errors[].field` unchanged. */
export function localizeProblem<P extends { code?: string; detail?: string; errors?: { field: string; reason: string }[] }>(problem: P, acceptLanguage: string | undefined): P {
  const lang = langFromAcceptLanguage(acceptLanguage);
  if (lang === 'en') return problem;
  return {
    ...problem,
    ...(problem.detail === undefined ? {} : { detail: problemSentence(problem.code, problem.detail, lang) }),
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
