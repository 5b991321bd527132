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
import type { MessageKey } from '../i18n/messages';
import { formatsOf } from '../i18n/sentences';
import { Views } from '../views.service';

/** Stop reasons that fit a medicine: a transplant medicine is not stopped for "progression"; a transfer has its own form. */
export function stopReasonsFor(scheme: 'rationing' | 'other'): string[] {
  return STOP_REASONS.filter((r) => r !== 'transfer' && (scheme !== 'rationing' || r !== 'progression'));
}

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
    const done = state.notice === undefined ? this.doneNotice(req, res, (finess) => establishments.items.find((e) => e.finess === finess)?.name ?? finess) : null;
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
        stopReasonsOf: (medicine: string) => stopReasonsFor(rationed.some((m) => m.code === medicine) ? 'rationing' : 'other'),
        establishmentName: (finess: string) => establishments.items.find((e) => e.finess === finess)?.name ?? finess,
        start: state.start ?? emptyForm({ medicine: rationed[0]?.code ?? '', startDate: this.clock.today() }),
        row: state.row ?? null,
        notice: state.notice ?? done,
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
      return this.page(req, res, actor, { notice: tr.t('treatments.started', { id: started.patient, status: tr.t(`tstatus.${started.status}`) }) }, 201);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, actor, { start: formFromError(values, error) }, error.status);
    }
  }

  async stop(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values = formValues(body);
    return this.declare(req, res, actor, id, values, StopTreatmentDto, { date: values.date ?? '', reason: values.reason ?? '' }, async (dto) => {
      const done = await this.treatments.stop(actor, id, dto);
      return { done: 'arret', patient: done.patient, date: dto.date, reason: dto.reason };
    });
  }

  async transfer(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values = formValues(body);
    return this.declare(req, res, actor, id, values, TransferTreatmentDto, { date: values.date ?? '', toEstablishment: values.toEstablishment ?? '' }, async (dto) => {
      const done = await this.treatments.transfer(actor, id, dto);
      return { done: 'transfert', patient: done.patient, date: dto.date, to: dto.toEstablishment };
    });
  }

  /** A stop or a transfer: another establishment's treatment is the 404 page; a refusal stays on its row with the typed values. */
  private async declare<T extends object>(req: Request, res: Response, actor: Actor, id: string, values: Record<string, string>, cls: new () => T, plain: object, act: (dto: T) => Promise<Record<string, string>>): Promise<void> {
    const checked = await validateAs(cls, plain);
    if (!checked.ok) return this.page(req, res, actor, { row: { id, form: formWithErrors(values, checked.errors, null) } }, 400);
    try {
      const done = await act(checked.value);
      // Post/redirect/get: the list says what happened (patient pseudonym, date, reason or receiving establishment).
      res.redirect(303, `/etablissement/traitements?${new URLSearchParams(done).toString()}`);
    } catch (error: unknown) {
      if (!isFormRefusal(error) || error.code === 'TREATMENT_NOT_FOUND') throw error;
      return this.page(req, res, actor, { row: { id, form: formFromError(values, error) } }, error.status);
    }
  }

  /** The sentence of a stop or transfer just declared (from the redirect's query), in the page's language. */
  private doneNotice(req: Request, res: Response, nameOf: (finess: string) => string): string | null {
    const q = formValues(req.query);
    const tr = this.views.translator(req, res);
    const fmt = formatsOf(tr.lang);
    if (!q.patient || !/^P-[A-Z2-9]{10}$/.test(q.patient) || !q.date || !/^\d{4}-\d{2}-\d{2}$/.test(q.date)) return null;
    if (q.done === 'arret' && q.reason && (STOP_REASONS as readonly string[]).includes(q.reason)) {
      return tr.t('treatments.stopped', { patient: q.patient, date: fmt.date(q.date), reason: tr.t(`stop.${q.reason}` as MessageKey) });
    }
    if (q.done === 'transfert' && q.to && /^[0-9AB]{9}$/.test(q.to)) return tr.t('treatments.transferred', { patient: q.patient, date: fmt.date(q.date), to: nameOf(q.to) });
    return null;
  }

  private async otherEstablishments(actor: Actor, all: { finess: string; name: string }[]): Promise<{ value: string; label: string }[]> {
    return all.filter((e) => e.finess !== actor.establishment).map((e) => ({ value: e.finess, label: `${e.name} (${e.finess})` }));
  }
}
