import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { JobRegistry } from '../../common/contracts/job-registry';
import { RunJobDto } from '../../jobs/dto/run-job.dto';
import { DASHBOARD_PATH } from '../../jobs/jobs.module';
import { JobsService } from '../../jobs/jobs.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, optionalText, validateAs } from '../forms';
import { Views } from '../views.service';

/** The jobs' history, a form to run one now, and the link to the queue dashboard (SPEC §7). */
@Injectable()
export class JobsPages {
  constructor(
    private readonly views: Views,
    private readonly jobs: JobsService,
    private readonly registry: JobRegistry,
  ) {}

  async page(req: Request, res: Response, form?: FormState, status = 200, notice: string | null = null): Promise<void> {
    const history = await this.jobs.list({ limit: 50 });
    const names = this.registry.names();
    this.views.send(req, res, 'agency/jobs', { jobs: history.items, names, dashboard: DASHBOARD_PATH, form: form ?? emptyForm({ name: names[0] ?? '' }), notice }, status);
  }

  async run(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    const target = Object.fromEntries(Object.entries({ medicine: optionalText(values.medicine), period: optionalText(values.period), date: optionalText(values.date) }).filter(([, v]) => v !== undefined));
    const checked = await validateAs(RunJobDto, target);
    if (!checked.ok) return this.page(req, res, formWithErrors(values, checked.errors, null), 400);
    try {
      const job = await this.jobs.requestRun(actor, values.name ?? '', checked.value);
      const notice = this.views.translator(req, res).t('jobs.queued', { name: job.name, state: job.state });
      return this.page(req, res, emptyForm(values), 202, notice);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, formFromError(values, error), error.status);
    }
  }
}
