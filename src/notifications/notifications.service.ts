import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor, Role } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NotificationChoice, NotificationChoices, Notifier } from '../common/contracts/notifier';
import { USER_DIRECTORY, type UserDirectory } from '../common/contracts/user-directory';
import { NotificationCode, NotificationEvent } from '../common/domain/notification-events';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { JobsService } from '../jobs/jobs.service';
import { MedicinesService } from '../medicines/medicines.service';
import { AfterCommit } from './after-commit';
import { AUDIENCE, DeliveryMode, codesFor, deliveryKeyOf, effectiveMode, eventKeyOf, isLocked, linkOf, messageIdOf, recipientsOf, scrubParams } from './domain/notification-rules';
import { langOf, render } from './domain/notification-texts';
import { DeliveryEntity, PreferenceEntity } from './entities/delivery.entity';
import { NotificationEntity } from './entities/notification.entity';
import { Mailer } from './mailer';
import { notificationError } from './notifications.errors';

export const DELIVER_JOB = 'notifications.deliver';

/** A line of `GET /api/v1/notifications`. */
export interface NotificationResponse {
  id: string;
  code: NotificationCode;
  subject: string;
  body: string;
  link: string;
  params: Record<string, string | number | null>;
  createdAt: string;
  readAt: string | null;
}

const ROLES_OF: Record<string, Role[]> = {
  'committee-other-establishments': ['committee'],
  'prescriber-and-pharmacists': ['prescriber', 'pharmacist'],
  pharmacists: ['pharmacist'],
  agency: ['agency'],
  lab: ['lab'],
  'pharmacists-or-lab': ['pharmacist', 'lab'],
};

/**
 * Records events for their recipients (inbox rows, and e-mail deliveries when SMTP is set) in the
 * caller's transaction; after the commit a `notifications.deliver` job sends them (issue 19).
 */
@Injectable()
export class NotificationsService implements Notifier, NotificationChoices {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly afterCommit: AfterCommit,
    private readonly jobs: JobsService,
    private readonly mailer: Mailer,
    private readonly medicines: MedicinesService,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  async notify(manager: EntityManager, event: NotificationEvent): Promise<void> {
    const eventKey = eventKeyOf(event);
    const params = scrubParams({ ...(await this.withIndicationName(manager, event.params)), establishment: event.establishment ?? event.params.establishment ?? null });
    const finess = event.establishment ?? null;
    const roles = ROLES_OF[AUDIENCE[event.code]] ?? [];
    // Establishment-bound roles are read for the event's establishment only (a reconciliation notifies many establishments).
    const audiences = roles.flatMap((role): { role: Role; establishment?: string }[] => (role === 'pharmacist' || role === 'prescriber' ? (finess ? [{ role, establishment: finess }] : []) : [{ role }]));
    if (audiences.length === 0) return;
    const users = await this.directory.withRoles(manager, audiences);
    const recipients = recipientsOf({ ...event, establishment: finess }, users);
    if (recipients.length === 0) return;
    const byId = new Map(users.map((u) => [u.id, u]));
    const prefs = await manager.getRepository(PreferenceEntity).find({ where: { userId: In(recipients.map((r) => r.id)), code: event.code } });
    const stored = new Map(prefs.map((p) => [p.userId, p.mode]));
    const now = this.clock.now().toISOString();
    const link = linkOf(event.code, params);
    let queued = 0;
    for (const recipient of recipients) {
      const mode = effectiveMode(event.code, recipient.role, stored.get(recipient.id));
      if (mode === 'off') continue;
      const id = newId();
      await manager.createQueryBuilder().insert().into(NotificationEntity)
        .values({ id, eventKey, code: event.code, userId: recipient.id, params: params as never, link, createdAt: now, readAt: null })
        .orIgnore().execute();
      // The same event again (a retried job, a replayed hook): already recorded, nothing more.
      if (!(await manager.getRepository(NotificationEntity).existsBy({ id }))) continue;
      const email = byId.get(recipient.id)?.email;
      if (!this.mailer.enabled || !email) continue;
      const key = deliveryKeyOf(eventKey, recipient.id);
      await manager.createQueryBuilder().insert().into(DeliveryEntity).values({
        id: newId(), key, notificationId: id, items: null, userId: recipient.id, recipient: email, mode: mode === 'digest' ? 'digest' : 'immediate',
        state: mode === 'digest' ? 'held' : 'pending', attempts: 0, leaseUntil: null, nextAttemptAt: null, digestId: null, messageId: messageIdOf(key, this.mailer.domain),
        sentAt: null, lastError: null, createdAt: now, updatedAt: now,
      } as never).orIgnore().execute();
      if (mode === 'immediate') queued++;
    }
    if (queued > 0) this.afterCommit.add(manager, () => this.queueDelivery(eventKey));
  }

  /** Pages and mails name an indication by its name, not its code (the code stays in `indicationCode`). */
  private async withIndicationName(manager: EntityManager, params: NotificationEvent['params']): Promise<NotificationEvent['params']> {
    const { medicine, indication } = params;
    if (typeof medicine !== 'string' || typeof indication !== 'string') return params;
    const row = await this.medicines.indication(medicine, indication, manager);
    return row ? { ...params, indicationCode: indication, indication: row.name } : params;
  }

