import { errorFactory } from '../common/domain/domain-error';

const statusOf = {
  MEDICINE_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  NO_POLICY_IN_FORCE: 422,
  POLICY_INVALID: 400,
  POLICY_EFFECTIVE_DATE_CONFLICT: 409,
  POLICY_EFFECTIVE_IN_PAST: 422,
  UNKNOWN_INDICATION: 422,
} as const satisfies Record<string, number>;

export type MedicineErrorCode = keyof typeof statusOf;
export const medicineError = errorFactory<MedicineErrorCode>(statusOf);
