import { errorFactory } from '../common/domain/domain-error';

const statusOf = {
  ESTABLISHMENT_NOT_FOUND: 404,
  ESTABLISHMENT_EXISTS: 409,
  FINESS_INVALID: 400,
  PERIOD_INVALID: 400,
  NO_PENDING_DECLARATION: 409,
} as const satisfies Record<string, number>;

export type EstablishmentErrorCode = keyof typeof statusOf;
export const establishmentError = errorFactory<EstablishmentErrorCode>(statusOf);
