import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { Brackets, EntityManager, In } from 'typeorm';
import { USER_DIRECTORY, type UserDirectory } from '../common/contracts/user-directory';
import { Clock } from '../common/clock/clock';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { MAX_DELIVERY_ATTEMPTS, digestKeyOf, messageIdOf, retryDelayMs } from './domain/notification-rules';
import { langOf, mailText, render } from './domain/notification-texts';
import { DeliveryAttemptEntity, DeliveryEntity } from './entities/delivery.entity';
import { NotificationEntity } from './entities/notification.entity';
import { Mailer } from './mailer';
import { NotificationOptions } from './notification-options';

const WORKER = `${hostname()}:${process.pid}`.slice(0, 60);

/** An SMTP refusal that a retry cannot mend (5xx). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; message?: string };
  return [e.responseCode, e.code, e.message].filter((part) => part !== undefined).join(' ').slice(0, 500) || 'unknown error';
}

/**
 * Sends the e-mail deliveries (issue 19). A delivery is claimed by a conditional update that sets
 * it `sending` with a wall-clock lease and records the attempt, committed before anything is
 * sent; once the server accepted the mail it is `sent`, so no later run sends it again. A worker
 * that dies mid-send leaves it `sending`: another takes it back once the lease lapsed (the lease
 * outlasts the SMTP timeouts, so a live send is never doubled).
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly options: NotificationOptions,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  /** Sends every delivery that is due; throws when one failed and will be retried, so the job is retried with backoff. */
  async deliverDue(): Promise<{ sent: number; retrying: number; failed: number }> {
    const outcome = { sent: 0, retrying: 0, failed: 0 };
    if (!this.mailer.enabled) return outcome;
    const due = await this.dueIds();
    for (const id of due) {
      const claimed = await this.claim(id);
      if (!claimed) continue;
      const result = await this.sendOne(claimed.delivery, claimed.attemptId);
      outcome[result]++;
    }
    if (outcome.retrying > 0) throw new Error(`${outcome.retrying} notification e-mail(s) failed and will be retried (${outcome.sent} sent)`);
    return outcome;
  }

  private async dueIds(): Promise<string[]> {
    const wall = new Date().toISOString();
    const rows = await this.unitOfWork.dataSource.getRepository(DeliveryEntity).createQueryBuilder('d')
      .select('d.id', 'id')
      .where(this.dueCondition(wall, 'd.'))
      .orderBy('d.created_at', 'ASC').addOrderBy('d.id', 'ASC')
      .limit(this.options.batch)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Due: pending; retrying and its next attempt's time has come; sending and its lease lapsed (its worker died). */
  private dueCondition(wall: string, p: string): Brackets {
    return new Brackets((qb) => {
      qb.where(`${p}state = 'pending'`)
        .orWhere(new Brackets((r) => r.where(`${p}state = 'retrying'`).andWhere(`(${p}next_attempt_at IS NULL OR ${p}next_attempt_at <= :wall)`, { wall })))
        .orWhere(new Brackets((s) => s.where(`${p}state = 'sending'`).andWhere(`${p}lease_until < :wall`, { wall })));
    });
  }

  /** Takes a due delivery for this worker and records the attempt, in one committed transaction. */
  private async claim(id: string): Promise<{ delivery: DeliveryEntity; attemptId: string } | null> {
    return this.unitOfWork.run(async (manager) => {
      const wall = new Date();
      const result = await manager.createQueryBuilder().update(DeliveryEntity)
        .set({ state: 'sending', attempts: () => 'attempts + 1', leaseUntil: new Date(wall.getTime() + this.options.leaseMs).toISOString(), updatedAt: this.clock.now().toISOString() })
        .where('id = :id', { id })
        .andWhere(this.dueCondition(wall.toISOString(), ''))
        .execute();
      if ((result.affected ?? 0) !== 1) return null;
      const delivery = await manager.getRepository(DeliveryEntity).findOneByOrFail({ id });
      const attemptId = newId();
      await manager.getRepository(DeliveryAttemptEntity).insert({ id: attemptId, deliveryId: id, attempt: delivery.attempts, worker: WORKER, startedAt: wall.toISOString(), finishedAt: null, outcome: null, error: null });
      return { delivery, attemptId };
    });
  }

  private async sendOne(delivery: DeliveryEntity, attemptId: string): Promise<'sent' | 'retrying' | 'failed'> {
    try {
      await this.mailer.send(await this.compose(delivery));
    } catch (error: unknown) {
      const final = isPermanent(error) || delivery.attempts >= MAX_DELIVERY_ATTEMPTS;
      const message = describe(error);
      this.logger.warn(`notification e-mail ${delivery.id} attempt ${delivery.attempts} failed${final ? '' : ' (will retry)'}: ${message}`);
      await this.finish(delivery.id, attemptId, final ? 'failed' : 'retry', message, final ? null : new Date(Date.now() + retryDelayMs(delivery.attempts, this.options.retryBaseMs)).toISOString());
      return final ? 'failed' : 'retrying';
    }
    await this.finish(delivery.id, attemptId, 'sent', null, null);
    return 'sent';
  }

  private async finish(id: string, attemptId: string, outcome: 'sent' | 'retry' | 'failed', error: string | null, nextAttemptAt: string | null): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const state = outcome === 'sent' ? 'sent' : outcome === 'retry' ? 'retrying' : 'failed';
      await manager.getRepository(DeliveryEntity).update({ id }, { state, leaseUntil: null, nextAttemptAt, lastError: error, updatedAt: now, ...(outcome === 'sent' ? { sentAt: now } : {}) });
      await manager.getRepository(DeliveryAttemptEntity).update({ id: attemptId }, { finishedAt: new Date().toISOString(), outcome, error });
    });
  }

  /** The mail of a delivery: one notification, or a day's digest, in the recipient's language. */
  private async compose(delivery: DeliveryEntity): Promise<{ to: string; subject: string; text: string; messageId: string; key: string }> {
    const ds = this.unitOfWork.dataSource;
    const user = await this.directory.byId(delivery.userId);
    const lang = langOf(user?.language);
    const ids = delivery.items ?? (delivery.notificationId ? [delivery.notificationId] : []);
    const rows = ids.length > 0 ? await ds.getRepository(NotificationEntity).find({ where: { id: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } }) : [];
    const base = this.mailer.publicUrl;
    const items = rows.map((row) => ({ ...render(row.code, row.params, lang), url: `${base}${row.link}` }));
    const mail = delivery.mode === 'digest' ? mailText(lang, items, delivery.key.slice('DIGEST:'.length, 'DIGEST:'.length + 10)) : mailText(lang, items);
    return { to: delivery.recipient, subject: mail.subject, text: mail.text, messageId: delivery.messageId, key: delivery.key };
  }

  /**
   * The daily digest (job `notifications.digest`): each user's held deliveries go out in one mail,
   * recorded as one delivery keyed by user and date (the same day again makes no second digest).
   */
  async digest(date: string): Promise<{ digests: number }> {
    if (!this.mailer.enabled) return { digests: 0 };
    const made = await this.unitOfWork.run(async (manager) => {
      const held = await manager.getRepository(DeliveryEntity).find({ where: { state: 'held' }, order: { createdAt: 'ASC', id: 'ASC' } });
      const byUser = new Map<string, DeliveryEntity[]>();
      for (const row of held) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
      let count = 0;
      for (const [userId, rows] of byUser) count += await this.digestOf(manager, userId, date, rows);
      return count;
    });
    if (made > 0) await this.deliverDue();
    return { digests: made };
  }

  private async digestOf(manager: EntityManager, userId: string, date: string, rows: DeliveryEntity[]): Promise<number> {
    const key = digestKeyOf(userId, date);
    if (await manager.getRepository(DeliveryEntity).existsBy({ key })) return 0;
    const now = this.clock.now().toISOString();
    const id = newId();
    const [first] = rows;
    if (!first) return 0;
    await manager.getRepository(DeliveryEntity).insert({
      id, key, notificationId: null, items: rows.map((r) => r.notificationId).filter((n): n is string => n !== null), userId, recipient: first.recipient, mode: 'digest', state: 'pending',
      attempts: 0, leaseUntil: null, nextAttemptAt: null, digestId: null, messageId: messageIdOf(key, this.mailer.domain), sentAt: null, lastError: null, createdAt: now, updatedAt: now,
    });
    await manager.getRepository(DeliveryEntity).update({ id: In(rows.map((r) => r.id)), state: 'held' }, { state: 'digested', digestId: id, updatedAt: now });
    return 1;
  }

  /** Every delivery with its attempts, newest first (an attempt without an end was interrupted: its worker died). */
  async list(query: PageQueryDto): Promise<Page<DeliveryView>> {
    const ds = this.unitOfWork.dataSource;
    const window = pageWindow(query);
    const page = toPage(await ds.getRepository(DeliveryEntity).find({ order: { createdAt: 'DESC', id: 'ASC' }, skip: window.skip, take: window.take }), window);
    const attempts = page.items.length > 0 ? await ds.getRepository(DeliveryAttemptEntity).find({ where: { deliveryId: In(page.items.map((d) => d.id)) }, order: { attempt: 'ASC' } }) : [];
    return {
      items: page.items.map((d) => ({
        id: d.id, key: d.key, mode: d.mode, state: d.state, sentAt: d.sentAt, lastError: d.lastError, createdAt: d.createdAt,
        attempts: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ attempt: a.attempt, worker: a.worker, startedAt: a.startedAt, finishedAt: a.finishedAt, outcome: a.outcome, error: a.error })),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** A delivery's history: the row and its attempts (an attempt without an end was interrupted). */
  async history(deliveryKey: string): Promise<{ delivery: DeliveryEntity | null; attempts: DeliveryAttemptEntity[] }> {
    const delivery = await this.unitOfWork.dataSource.getRepository(DeliveryEntity).findOneBy({ key: deliveryKey });
    const attempts = delivery ? await this.unitOfWork.dataSource.getRepository(DeliveryAttemptEntity).find({ where: { deliveryId: delivery.id }, order: { attempt: 'ASC' } }) : [];
    return { delivery, attempts };
  }
}

/** A delivery as the agency sees it (`GET /api/v1/notifications/deliveries`): its state and attempts, the address left out. */
export interface DeliveryView {
  id: string;
  key: string;
  mode: string;
  state: string;
  attempts: { attempt: number; worker: string; startedAt: string; finishedAt: string | null; outcome: string | null; error: string | null }[];
  sentAt: string | null;
  lastError: string | null;
  createdAt: string;
}
