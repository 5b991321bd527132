import type { ValidationError } from '@nestjs/common';
import { flattenValidationErrors, validationFailed } from './validation';

describe('validation problems (issue 17: errors do not repeat themselves)', () => {
  it('gives one reason per field and sentence, with the nested path', () => {
    const errors = [
      { property: 'weightKg', constraints: { isNumber: 'must be a positive number', min: 'must be a positive number', max: 'must be at most 400' }, children: [] },
      { property: 'lines', children: [{ property: '4', children: [{ property: 'patient', constraints: { isString: 'must be a pseudonym' }, children: [] }] }] },
    ] as unknown as ValidationError[];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'weightKg', reason: 'must be a positive number' },
      { field: 'weightKg', reason: 'must be at most 400' },
      { field: 'lines[4].patient', reason: 'must be a pseudonym' },
    ]);
  });

  it('names the fields in its params, each once', () => {
    const error = validationFailed([{ field: 'weightKg', reason: 'a' }, { field: 'weightKg', reason: 'b' }, { field: 'medicine', reason: 'c' }]);
    expect([error.code, error.status, error.params]).toEqual(['VALIDATION_FAILED', 400, { fields: ['weightKg', 'medicine'] }]);
  });
});
