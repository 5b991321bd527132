import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam, ApiProperty } from '@nestjs/swagger';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { checkFiness } from '../domain/finess';
import { DomainError } from '../domain/domain-error';
import { isPeriod } from '../domain/period';

/** The OpenAPI patterns of the domain checks (the checks themselves are in the domain functions). */
export const PERIOD_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
export const FINESS_PATTERN = '^(\\d{2}|2A|2B)\\d{7}$';
export const PERIOD_REASON = 'must be a period YYYY-MM';

/** Adds schema keywords to a DTO property's OpenAPI description; swagger merges them, keeping its `required`. */
function documented(extra: { type: 'string'; pattern: string; example: string; minLength: number; maxLength: number }): PropertyDecorator {
  return ApiProperty(extra);
}

function both(validator: PropertyDecorator, doc: PropertyDecorator): PropertyDecorator {
  return (target, key) => {
    validator(target, key);
    doc(target, key);
  };
}

/** A period `YYYY-MM` (SPEC §11), checked by the domain's `isPeriod`; documents its pattern. */
export function IsPeriod(options?: ValidationOptions): PropertyDecorator {
  return both(
    ValidateBy({ name: 'isPeriod', validator: { validate: (v: unknown) => typeof v === 'string' && isPeriod(v), defaultMessage: () => PERIOD_REASON } }, options),
    documented({ type: 'string', pattern: PERIOD_PATTERN, example: '2023-05', minLength: 7, maxLength: 7 }),
  );
}

/** A FINESS number: 9 characters, 2A/2B for Corsica, a Luhn key (`checkFiness`); documents its pattern. */
export function IsFiness(options?: ValidationOptions): PropertyDecorator {
  return both(
    ValidateBy(
      { name: 'isFiness', validator: { validate: (v: unknown) => typeof v === 'string' && checkFiness(v).ok, defaultMessage: () => 'must be a FINESS number: 9 characters (2A/2B for Corsica) with its Luhn key' } },
      options,
    ),
    documented({ type: 'string', pattern: FINESS_PATTERN, example: '750712184', minLength: 9, maxLength: 9 }),
  );
}

/** `:period` path parameters: the same 400 PERIOD_INVALID on every route. */
@Injectable()
export class PeriodPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !isPeriod(value)) throw new DomainError('PERIOD_INVALID', { period: typeof value === 'string' ? value : String(value) }, 400, [{ field: 'period', reason: PERIOD_REASON }]);
    return value;
  }
}

/** Documents a `:period` path parameter with its pattern. */
export const ApiPeriodParam = (): MethodDecorator & ClassDecorator => ApiParam({ name: 'period', schema: { type: 'string', pattern: PERIOD_PATTERN, example: '2023-05' } });
