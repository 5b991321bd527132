import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { MedicinesService } from '../../medicines/medicines.service';
import { OrderResponse, ReduceOrderDto, RefuseOrderDto } from '../../orders/dto/order.dto';
import { OrdersService } from '../../orders/orders.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, optionalNumber, validateAs } from '../forms';
import type { MessageKey } from '../i18n/messages';
import { Views } from '../views.service';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The lab's orders of a period by establishment, with need, flags and status; confirm, reduce, refuse. */
@Injectable()
export class LabOrdersPages {
  constructor(
    private readonly views: Views,
    private readonly orders: OrdersService,
    private readonly medicines: MedicinesService,
    private readonly establishments: EstablishmentsService,
    private readonly clock: Clock,
  ) {}

  async page(req: Request, res: Response, actor: Actor, query: unknown, row: { id: string; form: FormState } | null = null, status = 200, notice: string | null = null): Promise<void> {
    const medicines = (await this.medicines.list()).filter((m) => m.scheme === 'rationing');
    const values = { medicine: medicines[0]?.code ?? '', period: this.clock.period(), establishment: '', ...pick(formValues(query), ['medicine', 'period', 'establishment']) };
    const names = Object.fromEntries((await this.establishments.list(actor, { limit: 500 })).items.map((e) => [e.finess, e.name]));
    const query_ = `?${new URLSearchParams(values).toString()}`;
    if (!PERIOD.test(values.period)) {
      this.views.send(req, res, 'lab/orders', { medicines, form: formWithErrors(values, [{ field: 'period', reason: 'must be a period YYYY-MM' }], null), orders: [], names, row, query: query_, notice }, 400);
      return;
    }
    const orders: OrderResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.orders.list(actor, { medicine: values.medicine, period: values.period, limit: 500, cursor });
      orders.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    orders.sort((a, b) => a.establishment.localeCompare(b.establishment) || a.submittedAt.localeCompare(b.submittedAt));
    // The establishments that ordered this period, to filter by one of them.
    const ordering = [...new Set(orders.map((o) => o.establishment))].map((finess) => ({ value: finess, label: `${names[finess] ?? finess} (${finess})` }));
    const listed = values.establishment ? orders.filter((o) => o.establishment === values.establishment) : orders;
    // Each order with its justification lines (a list leaves them out), so the lab can open them.
    const shown = await Promise.all(listed.map((o) => this.orders.get(actor, o.id)));
    this.views.send(req, res, 'lab/orders', { medicines, form: emptyForm(values), orders: shown, ordering, names, row, query: query_, notice }, status);
  }

  async confirm(req: Request, res: Response, actor: Actor, id: string): Promise<void> {
    return this.decide(req, res, actor, id, {}, () => this.orders.confirm(actor, id));
  }

  async reduce(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values: Record<string, string> = { ...formValues(body), action: 'reduce' };
    const checked = await validateAs(ReduceOrderDto, { quantity: optionalNumber(values.quantity) ?? Number.NaN, reason: values.reason ?? '' });
    if (!checked.ok) return this.page(req, res, actor, req.query, { id, form: formWithErrors(values, checked.errors, null) }, 400);
    return this.decide(req, res, actor, id, values, () => this.orders.reduce(actor, id, checked.value.quantity, checked.value.reason));
  }

  async refuse(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values: Record<string, string> = { ...formValues(body), action: 'refuse' };
    const checked = await validateAs(RefuseOrderDto, { reason: values.reason ?? '' });
    if (!checked.ok) return this.page(req, res, actor, req.query, { id, form: formWithErrors(values, checked.errors, null) }, 400);
    return this.decide(req, res, actor, id, values, () => this.orders.refuse(actor, id, checked.value.reason));
  }

  /** Done: back to the period's list. Refused (already decided, reason missing…): its reason on the order's row. */
  private async decide(req: Request, res: Response, actor: Actor, id: string, values: Record<string, string>, act: () => Promise<OrderResponse>): Promise<void> {
    try {
      const decided = await act();
      const tr = this.views.translator(req, res);
      return this.page(req, res, actor, req.query, null, 200, tr.t('orders.decided', { id: decided.id.slice(0, 8), status: tr.t(`ostatus.${decided.status}` as MessageKey) }));
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, actor, req.query, { id, form: formFromError(values, error) }, error.status);
    }
  }
}

function pick(values: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => keys.includes(k)));
}
