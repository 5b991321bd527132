import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '../common/clock/clock';
import { ZONE, periodBounds } from '../common/domain/period';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MedicinesService } from '../medicines/medicines.service';
import { versionInForce } from '../medicines/domain/policy-rules';
import { PoliciesService } from '../medicines/policies.service';
import { CRON, DAILY_JOBS, periodToReconcile } from './domain/job-keys';
import { JobsService } from './jobs.service';

/**
 * The cron triggers of SPEC §7 (Europe/Paris): they only put jobs on the queues. Each job id is
 * the medicine and period (or the date), so several app instances firing the same trigger queue
 * one job. Off when JOBS_CRON=false (tests call the trigger methods with the clock they set).
 */
@Injectable()
export class JobsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobsScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.cron) return;
    this.add('jobs.period-start', CRON.periodStart, () => this.periodStart());
    this.add('jobs.reconciliation', CRON.reconciliation, () => this.monthlyReconciliation());
    this.add('jobs.daily', CRON.daily, () => this.daily());
  }

  /**
   * 1st, 00:05: one job for the period, `allocation.start-period:period:PERIOD`, computes in one set-based pass the
   * allocation of every medicine whose policy in force is not unrestricted; queued when there is at least one.
   */
  async periodStart(): Promise<string[]> {
    const today = this.clock.today();
    const codes = (await this.medicines.list()).map((m) => m.code);
    const versions = await this.policies.versionsOf(codes);
    const restricted = codes.some((code) => {
      const policy = versionInForce(versions.get(code) ?? [], today);
      return policy !== null && policy.mode !== 'unrestricted';
    });
    return restricted ? this.queue('allocation.start-period', { period: this.clock.period() }) : [];
  }

  /** 11th, 02:00: the previous period of every medicine that had a policy then is reconciled. */
  async monthlyReconciliation(): Promise<string[]> {
    const period = periodToReconcile(this.clock.today());
    const { last } = periodBounds(period);
    const ids: string[] = [];
    for (const medicine of await this.medicines.list()) {
      if (!(await this.policies.inForce(medicine.code, last))) continue;
      ids.push(...(await this.queue('reconciliation.run', { medicine: medicine.code, period })));
    }
    return ids;
  }

  /** 08:00 every day: overdue committee reviews, missing recaps, expired grants, overdue follow-up forms. */
  async daily(): Promise<string[]> {
    const date = this.clock.today();
    const ids: string[] = [];
    for (const name of DAILY_JOBS) ids.push(...(await this.queue(name, { date })));
    return ids;
  }

  /** Queues a job whose handler some module registered; a job nobody registered is left out (its module is not installed). */
  private async queue(name: string, target: { medicine?: string; period?: string; date?: string }): Promise<string[]> {
    if (!this.jobs.isRegistered(name)) {
      this.logger.debug(`no handler for ${name}: not queued`);
      return [];
    }
    return [(await this.jobs.enqueue(name, target, 'cron')).id];
  }

  private add(name: string, cronTime: string, tick: () => Promise<string[]>): void {
    const job = CronJob.from({
      cronTime,
      timeZone: ZONE,
      start: true,
      waitForCompletion: true,
      onTick: async () => {
        try {
          const ids = await tick();
          this.logger.log(`${name}: queued ${ids.length} job(s)`);
        } catch (error: unknown) {
          this.logger.error(`${name} could not queue its jobs: ${(error as Error).message}`);
        }
      },
    });
    this.schedulerRegistry.addCronJob(name, job);
  }
}
