import { Type, applyDecorators } from '@nestjs/common';
import { FINESS_PATTERN, PERIOD_PATTERN } from '../validation/domain-validators';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';

/**
 * Property decorators of the response DTOs for the formats SPEC §11 fixes, so that every module documents a
 * period, a date, an instant, a FINESS, a pseudonym or an id the same way (pattern, format, example).
 */
type Extra = { nullable?: boolean; required?: boolean; description?: string };

const PERIOD = PERIOD_PATTERN;
const FINESS = FINESS_PATTERN;
/** The pseudonym the patients module gives (`P-` and 10 characters of an alphabet without 0, 1, I, O). */
export const PSEUDONYM_PATTERN = '^P-[A-HJ-NP-Z2-9]{10}$';
const PSEUDONYM = PSEUDONYM_PATTERN;

function string(base: ApiPropertyOptions, extra: Extra): PropertyDecorator {
  return ApiProperty({ ...base, type: String, ...(extra.nullable ? { nullable: true } : {}), ...(extra.required === false ? { required: false } : {}), ...(extra.description ? { description: extra.description } : {}) } as ApiPropertyOptions);
}

export const PeriodProperty = (extra: Extra = {}): PropertyDecorator => string({ pattern: PERIOD, example: '2023-05', minLength: 7, maxLength: 7 }, extra);
export const DateProperty = (extra: Extra = {}): PropertyDecorator => string({ format: 'date', example: '2023-05-15' }, extra);
export const InstantProperty = (extra: Extra = {}): PropertyDecorator => string({ format: 'date-time', example: '2023-05-15T08:00:00.000Z' }, extra);
export const FinessProperty = (extra: Extra = {}): PropertyDecorator => string({ pattern: FINESS, example: '759900012', minLength: 9, maxLength: 9 }, extra);
export const PseudonymProperty = (extra: Extra = {}): PropertyDecorator => string({ pattern: PSEUDONYM, example: 'P-7KQ2M9XW4T', minLength: 12, maxLength: 12 }, extra);
export const UuidProperty = (extra: Extra = {}): PropertyDecorator => string({ format: 'uuid', example: '3f0c1d2e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' }, extra);

/** `{ items: [T], nextCursor }` (SPEC §11 lists) as the 200 answer of a list operation. */
export function ApiPageResponse(item: Type<unknown>, description = 'a page of the list; nextCursor is null on the last page'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, example: null, description: "the next page's cursor; null on the last page" },
        },
      },
    }),
  );
}
