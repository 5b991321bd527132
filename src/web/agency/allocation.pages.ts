import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AllocationsService } from '../../allocation/allocations.service';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/domain/domain-error';
import { addPeriods, periodRange } from '../../common/domain/period';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { MedicinesService } from '../../medicines/medicines.service';
import { AllocationPoint, capacitySvg, cumulativeFairness, fairnessSvg } from '../charts/charts';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal } from '../forms';
import { Views } from '../views.service';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const MAX_PERIODS = 36;

/** The allocation of a period per centre, and the fairness and capacity charts (SPEC §4, §13). */
@Injectable()
export class AllocationPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly allocations: AllocationsService,
    private readonly establishments: EstablishmentsService,
    private readonly clock: Clock,
  ) {}

  async allocationPage(req: Request, res: Response, actor: Actor, query: unknown, form?: FormState, status = 200): Promise<void> {
    const medicines = await this.rationed();
    const values = { medicine: medicines[0]?.code ?? '', period: this.clock.period(), ...formValues(query) };
    const names = await this.names(actor);
    if (form) {
      this.views.send(req, res, 'agency/allocation', { medicines, form, result: null, names }, status);
      return;
    }
    try {
      const result = await this.allocations.get(actor, values.medicine, values.period);
      this.views.send(req, res, 'agency/allocation', { medicines, form: emptyForm(values), result, names });
    } catch (error: unknown) {
      // A period not computed yet is shown with its compute button, not as a missing page.
      if (error instanceof DomainError && error.code === 'ALLOCATION_NOT_FOUND') {
        this.views.send(req, res, 'agency/allocation', { medicines, form: emptyForm(values), result: null, names, notComputed: true });
        return;
      }
      if (!isFormRefusal(error)) throw error;
      this.views.send(req, res, 'agency/allocation', { medicines, form: formFromError(values, error), result: null, names }, error.status === 404 ? 200 : error.status);
    }
  }

  async compute(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    try {
      await this.allocations.compute(actor, values.medicine ?? '', values.period ?? '');
      res.redirect(303, `/agence/allocations?${new URLSearchParams({ medicine: values.medicine ?? '', period: values.period ?? '' }).toString()}`);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.allocationPage(req, res, actor, values, formFromError(values, error), error.status);
    }
  }

  async charts(req: Request, res: Response, actor: Actor, query: unknown): Promise<void> {
    const medicines = await this.rationed();
    const current = this.clock.period();
    // The default range is the last twelve months, always within the 36-month limit.
    const values = { medicine: medicines[0]?.code ?? '', from: addPeriods(current, -11), to: current, ...formValues(query) };
    const problems = [
      ...(PERIOD.test(values.from) ? [] : [{ field: 'from', reason: 'must be a period YYYY-MM' }]),
      ...(PERIOD.test(values.to) ? [] : [{ field: 'to', reason: 'must be a period YYYY-MM' }]),
    ];
    if (problems.length === 0 && values.from > values.to) problems.push({ field: 'to', reason: `must not be before ${values.from}` });
    if (problems.length === 0 && periodRange(values.from, values.to).length > MAX_PERIODS) problems.push({ field: 'from', reason: `the range must be at most ${MAX_PERIODS} months` });
    if (problems.length > 0) {
      this.views.send(req, res, 'agency/charts', { medicines, form: formWithErrors(values, problems, null), result: null }, 400);
      return;
    }
    const points: AllocationPoint[] = [];
    for (const period of periodRange(values.from, values.to)) {
      try {
        const a = await this.allocations.get(actor, values.medicine, period);
        points.push({ period, nationalCapacity: a.nationalCapacity, urgentGranted: a.urgentGranted, quotaGranted: a.quotaGranted, centres: a.centres.map((c) => ({ finess: c.finess, entitlement: c.entitlement, slots: c.slots })) });
      } catch (error: unknown) {
        if (error instanceof DomainError && error.code === 'ALLOCATION_NOT_FOUND') continue;
        if (!isFormRefusal(error)) throw error;
        this.views.send(req, res, 'agency/charts', { medicines, form: formFromError(values, error), result: null }, error.status);
        return;
      }
    }
    const tr = this.views.translator(req, res);
    const format = (n: number): string => tr.d(n);
    const fairness = cumulativeFairness(points);
    const result =
      points.length === 0
        ? { empty: true }
        : {
            empty: false,
            periods: points.map((p) => p.period),
            points,
            names: await this.names(actor),
            fairness,
            fairnessSvg: fairnessSvg(fairness, await this.names(actor), { title: tr.t('charts.fairness'), first: tr.t('charts.entitlement'), second: tr.t('charts.slots'), extra: tr.t('charts.deviation'), format }),
            capacitySvg: capacitySvg(points, { title: tr.t('charts.capacity'), first: tr.t('charts.urgent'), second: tr.t('charts.quota'), capacity: tr.t('charts.capacityLabel'), unlimited: tr.t('charts.unlimited'), format }),
          };
    this.views.send(req, res, 'agency/charts', { medicines, form: emptyForm(values), result });
  }

  private async names(actor: Actor): Promise<Record<string, string>> {
    return Object.fromEntries((await this.establishments.list(actor, { limit: 500 })).items.map((e) => [e.finess, e.name]));
  }

  private async rationed(): Promise<{ code: string; name: string }[]> {
    return (await this.medicines.list()).filter((m) => m.scheme === 'rationing');
  }
}
