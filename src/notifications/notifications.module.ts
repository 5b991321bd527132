import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRegistry } from '../common/contracts/job-registry';
import { NOTIFICATION_CHOICES, NOTIFIER } from '../common/contracts/notifier';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { USER_DIRECTORY, type UserDirectory } from '../common/contracts/user-directory';
import { CompassionateAccessModule } from '../compassionate-access/compassionate-access.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { AfterCommit } from './after-commit';
import { DeliveriesService } from './deliveries.service';
import { DeliveryAttemptEntity, DeliveryEntity, PreferenceEntity } from './entities/delivery.entity';
import { NotificationEntity } from './entities/notification.entity';
import { Mailer } from './mailer';
import { NotificationOptions } from './notification-options';
import { NotificationsController } from './notifications.controller';
import { DIGEST_JOB, NotificationsScheduler, REMINDERS_JOB } from './notifications.scheduler';
import { DELIVER_JOB, NotificationsService } from './notifications.service';
import { RemindersService } from './reminders.service';

/** Demo users get `<username>@contingent.test` (issue 19). */
export const DEMO_MAIL_DOMAIN = 'contingent.test';

/**
 * Notifications (issue 19): an inbox per user and e-mail through SMTP, recorded in the business
 * transaction (NOTIFIER), sent after commit by jobs, once per event and recipient. Global, so the
 * modules that emit events inject NOTIFIER without importing this one.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity, DeliveryEntity, DeliveryAttemptEntity, PreferenceEntity]), MedicinesModule, CompassionateAccessModule],
  controllers: [NotificationsController],
  providers: [
    AfterCommit, Mailer, NotificationOptions, NotificationsService, DeliveriesService, RemindersService, NotificationsScheduler,
    { provide: NOTIFIER, useExisting: NotificationsService },
    { provide: NOTIFICATION_CHOICES, useExisting: NotificationsService },
  ],
  exports: [NOTIFIER, NOTIFICATION_CHOICES, NotificationsService],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly seeds: DemoSeedRegistry,
    private readonly deliveries: DeliveriesService,
    private readonly reminders: RemindersService,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  onModuleInit(): void {
    this.jobs.register(DELIVER_JOB, () => this.deliveries.deliverDue());
    this.jobs.register(REMINDERS_JOB, async () => ({ ...(await this.reminders.remind()), ...(await this.deliveries.deliverDue()) }));
    this.jobs.register(DIGEST_JOB, (payload) => this.deliveries.digest(payload.date ?? new Date().toISOString().slice(0, 10)));
    this.seeds.register('notification-emails', 90, (manager) => this.directory.giveDefaultEmails(manager, DEMO_MAIL_DOMAIN));
  }
}
