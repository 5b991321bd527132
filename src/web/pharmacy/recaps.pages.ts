import { maskIdentifiers } from '../../common/problem-details/mask-identifiers';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/domain/domain-error';
import { addPeriods } from '../../common/domain/period';
import { MedicinesService } from '../../medicines/medicines.service';
import { RecapsService } from '../../recaps/recaps.service';
import { ReconciliationService } from '../../reconciliation/reconciliation.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal } from '../forms';
import { Views } from '../views.service';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The establishment's recaps (CSV upload) and its reconciliation discrepancies. */
@Injectable()
export class EstablishmentRecapsPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly recaps: RecapsService,
    private readonly reconciliation: ReconciliationService,
    private readonly clock: Clock,
  ) {}

  async recapsPage(req: Request, res: Response, actor: Actor, form?: FormState, outcome: object | null = null, status = 200): Promise<void> {
    const medicines = await this.rationed();
    const sent = await this.recaps.list(actor, { limit: 50 });
    const state = form ?? emptyForm({ medicine: medicines[0]?.code ?? '', period: addPeriods(this.clock.period(), -1) });
    this.views.send(req, res, 'pharmacy/recaps', { medicines, sent: sent.items, form: state, outcome }, status);
  }

  /** The multipart body goes to the recaps service as it arrives (streamed, never held whole here). */
  async upload(req: Request, res: Response, actor: Actor): Promise<void> {
    const values = { medicine: typeof req.query.medicine === 'string' ? req.query.medicine : '', period: typeof req.query.period === 'string' ? req.query.period : '' };
    let outcome: object;
    let status = 201;
    let form: FormState;
    try {
      const submitted = await this.recaps.submitUpload(actor, req, {});
      outcome = { ok: true, submitted };
      form = emptyForm({ medicine: submitted.medicine, period: submitted.period });
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      outcome = { ok: false, error: refusalOf(error) };
      form = formFromError(values, error);
      status = error.status;
    }
    if (req.headers['hx-request']) {
      this.views.send(req, res, 'pharmacy/recap-outcome', { outcome }, status);
      return;
    }
    return this.recapsPage(req, res, actor, form, outcome, status);
  }

  async discrepancies(req: Request, res: Response, actor: Actor, query: unknown): Promise<void> {
    const medicines = await this.rationed();
    const values = { medicine: medicines[0]?.code ?? '', period: addPeriods(this.clock.period(), -1), ...formValues(query) };
    if (!PERIOD.test(values.period)) {
      this.views.send(req, res, 'pharmacy/discrepancies', { medicines, form: formWithErrors(values, [{ field: 'period', reason: 'must be a period YYYY-MM' }], null), result: null }, 400);
      return;
    }
    try {
      const result = await this.reconciliation.get(actor, values.medicine, values.period);
      this.views.send(req, res, 'pharmacy/discrepancies', { medicines, form: emptyForm(values), result });
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      this.views.send(req, res, 'pharmacy/discrepancies', { medicines, form: formFromError(values, error), result: null }, error.status);
    }
  }

  private async rationed(): Promise<{ code: string; name: string }[]> {
    return (await this.medicines.list()).filter((m) => m.scheme === 'rationing');
  }
}

/** A recap refusal: its sentence and every bad line (`{ line, field, reason }`, SPEC §11). */
export function refusalOf(error: DomainError): { message: string; code: string; params: object; count: number; lines: { line: number | null; field: string; reason: string }[] } {
  const count = typeof error.extra.errorCount === 'number' ? error.extra.errorCount : error.errors.length;
  // Masked like any problem (#12.4): a NIR typed in another column is not shown back.
  return maskIdentifiers({ message: error.message, code: error.code, params: error.params, count, lines: error.errors.map((e) => ({ line: e.line ?? null, field: e.field, reason: e.reason })) });
}
