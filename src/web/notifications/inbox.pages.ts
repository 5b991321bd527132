import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { DomainError } from '../../common/domain/domain-error';
import { NotificationsService } from '../../notifications/notifications.service';
import { Views } from '../views.service';

/** The inbox page (issue 19): the caller's notifications in the page's language, mark as read; the badge of every page. */
@Injectable()
export class InboxPages {
  constructor(
    private readonly views: Views,
    private readonly notifications: NotificationsService,
  ) {}

  async inbox(req: Request, res: Response, actor: Actor, status = 200): Promise<void> {
    const lang = this.views.translator(req, res).lang;
    const page = await this.notifications.inbox(actor, { limit: 200 }, lang);
    const unread = await this.notifications.unreadCount(actor);
    this.views.send(req, res, 'notifications/inbox', { items: page.items, unread }, status);
  }

  /** The unread count in the header (htmx fragment). */
  async badge(req: Request, res: Response, actor: Actor): Promise<void> {
    const unread = await this.notifications.unreadCount(actor);
    res.setHeader('Cache-Control', 'no-store');
    this.views.send(req, res, 'notifications/badge', { unread });
  }

  async read(req: Request, res: Response, actor: Actor, id: string): Promise<void> {
    try {
      await this.notifications.markRead(actor, id);
    } catch (error: unknown) {
      if (error instanceof DomainError && error.code === 'NOTIFICATION_NOT_FOUND') return this.inbox(req, res, actor, 404);
      throw error;
    }
    res.redirect(303, '/notifications');
  }

  async readAll(req: Request, res: Response, actor: Actor): Promise<void> {
    await this.notifications.markAllRead(actor);
    res.redirect(303, '/notifications');
  }
}
