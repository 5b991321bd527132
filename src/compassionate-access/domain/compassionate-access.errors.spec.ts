import { compassionateAccessError, compassionateAccessStatusOf } from './compassionate-access.errors';

describe('compassionate-access error codes (SPEC §11 errors)', () => {
  it('maps state conflicts to 409 and rule refusals to 422', () => {
    expect(compassionateAccessStatusOf.ACCESS_REQUEST_NOT_COUNTERSIGNABLE).toBe(409);
    expect(compassionateAccessStatusOf.REPORT_CUTOFF_BEFORE_START).toBe(422);
    const e = compassionateAccessError('CLINICAL_FORM_INVALID', { count: 1, fields: ['clinical.weightKg'] }, [{ field: 'clinical.weightKg', reason: 'must be a positive number up to 400' }]);
    expect([e.code, e.status, e.errors.length]).toEqual(['CLINICAL_FORM_INVALID', 400, 1]);
  });

  it('uses stable UPPER_SNAKE codes only', () => {
    for (const code of Object.keys(compassionateAccessStatusOf)) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});
