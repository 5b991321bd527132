import { errorFactory } from '../common/domain/domain-error';

const statusOf = {
  /** No checkpoint has been taken yet. */
  AUDIT_CHECKPOINT_NOT_FOUND: 404,
  /** The chain does not verify: no checkpoint is signed over a broken history. */
  AUDIT_CHAIN_BROKEN: 409,
} as const satisfies Record<string, number>;

export type AuditErrorCode = keyof typeof statusOf;
export const auditError = errorFactory<AuditErrorCode>(statusOf);
