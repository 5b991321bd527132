import { ApiProperty } from '@nestjs/swagger';
import { FINESS_PATTERN, PERIOD_PATTERN } from '../validation/domain-validators';

import { PSEUDONYM_PATTERN } from './properties';

export { PSEUDONYM_PATTERN };
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

interface Extra {
  nullable?: boolean;
  description?: string;
  example?: unknown;
  isArray?: boolean;
  required?: boolean;
}

/** Response properties with the formats of SPEC §11 (periods, dates, instants, FINESS, pseudonyms, ids). */
export const ApiPeriodProperty = (extra: Extra = {}): PropertyDecorator => ApiProperty({ type: String, pattern: PERIOD_PATTERN, example: '2023-05', ...extra });
export const ApiDateProperty = (extra: Extra = {}): PropertyDecorator => ApiProperty({ type: String, format: 'date', example: '2023-05-15', ...extra });
export const ApiInstantProperty = (extra: Extra = {}): PropertyDecorator => ApiProperty({ type: String, format: 'date-time', example: '2023-05-15T08:00:00.000Z', ...extra });
export const ApiFinessProperty = (extra: Extra = {}): PropertyDecorator => ApiProperty({ type: String, pattern: FINESS_PATTERN, example: '759900012', ...extra });
export const ApiPseudonymProperty = (extra: Extra = {}): PropertyDecorator => ApiProperty({ type: String, pattern: PSEUDONYM_PATTERN, example: 'P-7KQ2M9XW4T', ...extra });
export const ApiUuidProperty = (extra: Extra = {}): PropertyDecorator => ApiProperty({ type: String, format: 'uuid', example: '3f1c2a9e-6b1d-4f7a-9a53-2c8d1e0b7f41', ...extra });
