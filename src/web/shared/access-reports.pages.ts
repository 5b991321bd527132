import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessReportsService } from '../../compassionate-access/access-reports.service';
import { reportToCsv } from '../../compassionate-access/domain/periodic-report';
import { ReportQueryDto } from '../../compassionate-access/dto/access-request.dto';
import type { Actor } from '../../common/domain/roles';
import { validationFailed } from '../../common/problem-details/validation';
import { MedicinesService } from '../../medicines/medicines.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, validateAs } from '../forms';
import { Views } from '../views.service';

/** The compassionate-access periodic reports (SPEC §9), for the agency and the medicine's supplier. */
@Injectable()
export class AccessReportsPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly reports: AccessReportsService,
  ) {}

  async page(req: Request, res: Response, actor: Actor, query: unknown): Promise<void> {
    const medicines = (await this.medicines.list()).filter((m) => m.scheme === 'compassionate');
    const values = formValues(query);
    if (!values.medicine) {
      return this.send(req, res, medicines, emptyForm({ medicine: medicines[0]?.code ?? '', from: '', to: '', cutoff: '' }), null);
    }
    const checked = await validateAs(ReportQueryDto, { from: values.from ?? '', to: values.to ?? '', cutoff: values.cutoff ?? '' });
    if (!checked.ok) return this.send(req, res, medicines, formWithErrors(values, checked.errors, null), null, 400);
    try {
      const report = await this.reports.build(actor, values.medicine, checked.value);
      const query = new URLSearchParams({ from: checked.value.from, to: checked.value.to, cutoff: checked.value.cutoff }).toString();
      return this.send(req, res, medicines, emptyForm(values), { report, query });
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.send(req, res, medicines, formFromError(values, error), null, error.status);
    }
  }

  async csv(res: Response, actor: Actor, code: string, query: unknown): Promise<void> {
    const values = formValues(query);
    const checked = await validateAs(ReportQueryDto, { from: values.from ?? '', to: values.to ?? '', cutoff: values.cutoff ?? '' });
    if (!checked.ok) throw validationFailed(checked.errors);
    const report = await this.reports.build(actor, code, checked.value);
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="rapport-${code}-${checked.value.from}-${checked.value.to}.csv"`);
    res.send(reportToCsv(report));
  }

  private send(req: Request, res: Response, medicines: { code: string; name: string }[], form: FormState, result: unknown, status = 200): void {
    this.views.send(req, res, 'shared/access-reports', { medicines, form, result }, status);
  }
}
