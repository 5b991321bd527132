import { errorFactory } from '../common/domain/domain-error';

const statusOf = {
  /** No such notification in the caller's inbox. */
  NOTIFICATION_NOT_FOUND: 404,
  /** The committee's urgent requests cannot be switched off. */
  NOTIFICATION_LOCKED: 422,
  /** A kind the caller's role never receives. */
  NOTIFICATION_KIND_UNKNOWN: 422,
} as const satisfies Record<string, number>;

export type NotificationErrorCode = keyof typeof statusOf;
export const notificationError = errorFactory<NotificationErrorCode>(statusOf);
