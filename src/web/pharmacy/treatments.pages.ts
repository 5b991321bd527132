import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InitiationRequestsService } from '../../allocation/initiation-requests.service';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { MedicinesService } from '../../medicines/medicines.service';
import { PoliciesService } from '../../medicines/policies.service';
import { StartTreatmentDto, StopTreatmentDto, TransferTreatmentDto } from '../../treatments/dto/treatment.dto';
import { STOP_REASONS } from '../../treatments/domain/treatment-state';
import { TreatmentsService } from '../../treatments/treatments.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, optionalNumber, optionalText, validateAs } from '../forms';
import { Views } from '../views.service';

/** Declarations of the establishment (SPEC §5): initiation, stop, transfer. */
@Injectable()
export class TreatmentsPages {
  constructor(
    private readonly views: Views,
    private readonly treatments: TreatmentsService,
    private readonly requests: InitiationRequestsService,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly establishments: EstablishmentsService,
    private readonly clock: Clock,
  ) {}

  async page(req: Request, res: Response, actor: Actor, state: { start?: FormState; row?: { id: string; form: FormState }; notice?: string } = {}, status = 200): Promise<void> {
    const [treatments, granted, medicines, establishments] = await Promise.all([
      this.treatments.list(actor, { limit: 500 }),
      this.requests.list(actor, { status: 'granted', limit: 200 }),
      this.medicines.list(),
      this.establishments.list(actor, { limit: 500 }),
    ]);
    const rationed = medicines.filter((m) => m.scheme === 'rationing');
    const indications: { value: string; label: string }[] = [];
    for (const m of rationed) {
      const policy = await this.policies.inForce(m.code, this.clock.today());
      for (const i of policy?.indications ?? []) indications.push({ value: i.code, label: `${m.indications.find((x) => x.code === i.code)?.name ?? i.code} (${i.kind})` });
    }
    const others = await this.otherEstablishments(actor, establishments.items);
    this.views.send(
      req,
      res,
      'pharmacy/treatments',
      {
        treatments: treatments.items,
        granted: granted.items,
        medicines: rationed,
        indications,
        establishments: others,
        stopReasons: STOP_REASONS,
        start: state.start ?? emptyForm({ medicine: rationed[0]?.code ?? '', startDate: this.clock.today() }),
        row: state.row ?? null,
        notice: state.notice ?? null,
        today: this.clock.today(),
      },
      status,
    );
  }

  async start(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    const request = optionalText(values.request);
    const dto = request
      ? { request, startDate: values.startDate ?? '', weightKg: optionalNumber(values.weightKg) ?? Number.NaN }
      : { medicine: values.medicine ?? '', indication: values.indication ?? '', patient: (values.patient ?? '').trim(), startDate: values.startDate ?? '', weightKg: optionalNumber(values.weightKg) ?? Number.NaN };
    const checked = await validateAs(StartTreatmentDto, dto);
    if (!checked.ok) return this.page(req, res, actor, { start: formWithErrors(values, checked.errors, null) }, 400);
    try {
      const started = await this.treatments.start(actor, checked.value);
      const tr = this.views.translator(req, res);
      return this.page(req, res, actor, { notice: tr.t('treatments.started', { id: started.id.slice(0, 8), status: tr.t(`tstatus.${started.status}`) }) }, 201);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, actor, { start: formFromError(values, error) }, error.status);
    }
  }

  async stop(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values = formValues(body);
    return this.declare(req, res, actor, id, values, StopTreatmentDto, { date: values.date ?? '', reason: values.reason ?? '' }, (dto) => this.treatments.stop(actor, id, dto));
  }

  async transfer(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values = formValues(body);
    return this.declare(req, res, actor, id, values, TransferTreatmentDto, { date: values.date ?? '', toEstablishment: values.toEstablishment ?? '' }, (dto) => this.treatments.transfer(actor, id, dto));
  }

  /** A stop or a transfer: another establishment's treatment is the 404 page; a refusal stays on its row with the typed values. */
  private async declare<T extends object>(req: Request, res: Response, actor: Actor, id: string, values: Record<string, string>, cls: new () => T, plain: object, act: (dto: T) => Promise<unknown>): Promise<void> {
    const checked = await validateAs(cls, plain);
    if (!checked.ok) return this.page(req, res, actor, { row: { id, form: formWithErrors(values, checked.errors, null) } }, 400);
    try {
      await act(checked.value);
      res.redirect(303, '/etablissement/traitements');
    } catch (error: unknown) {
      if (!isFormRefusal(error) || error.code === 'TREATMENT_NOT_FOUND') throw error;
      return this.page(req, res, actor, { row: { id, form: formFromError(values, error) } }, error.status);
    }
  }

  private async otherEstablishments(actor: Actor, all: { finess: string; name: string }[]): Promise<{ value: string; label: string }[]> {
    return all.filter((e) => e.finess !== actor.establishment).map((e) => ({ value: e.finess, label: `${e.name} (${e.finess})` }));
  }
}
