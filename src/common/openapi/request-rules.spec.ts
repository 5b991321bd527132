import type { OpenAPIObject } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { withProblemResponses } from '../problem-details/openapi-problems';
import { withRequestRules } from './request-rules';
import { withSummaries } from './summaries';

class RequestRulesProbeDto {
  @IsString() @IsNotEmpty() @MaxLength(40) name!: string;
  @IsInt() @Min(1) @Max(9) count!: number;
  @IsOptional() @IsString() note?: string;
  @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/) day!: string;
}

/** The generated schemas are named after their DTO class: the rules find the class by that name. */
const SCHEMA = RequestRulesProbeDto.name;

function documentWith(schema: object): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/probe': {
        post: {
          operationId: 'ProbeController_createThing',
          tags: ['probe'],
          'x-problem-codes': { 404: ['PROBE_NOT_FOUND'], 422: ['PROBE_REFUSED', 'PROBE_LATE'] },
          requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${SCHEMA}` } } } },
          responses: { '201': { description: 'made' } },
        },
      },
    },
    components: { schemas: { [SCHEMA]: schema } },
  } as unknown as OpenAPIObject;
}

describe('the request rules of the generated document', () => {
  const probe = () =>
    withRequestRules(
      documentWith({
        type: 'object',
        properties: { name: { type: 'string', nullable: true }, count: { type: 'number' }, note: { type: 'string' }, day: { type: 'string' } },
        required: ['name', 'count', 'day'],
      }),
    );

  it('closes a request body to unknown fields, as the ValidationPipe refuses them', () => {
    expect(probe().components?.schemas?.[SCHEMA]).toMatchObject({ additionalProperties: false });
  });

  it('writes the class-validator constraints as schema keywords', () => {
    const schema = probe().components?.schemas?.[SCHEMA] as { properties: Record<string, object> };
    expect(schema.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 40 });
    expect(schema.properties.count).toEqual({ type: 'integer', minimum: 1, maximum: 9 });
    expect(schema.properties.day).toEqual({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });
    expect(schema.properties.note).toEqual({ type: 'string' });
  });

  it('documents Accept-Language on every operation', () => {
    expect(probe().paths['/probe']?.post?.parameters).toEqual([expect.objectContaining({ name: 'Accept-Language', in: 'header', required: false })]);
  });
});

describe('the problem answers of the generated document', () => {
  const document = () => withProblemResponses(documentWith({ type: 'object' }));

  it("gives an operation its own problem answer per status it names, listing the codes, with an example", () => {
    const answer = document().paths['/probe']?.post?.responses['422'] as { description: string; content: Record<string, { example: { code: string; status: number } }> };
    expect(answer.description).toMatch(/^PROBE_REFUSED, PROBE_LATE\./);
    expect(answer.content['application/problem+json']?.example).toMatchObject({ code: 'PROBE_REFUSED', status: 422 });
  });

  it('keeps the generic answers for the statuses it does not name, and the Idempotency-Key on a POST', () => {
    const operation = document().paths['/probe']?.post;
    expect(operation?.responses['400']).toEqual({ $ref: '#/components/responses/Problem400' });
    expect(operation?.responses['503']).toEqual({ $ref: '#/components/responses/Problem503' });
    expect(operation?.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
  });

  it('names an operation from its method and marks one without a bearer requirement public', () => {
    const operation = withSummaries(documentWith({ type: 'object' })).paths['/probe']?.post;
    expect(operation?.summary).toBe('Create thing (probe)');
    expect(operation?.security).toEqual([]);
  });
});
