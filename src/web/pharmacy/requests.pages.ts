import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AllocationsService } from '../../allocation/allocations.service';
import { CreateInitiationRequestDto, InitiationRequestResponse, RankDto } from '../../allocation/dto/initiation-request.dto';
import { InitiationRequestsService } from '../../allocation/initiation-requests.service';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/domain/domain-error';
import { problemSentence } from '../../common/messages/problem-messages';
import { MedicinesService } from '../../medicines/medicines.service';
import { PoliciesService } from '../../medicines/policies.service';
import { PatientsService } from '../../patients/patients.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, optionalNumber, validateAs } from '../forms';
import { Views } from '../views.service';

export interface CentreQuota {
  medicine: { code: string; name: string };
  period: string;
  policy: { version: number; mode: string } | null;
  allocation: { nationalCapacity: number | null; urgentGranted: number; quotaGranted: number; quotaPool: number } | null;
  centre: { followedPatients: number; entitlement: number; creditBefore: number; slots: number; used: number; creditAfter: number } | null;
  waiting: number;
}

/** The centre's quota of the month and its initiation requests (submit, rank, withdraw). */
@Injectable()
export class RequestsPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly allocations: AllocationsService,
    private readonly requests: InitiationRequestsService,
    private readonly patients: PatientsService,
    private readonly clock: Clock,
  ) {}

  /** Per rationed medicine: the centre's row of this period's allocation and its waiting requests. */
  async quotas(actor: Actor): Promise<CentreQuota[]> {
    const period = this.clock.period();
    const out: CentreQuota[] = [];
    for (const medicine of (await this.medicines.list()).filter((m) => m.scheme === 'rationing')) {
      const policy = await this.policies.inForce(medicine.code, this.clock.today());
      let allocation: CentreQuota['allocation'] = null;
      let centre: CentreQuota['centre'] = null;
      try {
        const a = await this.allocations.get(actor, medicine.code, period);
        allocation = { nationalCapacity: a.nationalCapacity, urgentGranted: a.urgentGranted, quotaGranted: a.quotaGranted, quotaPool: a.quotaPool };
        centre = a.centres.find((c) => c.finess === actor.establishment) ?? null;
      } catch (error: unknown) {
        if (!(error instanceof DomainError) || error.code !== 'ALLOCATION_NOT_FOUND') throw error;
      }
      const waiting = await this.requests.list(actor, { medicine: medicine.code, status: 'waitlisted', limit: 500 });
      out.push({ medicine: { code: medicine.code, name: medicine.name }, period, policy: policy ? { version: policy.version, mode: policy.mode } : null, allocation, centre, waiting: waiting.items.length });
    }
    return out;
  }

  async recent(actor: Actor): Promise<InitiationRequestResponse[]> {
    return (await this.requests.list(actor, { limit: 50 })).items;
  }

  async page(req: Request, res: Response, actor: Actor, form?: FormState, status = 200, outcome: InitiationRequestResponse | null = null, actionError: string | null = null): Promise<void> {
    const [requests, medicines, patients] = await Promise.all([this.recent(actor), this.medicines.list(), this.patients.list(actor, { limit: 500 })]);
    const rationed = medicines.filter((m) => m.scheme === 'rationing');
    const indications: { value: string; label: string }[] = [];
    for (const m of rationed) {
      const policy = await this.policies.inForce(m.code, this.clock.today());
      for (const i of policy?.indications ?? []) {
        const name = m.indications.find((x) => x.code === i.code)?.name ?? i.code;
        indications.push({ value: i.code, label: `${name} (${i.kind})` });
      }
    }
    const state = form ?? emptyForm({ medicine: rationed[0]?.code ?? '', indication: indications[0]?.value ?? '' });
    this.views.send(req, res, 'pharmacy/requests', { requests, medicines: rationed, indications, patients: patients.items.map((p) => p.pseudonym), form: state, outcome, actionError }, status);
  }

  async submit(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    const dto = { medicine: values.medicine ?? '', indication: values.indication ?? '', patient: (values.patient ?? '').trim(), justification: values.justification ?? '', weightKg: optionalNumber(values.weightKg) ?? Number.NaN };
    const checked = await validateAs(CreateInitiationRequestDto, dto);
    if (!checked.ok) return this.page(req, res, actor, formWithErrors(values, checked.errors, null), 400);
    try {
      const created = await this.requests.submit(actor, checked.value);
      return this.page(req, res, actor, undefined, 201, created);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, actor, formFromError(values, error), error.status);
    }
  }

  async rank(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values = formValues(body);
    const checked = await validateAs(RankDto, { rank: optionalNumber(values.rank) ?? Number.NaN });
    if (!checked.ok) return this.page(req, res, actor, undefined, 400, null, `${id}: rank ${checked.errors.map((e) => e.reason).join('; ')}`);
    return this.act(req, res, actor, () => this.requests.rank(actor, id, checked.value.rank));
  }

  async withdraw(req: Request, res: Response, actor: Actor, id: string): Promise<void> {
    return this.act(req, res, actor, () => this.requests.withdraw(actor, id));
  }

  /** A request action: another establishment's request is the 404 page; a rule refusal is shown with its reason. */
  private async act(req: Request, res: Response, actor: Actor, action: () => Promise<InitiationRequestResponse>): Promise<void> {
    try {
      await action();
      res.redirect(303, '/etablissement/demandes');
    } catch (error: unknown) {
      if (!(error instanceof DomainError) || error.status === 404 || error.status === 401 || error.status === 403) throw error;
      return this.page(req, res, actor, undefined, error.status, null, problemSentence(error.code, error.message, this.views.translator(req, res).lang, error.params));
    }
  }
}
