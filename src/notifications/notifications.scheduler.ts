import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '../common/clock/clock';
import { ZONE } from '../common/domain/period';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';

export const REMINDERS_JOB = 'notifications.reminders';
export const DIGEST_JOB = 'notifications.digest';

/** Cron triggers of the notifications (Europe/Paris): reminders every hour, the digest at 07:00. Off when JOBS_CRON=false. */
@Injectable()
export class NotificationsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.cron) return;
    this.add('notifications.hourly', '0 0 * * * *', () => this.hourly());
    this.add('notifications.daily', '0 0 7 * * *', () => this.daily());
  }

  /** One reminders job per hour (its id names the date and the hour). */
  async hourly(): Promise<string> {
    const hour = String(new Date(this.clock.now()).getUTCHours()).padStart(2, '0');
    return (await this.jobs.enqueue(REMINDERS_JOB, { date: this.clock.today() }, 'cron', `h${hour}`)).id;
  }

  async daily(): Promise<string> {
    return (await this.jobs.enqueue(DIGEST_JOB, { date: this.clock.today() }, 'cron')).id;
  }

  private add(name: string, cronTime: string, tick: () => Promise<string>): void {
    const job = CronJob.from({
      cronTime,
      timeZone: ZONE,
      start: true,
      waitForCompletion: true,
      onTick: async () => {
        try {
          this.logger.log(`${name}: queued ${await tick()}`);
        } catch (error: unknown) {
          this.logger.error(`${name} could not queue its job: ${(error as Error).message}`);
        }
      },
    });
    this.schedulerRegistry.addCronJob(name, job);
  }
}
