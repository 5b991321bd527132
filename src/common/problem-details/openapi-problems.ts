import type { OpenAPIObject } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** RFC 9457 problem details as every error of the API carries them (SPEC §11 errors). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', example: 'CENTRE_QUOTA_EXHAUSTED' },
    params: {
      type: 'object',
      additionalProperties: { anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }, { type: 'string', nullable: true }] },
      description: 'The figures and names the sentence of `code` uses (never a patient identifier); `detail` is that sentence rendered by Accept-Language',
      example: { period: '2026-12', used: 3, slots: 3 },
    },
    errors: { type: 'array', items: { type: 'object', required: ['field', 'reason'], properties: { field: { type: 'string' }, reason: { type: 'string' }, line: { type: 'integer', minimum: 1, description: 'uploaded files: the 1-based line' } } } },
    correlationId: { type: 'string' },
    component: { type: 'string', enum: ['database'], description: '503 only: the component out of service' },
    retryAfter: { type: 'integer', description: '503 only: seconds, as the Retry-After header' },
  },
  additionalProperties: true,
};

const ANSWERS: Record<string, string> = {
  '400': 'Bad input: VALIDATION_FAILED, MALFORMED_JSON, PERIOD_INVALID, … with `errors[{ field, reason }]`',
  '401': 'UNAUTHENTICATED: no valid bearer token',
  '403': 'FORBIDDEN: a role that may never call this',
  '404': "NOT_FOUND (or the resource's own code): missing, or another establishment's",
  '405': 'METHOD_NOT_ALLOWED, with the Allow header',
  '409': 'A state conflict, e.g. IDEMPOTENCY_REQUEST_IN_PROGRESS',
  '413': 'PAYLOAD_TOO_LARGE: the body is over the limit',
  '415': 'UNSUPPORTED_MEDIA_TYPE: a body type or encoding the route does not take',
  '422': 'A rule refusal with its reason code, e.g. IDEMPOTENCY_KEY_REUSED',
  '429': 'TOO_MANY_REQUESTS',
  '500': 'An unexpected error, with a correlation id and nothing else',
  '503': 'DATABASE_UNAVAILABLE or JOB_QUEUE_UNAVAILABLE, with the Retry-After header',
};

const PROBLEM_CONTENT = 'application/problem+json';

/** One operation's own answer for a status: the codes it names (x-problem-codes, from `@ApiProblems`), with an example. */
function ownAnswer(status: string, codes: readonly string[]): ResponseObject {
  const generic = ANSWERS[status] ?? 'A problem';
  const [first = 'VALIDATION_FAILED'] = codes;
  return {
    description: `${codes.join(', ')}. Generic answers of this status may also come: ${generic}`,
    content: {
      [PROBLEM_CONTENT]: {
        schema: { $ref: '#/components/schemas/Problem' },
        example: { type: `https://contingent.example/problems/${first.toLowerCase().replace(/_/g, '-')}`, title: first, status: Number(status), detail: 'A sentence naming the numbers, in the language of Accept-Language.', instance: '/api/v1/…', code: first },
      },
    },
  };
}

/**
 * Declares the problem+json answers on every operation of the generated document: an operation's own
 * codes by status where it names them (`@ApiProblems`, written as `x-problem-codes`), the generic answers
 * for the other statuses; and the Idempotency-Key header on every POST and PUT (handled globally, SPEC §4 rule 8).
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, Problem: PROBLEM_SCHEMA };
  document.components.responses = {
    ...document.components.responses,
    ...Object.fromEntries(Object.entries(ANSWERS).map(([status, description]) => [`Problem${status}`, { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }])),
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const own = (operation as { 'x-problem-codes'?: Record<string, readonly string[]> })['x-problem-codes'] ?? {};
      for (const [status, codes] of Object.entries(own)) {
        if (codes.length > 0) operation.responses[status] = ownAnswer(status, codes);
      }
      for (const status of Object.keys(ANSWERS)) {
        if (operation.responses[status] === undefined) operation.responses[status] = { $ref: `#/components/responses/Problem${status}` };
      }
      if (method === 'post' || method === 'put') {
        operation.parameters ??= [];
        if (!operation.parameters.some((p) => 'name' in p && p.name === 'Idempotency-Key')) {
          operation.parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, description: 'A retry with the same key and body gets the first answer (SPEC §4 rule 8)', schema: { type: 'string', minLength: 1, maxLength: 200 } });
        }
      }
    }
  }
  return document;
}
