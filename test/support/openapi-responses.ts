import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface Operation {
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Json }> }>;
  'x-problem-codes'?: Record<string, string[]>;
}

/** Problems any operation may answer, whatever its own codes (auth, transport, idempotency, outages). */
const GLOBAL_STATUSES = new Set([401, 405, 413, 415, 429, 500, 503]);
const GLOBAL_CODES = new Set(['MALFORMED_JSON', 'BODY_TOO_DEEP', 'NUL_CHARACTER', 'CROSS_SITE_REQUEST', 'UNSUPPORTED_CONTENT_ENCODING', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE', 'IDEMPOTENCY_KEY_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_REQUEST_IN_PROGRESS']);

/**
 * Checks real answers against the generated OpenAPI document: the schema documented for the
 * answer's status and media type. Strict: an object schema with properties accepts no other
 * member, so a field the code returns but the document does not declare is caught.
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { method: string; template: string; re: RegExp }[] = [];

  constructor(private readonly document: Json) {
    addFormats(this.ajv);
    const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
    for (const [name, schema] of Object.entries(schemas)) this.ajv.addSchema(strict(schema, name !== 'Problem'), `#/components/schemas/${name}`);
    for (const [template, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(item)) this.templates.push({ method, template, re });
    }
    // A literal segment wins over a parameter (…/criteria before …/{id}).
    this.templates.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
  }

  /** The operation `method url` resolves to, as `METHOD /template`. */
  operationOf(method: string, url: string): string | null {
    const path = url.split('?')[0] ?? url;
    const found = this.templates.find((t) => t.method === method.toLowerCase() && t.re.test(path));
    return found ? `${method.toUpperCase()} ${found.template}` : null;
  }

  /** The problems with an answer, empty when it is as documented. */
  check(method: string, url: string, status: number, contentType: string | undefined, body: unknown): string[] {
    const op = this.operationOf(method, url);
    if (!op) return [`${method} ${url}: no documented operation`];
    const [, template] = op.split(' ') as [string, string];
    const operation = (this.document.paths as Record<string, Record<string, Operation>>)[template]?.[method.toLowerCase()];
    let answer = operation?.responses?.[String(status)];
    if (!answer) return [`${op}: status ${status} not documented`];
    const codes = operation?.['x-problem-codes'];
    const code = typeof body === 'object' && body !== null ? (body as Json).code : undefined;
    if (codes && status >= 400 && !GLOBAL_STATUSES.has(status) && typeof code === 'string' && !GLOBAL_CODES.has(code) && !(codes[String(status)] ?? []).includes(code)) {
      return [`${op} ${status}: problem code ${code} not among the documented ${JSON.stringify(codes[String(status)] ?? [])}`];
    }
    if (answer.$ref) answer = this.resolve(answer.$ref) as typeof answer;
    const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
    const content = answer.content;
    if (!content) return body === undefined || body === '' || (typeof body === 'object' && body !== null && Object.keys(body).length === 0) ? [] : [`${op} ${status}: a body where none is documented`];
    const media = content[type];
    if (!media) return [`${op} ${status}: media type ${type} not documented (documented: ${Object.keys(content).join(', ')})`];
    if (!media.schema) return [];
    const key = `${op} ${status} ${type}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(strict(media.schema, true));
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${op} ${status}: ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)} (was ${JSON.stringify(valueAt(body, e.instancePath))?.slice(0, 120)})`);
  }

  private resolve(ref: string): unknown {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, part) => (node as Json)[part], this.document);
  }
}

function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), body);
}

/** OpenAPI 3.0 → JSON Schema for Ajv: `nullable` becomes a null alternative; closed objects when `closed`. */
function strict(schema: unknown, closed: boolean): Json {
  if (Array.isArray(schema)) return schema.map((s) => strict(s, closed)) as unknown as Json;
  if (typeof schema !== 'object' || schema === null) return schema as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    if (k === 'example' || k === 'examples' || k === 'nullable') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, strict(s, closed)])) : typeof v === 'object' ? strict(v, closed) : v;
  }
  if (closed && out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  if ((schema as Json).nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}
