import { errorFactory } from '../common/domain/domain-error';

const statusOf = {
  PATIENT_NOT_FOUND: 404,
  NIR_INVALID: 400,
  NIR_MISMATCH: 400,
  BIRTH_DATE_INVALID: 400,
  PATIENT_REGISTRATION_FORBIDDEN: 403,
} as const satisfies Record<string, number>;

export type PatientErrorCode = keyof typeof statusOf;
export const patientError = errorFactory<PatientErrorCode>(statusOf);
