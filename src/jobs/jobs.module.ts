import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { QUEUE_HEALTH } from '../common/contracts/queue-health';
import { MedicinesModule } from '../medicines/medicines.module';
import { BullMqBackend } from './backends/bullmq.backend';
import { InProcessBackend } from './backends/in-process.backend';
import { JOB_BACKEND, JobBackend } from './backends/job-backend';
import { JobRunEntity } from './entities/job-run.entity';
import { JobHistory } from './job-history.service';
import { JobOptions } from './job-options';
import { JobRunner } from './job-runner.service';
import { JobsController } from './jobs.controller';
import { JobsScheduler } from './jobs.scheduler';
import { JobsService } from './jobs.service';
import { QueueDashboard } from './queue-dashboard';

/** Where the queue dashboard is served (pages link to it). */
export { DASHBOARD_PATH } from './queue-dashboard';

/** Queue keys are per database: instances sharing a database share the queues; test databases do not meet. */
export function queuePrefixOf(config: AppConfig): string {
  const identity = config.database.type === 'sqlite' ? `sqlite:${config.database.path}` : config.database.url;
  return `contingent:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}

/** Scheduled jobs (SPEC §7): cron triggers, BullMQ queues or in-process runs, the history, the dashboard. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot(), TypeOrmModule.forFeature([JobRunEntity]), MedicinesModule],
  controllers: [JobsController],
  providers: [
    JobOptions,
    JobHistory,
    JobRunner,
    {
      provide: JOB_BACKEND,
      inject: [APP_CONFIG, JobRunner, JobHistory, JobOptions],
      useFactory: (config: AppConfig, runner: JobRunner, history: JobHistory, options: JobOptions): JobBackend =>
        config.redisUrl ? new BullMqBackend(config.redisUrl, queuePrefixOf(config), runner, options, history) : new InProcessBackend(runner, history, options),
    },
    JobsService,
    JobsScheduler,
    QueueDashboard,
    { provide: QUEUE_HEALTH, useExisting: JobsService },
  ],
  exports: [JobsService, JobOptions, JOB_BACKEND, QUEUE_HEALTH],
})
export class JobsModule {}
