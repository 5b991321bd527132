import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/domain/domain-error';
import { MedicinesService } from '../../medicines/medicines.service';
import { CreateOrderDto, OrderResponse } from '../../orders/dto/order.dto';
import { OrdersService } from '../../orders/orders.service';
import { TreatmentsService } from '../../treatments/treatments.service';
import { FormState, emptyForm, formFromError, formList, formValues, formWithErrors, isFormRefusal, optionalNumber, validateAs } from '../forms';
import { Views } from '../views.service';

interface OrderForm {
  form: FormState;
  lines: string[];
}

/** The pharmacy's order form: each line's vials, the need and the flags shown before sending (SPEC §5 Order, §6). */
@Injectable()
export class OrdersPages {
  constructor(
    private readonly views: Views,
    private readonly orders: OrdersService,
    private readonly treatments: TreatmentsService,
    private readonly medicines: MedicinesService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async page(req: Request, res: Response, actor: Actor, order?: OrderForm, status = 200, sent: OrderResponse | null = null): Promise<void> {
    const medicines = (await this.medicines.list()).filter((m) => m.scheme === 'rationing');
    const medicine = order?.form.values.medicine ?? medicines[0]?.code ?? '';
    const active = await this.treatments.list(actor, { medicine, status: 'active', limit: 500 });
    const state: OrderForm = order ?? { form: emptyForm({ medicine, period: this.clock.period(), quantity: '' }), lines: active.items.filter((t) => t.establishment === actor.establishment).map((t) => t.patient) };
    const history = await this.orders.list(actor, { limit: 50 });
    const preview = await this.previewOf(actor, state);
    this.views.send(req, res, 'pharmacy/orders', { medicines, form: state.form, lines: state.lines.length > 0 ? state.lines : [''], preview, history: history.items, sent }, status);
  }

  /** htmx: the preview of what the form holds now; nothing is written. */
  async preview(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const state = this.read(body);
    this.views.send(req, res, 'pharmacy/order-preview', { preview: await this.previewOf(actor, state) });
  }

  async send(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const state = this.read(body);
    const checked = await validateAs(CreateOrderDto, this.dtoOf(state));
    if (!checked.ok) return this.page(req, res, actor, { ...state, form: formWithErrors(state.form.values, checked.errors, null) }, 400);
    try {
      const sent = await this.orders.create(actor, checked.value);
      return this.page(req, res, actor, undefined, 201, sent);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, actor, { ...state, form: formFromError(state.form.values, error) }, error.status);
    }
  }

  private read(body: unknown): OrderForm {
    const values = formValues(body);
    delete values.line;
    return { form: emptyForm(values), lines: formList(body, 'line').map((l) => l.trim()) };
  }

  private dtoOf(state: OrderForm): object {
    const v = state.form.values;
    const quantity = optionalNumber(v.quantity);
    return { medicine: v.medicine ?? '', period: v.period ?? '', quantity: quantity ?? Number.NaN, lines: state.lines.filter((l) => l !== '').map((patient) => ({ patient })) };
  }

  /** The same assessment the order gets when sent (OrdersService.assess writes nothing), or why there is none yet. */
  private async previewOf(actor: Actor, state: OrderForm): Promise<object | null> {
    const dto = this.dtoOf(state) as { medicine: string; period: string; quantity: number; lines: { patient: string }[] };
    if (!actor.establishment || dto.lines.length === 0) return null;
    const quantity = Number.isInteger(dto.quantity) && dto.quantity > 0 ? dto.quantity : 1;
    try {
      const { policy, assessment } = await this.orders.assess(this.dataSource.manager, { establishment: actor.establishment, medicine: dto.medicine, period: dto.period, quantity, lines: dto.lines });
      return { ok: true, policyVersion: policy.version, quantityKnown: quantity === dto.quantity, assessment };
    } catch (error: unknown) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      return { ok: false, message: error.message, code: error.code, params: error.params, errors: error.errors };
    }
  }
}
