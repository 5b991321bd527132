import { errorFactory, refusalToErrorWith } from '../common/domain/domain-error';

const statusOf = {
  SUPPLY_NOT_DECLARED: 404,
  SUPPLY_DECLARATION_INVALID: 422,
  PROJECTION_HORIZON_INVALID: 400,
  PROJECTION_NO_SCHEDULE: 422,
  PROJECTION_TREATMENTS_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type SupplyErrorCode = keyof typeof statusOf;
export const supplyError = errorFactory<SupplyErrorCode>(statusOf);
export const supplyRefusalToError = refusalToErrorWith<SupplyErrorCode>(supplyError);
