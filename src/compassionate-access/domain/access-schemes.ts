import { fail, ok, type Result } from '../../common/domain/result';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';

/** Only the scheme's named specialties may ask (SPEC §9 Who may ask). */
export function checkPrescriberSpecialty(scheme: { code: string; prescriberSpecialties: readonly string[] }, specialty: string): Result<true, CompassionateAccessError> {
  if (scheme.prescriberSpecialties.includes(specialty)) return ok(true);
  return fail(
    accessError(
      'PRESCRIBER_SPECIALTY_NOT_ALLOWED',
      { specialty, medicine: scheme.code, allowed: scheme.prescriberSpecialties },
    ),
  );
}
