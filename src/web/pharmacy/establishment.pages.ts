import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { RegisterPatientDto } from '../../patients/dto/register-patient.dto';
import { PatientsService } from '../../patients/patients.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, optionalNumber, validateAs } from '../forms';
import { Views } from '../views.service';
import { RequestsPages } from './requests.pages';

/** The pharmacy's and the prescribers' pages of their own establishment. */
@Injectable()
export class EstablishmentPages {
  constructor(
    private readonly views: Views,
    private readonly establishments: EstablishmentsService,
    private readonly patients: PatientsService,
    private readonly clock: Clock,
    private readonly requests: RequestsPages,
  ) {}

  async home(req: Request, res: Response, actor: Actor): Promise<void> {
    const establishment = await this.establishments.get(actor, actor.establishment ?? '');
    const [quotas, requests] = await Promise.all([this.requests.quotas(actor), this.requests.recent(actor)]);
    this.views.send(req, res, 'pharmacy/home', { establishment, period: this.clock.period(), quotas, requests });
  }

  async patientsPage(req: Request, res: Response, actor: Actor, form?: FormState, status = 200, notice?: string): Promise<void> {
    const page = await this.patients.list(actor, { limit: 200 });
    this.views.send(req, res, 'pharmacy/patients', { patients: page.items, form: form ?? emptyForm({ sex: 'F' }), notice: notice ?? null }, status);
  }

  async register(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    const dto = { nir: (values.nir ?? '').replace(/\s/g, ''), birthDate: values.birthDate ?? '', sex: values.sex ?? '', weightKg: optionalNumber(values.weightKg) ?? Number.NaN };
    // The NIR typed is never sent back, not even on a refusal (#12.4): the field says what is wrong, empty.
    const shown = { ...values, nir: '' };
    const checked = await validateAs(RegisterPatientDto, dto);
    if (!checked.ok) return this.patientsPage(req, res, actor, formWithErrors(shown, checked.errors, null), 400);
    try {
      const { created, patient } = await this.patients.register(actor, checked.value);
      const tr = this.views.translator(req, res);
      const notice = tr.t(created ? 'patients.registered' : 'patients.alreadyRegistered', { pseudonym: patient.pseudonym });
      return this.patientsPage(req, res, actor, undefined, created ? 201 : 200, notice);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.patientsPage(req, res, actor, formFromError(shown, error), error.status);
    }
  }

  async patient(req: Request, res: Response, actor: Actor, pseudonym: string): Promise<void> {
    const [patient, establishments] = await Promise.all([this.patients.get(actor, pseudonym), this.establishments.list(actor, { limit: 500 })]);
    const { pseudonym: p, birthDate, sex, weightKg, ...details } = patient;
    // One section per detail kind the page knows how to label (issue 17: no raw field names, no dump).
    const listOf = (name: string): unknown[] => (Array.isArray(details[name]) ? details[name] : []);
    this.views.send(req, res, 'pharmacy/patient', {
      patient: { pseudonym: p, birthDate, sex, weightKg },
      treatments: listOf('treatments'),
      requests: listOf('requests'),
      accessRequests: listOf('accessRequests'),
      establishmentName: (finess: string) => establishments.items.find((e) => e.finess === finess)?.name ?? finess,
    });
  }
}
