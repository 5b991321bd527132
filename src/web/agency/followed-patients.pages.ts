import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { ApproveFollowedPatientsDto } from '../../establishments/dto/establishment.dto';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { FormState, formFromError, formValues, formWithErrors, isFormRefusal, optionalNumber, optionalText, validateAs } from '../forms';
import { Views } from '../views.service';

/** Followed-patient declarations waiting for the agency (#12.7): approve (possibly corrected) or reject. */
@Injectable()
export class FollowedPatientsPages {
  constructor(
    private readonly views: Views,
    private readonly establishments: EstablishmentsService,
  ) {}

  async page(req: Request, res: Response, form: FormState | null = null, status = 200, notice: string | null = null): Promise<void> {
    const pending = await this.establishments.pendingDeclarations({ limit: 500 });
    this.views.send(req, res, 'agency/followed-patients', { pending: pending.items, form, notice }, status);
  }

  async decide(req: Request, res: Response, actor: Actor, finess: string, period: string, body: unknown): Promise<void> {
    const values = formValues(body);
    const tr = this.views.translator(req, res);
    try {
      if (values.decision === 'reject') {
        const done = await this.establishments.rejectFollowedPatients(actor, finess, period, optionalText(values.reason));
        return this.page(req, res, null, 200, tr.t('followed.rejected', { finess, period, count: tr.n(done.count) }));
      }
      const checked = await validateAs(ApproveFollowedPatientsDto, { count: optionalNumber(values.count) });
      if (!checked.ok) return this.page(req, res, formWithErrors(values, checked.errors, null), 400);
      const done = await this.establishments.approveFollowedPatients(actor, finess, period, checked.value.count);
      return this.page(req, res, null, 200, tr.t('followed.approved', { finess, period, count: tr.n(done.approvedCount ?? done.count) }));
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      return this.page(req, res, formFromError(values, error), error.status);
    }
  }
}
