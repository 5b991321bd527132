import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { addPeriods } from '../../common/domain/period';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { MedicinesService } from '../../medicines/medicines.service';
import { RecapsService } from '../../recaps/recaps.service';
import { ReconciliationService } from '../../reconciliation/reconciliation.service';
import { emptyForm, formFromError, formValues, formWithErrors, isFormRefusal } from '../forms';
import { Views } from '../views.service';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The lab's (and the agency's) view of a period: recaps received and missing, and the reconciliation. */
@Injectable()
export class PeriodPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly establishments: EstablishmentsService,
    private readonly recaps: RecapsService,
    private readonly reconciliation: ReconciliationService,
    private readonly clock: Clock,
  ) {}

  async recapsOfPeriod(req: Request, res: Response, actor: Actor, query: unknown): Promise<void> {
    const medicines = await this.rationed();
    const values = { medicine: medicines[0]?.code ?? '', period: addPeriods(this.clock.period(), -1), ...formValues(query) };
    if (!PERIOD.test(values.period)) {
      this.views.send(req, res, 'lab/recaps', { medicines, form: formWithErrors(values, [{ field: 'period', reason: 'must be a period YYYY-MM' }], null), result: null }, 400);
      return;
    }
    const received = await this.allRecaps(actor, values.medicine, values.period);
    // Expected as the daily job counts them, judged just after the period's recap deadline.
    const missingReport = await this.recaps.reportMissing(`${addPeriods(values.period, 1)}-28`);
    const missing = missingReport.medicines.find((m) => m.medicine === values.medicine) ?? { expected: 0, received: received.length, missing: [] as string[] };
    const names = new Map((await this.establishments.list(actor, { limit: 500 })).items.map((e) => [e.finess, e.name]));
    this.views.send(req, res, 'lab/recaps', { medicines, form: emptyForm(values), result: { received, missing, names: Object.fromEntries(names), deadline: missingReport.deadline } });
  }

  async reconciliationPage(req: Request, res: Response, actor: Actor, query: unknown, notice: string | null = null): Promise<void> {
    const medicines = await this.rationed();
    const values = { medicine: medicines[0]?.code ?? '', period: addPeriods(this.clock.period(), -1), ...formValues(query) };
    if (!PERIOD.test(values.period)) {
      this.views.send(req, res, 'lab/reconciliation', { medicines, form: formWithErrors(values, [{ field: 'period', reason: 'must be a period YYYY-MM' }], null), result: null, notice }, 400);
      return;
    }
    try {
      const result = await this.reconciliation.get(actor, values.medicine, values.period);
      const byKind: Record<string, number> = {};
      for (const d of result.discrepancies) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
      const names = Object.fromEntries((await this.establishments.list(actor, { limit: 500 })).items.map((e) => [e.finess, e.name]));
      this.views.send(req, res, 'lab/reconciliation', { medicines, form: emptyForm(values), result: { ...result, period: values.period }, byKind, notice, names });
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      this.views.send(req, res, 'lab/reconciliation', { medicines, form: formFromError(values, error), result: null, notice }, error.status);
    }
  }

  /** The agency runs the reconciliation again (same service call as `POST …/run`). */
  async runReconciliation(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    try {
      await this.reconciliation.run(actor, values.medicine ?? '', values.period ?? '');
      res.redirect(303, `/agence/rapprochement?${new URLSearchParams({ medicine: values.medicine ?? '', period: values.period ?? '' }).toString()}`);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      const medicines = await this.rationed();
      this.views.send(req, res, 'lab/reconciliation', { medicines, form: formFromError(values, error), result: null, notice: null }, error.status);
    }
  }

  private async allRecaps(actor: Actor, medicine: string, period: string) {
    const out = [];
    let cursor: string | undefined;
    do {
      const page = await this.recaps.list(actor, { medicine, period, limit: 500, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  private async rationed(): Promise<{ code: string; name: string }[]> {
    return (await this.medicines.list()).filter((m) => m.scheme === 'rationing');
  }
}
