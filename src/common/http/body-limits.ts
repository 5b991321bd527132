import { json, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../domain/domain-error';
import { inspectJson } from './json-depth';

/** The deepest nesting of arrays/objects any of our JSON bodies needs, with room to spare. */
export const MAX_JSON_DEPTH = 32;

const KB = 1024;
const MB = 1024 * KB;

/** How large a body each route needs (#12.2); the first match wins, then the default. */
const SIZE_RULES: { path: RegExp; maxBytes: number }[] = [
  { path: /^\/(api\/v1\/auth\/login|connexion|deconnexion)\/?$/, maxBytes: 8 * KB },
  { path: /^\/api\/v1\/recaps\/?$/, maxBytes: 5 * MB }, // a JSON recap lists every treated patient
];
const DEFAULT_MAX_BYTES = 1 * MB;

export function maxBodyBytes(path: string): number {
  return SIZE_RULES.find((rule) => rule.path.test(path))?.maxBytes ?? DEFAULT_MAX_BYTES;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
/** Only these routes read a multipart body themselves (streamed, with their own limits). */
const MULTIPART_API_ROUTES = /^\/api\/v1\/recaps\/?$/;

function pathOf(req: Request): string {
  return (req.originalUrl ?? req.url).split('?')[0] ?? '';
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/** A NUL character anywhere in a request: no field of ours takes one, and PostgreSQL cannot store it. */
function nulCharacter(field: string): DomainError {
  return new DomainError('NUL_CHARACTER', {}, 400, [{ field, reason: 'must not contain a NUL character' }]);
}

function tooDeep(): DomainError {
  return new DomainError('BODY_TOO_DEEP', { maxDepth: MAX_JSON_DEPTH }, 400, [{ field: 'body', reason: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }]);
}

/** body-parser's own errors, as our problems (the value that failed is never repeated). */
function fromParserError(error: unknown, maxBytes: number): unknown {
  if (error instanceof DomainError) return error;
  const type = (error as { type?: unknown }).type;
  switch (type) {
    case 'entity.too.large':
      return new DomainError('PAYLOAD_TOO_LARGE', { maxBytes }, 413, [{ field: 'body', reason: `must be at most ${maxBytes} bytes` }]);
    case 'entity.parse.failed':
      return new DomainError('MALFORMED_JSON', {}, 400, [{ field: 'body', reason: 'is not valid JSON' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', {}, 415, [{ field: 'body', reason: 'must be UTF-8 and not compressed' }]);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new DomainError('BAD_REQUEST', {}, 400, [{ field: 'body', reason: 'could not be read' }]);
    default:
      return error;
  }
}

/**
 * The one body-limits layer (#12.2, #12.5, #12.10), before any parsing, validation or work:
 * - a NUL character in the URL or a body is a 400 (PostgreSQL would fail on it with a 500);
 * - a compressed body (`Content-Encoding` other than identity) is a 415 (we never inflate);
 * - the API reads JSON only (and multipart on the routes that stream it): a form-encoded or other
 *   body to /api is a 415, so a cross-site HTML form cannot post to it;
 * - each route reads at most the size it needs (413), and a JSON body nested deeper than
 *   MAX_JSON_DEPTH is a 400, found by a linear scan of the raw bytes before JSON.parse.
 */
export function bodyLimits(): RequestHandler {
  const parsers = new Map<number, { json: RequestHandler; form: RequestHandler }>();
  const parsersFor = (maxBytes: number): { json: RequestHandler; form: RequestHandler } => {
    let found = parsers.get(maxBytes);
    if (!found) {
      found = {
        json: json({
          limit: maxBytes,
          type: JSON_TYPES,
          inflate: false,
          verify: (_req, _res, body) => {
            const found = inspectJson(body, MAX_JSON_DEPTH);
            if (found === 'TOO_DEEP') throw tooDeep();
            if (found === 'NUL_CHARACTER') throw nulCharacter('body');
          },
        }),
        form: urlencoded({
          extended: false,
          limit: maxBytes,
          inflate: false,
          parameterLimit: 200,
          verify: (_req, _res, body) => {
            if (/%00/i.test(body.toString('latin1'))) throw nulCharacter('body');
          },
        }),
      };
      parsers.set(maxBytes, found);
    }
    return found;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if (/%00/i.test(req.originalUrl ?? req.url)) return next(nulCharacter('url'));
    if (!hasBody(req)) return next();
    const path = pathOf(req);
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding !== 'identity' && encoding !== '') {
      return next(new DomainError('UNSUPPORTED_CONTENT_ENCODING', {}, 415, [{ field: 'Content-Encoding', reason: 'is not accepted: send the body uncompressed' }]));
    }
    const maxBytes = maxBodyBytes(path);
    const { json: readJson, form: readForm } = parsersFor(maxBytes);
    const done = (error?: unknown): void => next(error === undefined || error === null ? undefined : fromParserError(error, maxBytes));
    const isApi = path.startsWith('/api/');
    if (req.is(JSON_TYPES)) {
      void readJson(req, res, done);
      return;
    }
    if (isApi) {
      if (req.is('multipart/form-data') && MULTIPART_API_ROUTES.test(path)) return next();
      return next(new DomainError('UNSUPPORTED_MEDIA_TYPE', {}, 415, [{ field: 'Content-Type', reason: 'must be application/json' }]));
    }
    void readForm(req, res, done);
  };
}
