import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { AccessReportsService } from '../../compassionate-access/access-reports.service';
import { ReportQueryDto } from '../../compassionate-access/dto/access-request.dto';
import { MedicinesService } from '../../medicines/medicines.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, validateAs } from '../forms';
import { Views } from '../views.service';
import { accessReportSections, type ReportSection } from './access-report.view';

/**
 * The periodic report of a compassionate-access scheme as a printable page (SPEC §9: "a printable page of the
 * app laid out like the seed report"), for the agency and the medicine's supplier.
 */
@Injectable()
export class AccessReportPages {
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
      const tr = this.views.translator(req, res);
      const sections = accessReportSections(report, tr.t, tr.lang);
      return this.send(req, res, medicines, emptyForm(values), { medicineName: report.medicineName, period: report.period, sections });
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.send(req, res, medicines, formFromError(values, error), null, error.status);
    }
  }

  private send(
    req: Request,
    res: Response,
    medicines: { code: string; name: string }[],
    form: FormState,
    report: { medicineName: string; period: { from: string; to: string; cutoff: string }; sections: ReportSection[] } | null,
    status = 200,
  ): void {
    this.views.send(req, res, 'agency/access-report', { medicines, form, report }, status);
  }
}
