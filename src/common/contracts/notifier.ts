import type { EntityManager } from 'typeorm';
import type { NotificationCode, NotificationEvent } from '../domain/notification-events';

/**
 * What a module tells the notifications module when something needs someone (issue 19), without
 * importing it (provided by the notifications module under NOTIFIER). `notify` runs inside the
 * caller's transaction: the inbox rows and deliveries are written with the state change, and the
 * e-mails go out through the jobs queue only once that transaction has committed.
 */
export const NOTIFIER = Symbol('NOTIFIER');

export interface Notifier {
  notify(manager: EntityManager, event: NotificationEvent): Promise<void>;
}

/** A user's e-mail choices, as `GET /api/v1/me` shows them (provided by the notifications module). */
export const NOTIFICATION_CHOICES = Symbol('NOTIFICATION_CHOICES');

export interface NotificationChoice {
  code: NotificationCode;
  mode: 'immediate' | 'digest' | 'off';
  /** The committee's urgent requests cannot be switched off. */
  locked: boolean;
}

export interface NotificationChoices {
  of(userId: string, role: string): Promise<NotificationChoice[]>;
}