  /** Puts a delivery job on the queue for this event (its own job id, so its history shows it). */
  async queueDelivery(variantOf: string): Promise<void> {
    const variant = createHash('sha256').update(variantOf).digest('hex').slice(0, 32);
    await this.jobs.enqueue(DELIVER_JOB, { date: this.clock.today() }, 'event', variant);
  }

  async of(userId: string, role: string): Promise<NotificationChoice[]> {
    const prefs = await this.unitOfWork.dataSource.getRepository(PreferenceEntity).findBy({ userId });
    const stored = new Map(prefs.map((p) => [p.code, p.mode]));
    return codesFor(role).map((code) => ({ code, mode: effectiveMode(code, role, stored.get(code)), locked: isLocked(code, role) }));
  }

  /** Sets the caller's choices (and notification language); a locked kind cannot be switched off. */
  async choose(actor: Actor, choices: { code: string; mode: DeliveryMode }[], language?: 'fr' | 'en'): Promise<{ language: string; notifications: NotificationChoice[] }> {
    const allowed = new Set<string>(codesFor(actor.role));
    choices.forEach((choice, i) => {
      if (!allowed.has(choice.code)) throw notificationError('NOTIFICATION_KIND_UNKNOWN', { role: actor.role, kind: choice.code }, [{ field: `notifications[${i}].code`, reason: 'is not a kind this role receives' }]);
      if (choice.mode === 'off' && isLocked(choice.code as NotificationCode, actor.role)) {
        throw notificationError('NOTIFICATION_LOCKED', { kind: choice.code }, [{ field: `notifications[${i}].mode`, reason: 'cannot be off for this kind' }]);
      }
    });
    await this.unitOfWork.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const before = await manager.getRepository(PreferenceEntity).findBy({ userId: actor.userId });
      for (const choice of choices) await manager.getRepository(PreferenceEntity).save({ userId: actor.userId, code: choice.code, mode: choice.mode, updatedAt: now });
      if (language) await this.directory.setLanguage(manager, actor.userId, language);
      await this.audit.record(manager, actor, {
        action: 'notifications.preferences-set', entity: 'user', entityId: actor.userId,
        before: { preferences: before.map((p) => ({ code: p.code, mode: p.mode })) }, after: { preferences: choices, ...(language ? { language } : {}) }, establishment: actor.establishment,
      });
    });
    const user = await this.directory.byId(actor.userId);
    if (!user) throw new Error(`notifications: no user ${actor.userId}`);
    return { language: langOf(user.language), notifications: await this.of(actor.userId, actor.role) };
  }

  /** The caller's inbox, newest first, in the user's language (or the page's). */
  async inbox(actor: Actor, query: PageQueryDto & { unread?: boolean }, lang?: 'fr' | 'en'): Promise<Page<NotificationResponse>> {
    const window = pageWindow(query);
    const language = lang ?? langOf((await this.directory.byId(actor.userId))?.language);
    const rows = await this.unitOfWork.dataSource.getRepository(NotificationEntity).find({
      where: { userId: actor.userId, ...(query.unread ? { readAt: IsNull() } : {}) }, order: { createdAt: 'DESC', id: 'ASC' }, skip: window.skip, take: window.take,
    });
    const page = toPage(rows, window);
    return { items: page.items.map((row) => toResponse(row, language)), nextCursor: page.nextCursor };
  }

  async unreadCount(actor: Actor): Promise<number> {
    return this.unitOfWork.dataSource.getRepository(NotificationEntity).countBy({ userId: actor.userId, readAt: IsNull() });
  }

  /** Marks one of the caller's notifications read (another user's is a 404, like a missing one). */
  async markRead(actor: Actor, id: string, lang?: 'fr' | 'en'): Promise<NotificationResponse> {
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(NotificationEntity);
      const row = await repo.findOneBy({ id, userId: actor.userId });
      if (!row) throw notificationError('NOTIFICATION_NOT_FOUND', {}, [{ field: 'id', reason: 'is not a notification of yours' }]);
      if (row.readAt === null) {
        row.readAt = this.clock.now().toISOString();
        await repo.update({ id }, { readAt: row.readAt });
        await this.audit.record(manager, actor, { action: 'notification.read', entity: 'notification', entityId: id, before: { readAt: null }, after: { readAt: row.readAt }, establishment: actor.establishment });
      }
      return toResponse(row, lang ?? 'fr');
    });
  }

  async markAllRead(actor: Actor): Promise<{ read: number }> {
    return this.unitOfWork.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const result = await manager.getRepository(NotificationEntity).update({ userId: actor.userId, readAt: IsNull() }, { readAt: now });
      const read = result.affected ?? 0;
      if (read > 0) await this.audit.record(manager, actor, { action: 'notification.read-all', entity: 'notification', entityId: actor.userId, before: null, after: { read, at: now }, establishment: actor.establishment });
      return { read };
    });
  }

  async idle(): Promise<void> {
    await this.afterCommit.idle();
  }
}

export function toResponse(row: NotificationEntity, lang: 'fr' | 'en'): NotificationResponse {
  const text = render(row.code, row.params, lang);
  return { id: row.id, code: row.code, subject: text.subject, body: text.body, link: row.link, params: row.params, createdAt: row.createdAt, readAt: row.readAt };
}
