import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../common/domain/roles';
import { EstablishmentsService } from '../../establishments/establishments.service';
import { PublishPolicyDto } from '../../medicines/dto/policy.dto';
import { MedicinesService } from '../../medicines/medicines.service';
import { PoliciesService } from '../../medicines/policies.service';
import type { AuditEventEntity } from '../../audit/entities/audit-event.entity';
import { Clock } from '../../common/clock/clock';
import { versionInForce } from '../../medicines/domain/policy-rules';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, validateAs } from '../forms';
import { Views } from '../views.service';
import { mapPolicyErrors, policyDraftOf, policyFormDefaults } from './policy-form';
import { SupplyService } from '../../supply/supply.service';
import { formatWhen } from '../../supply/domain/projection-explanation';
import { supplyCapView } from './supply-cap';

/** The agency's pages: medicines and their policy timeline, establishments, audit. */
@Injectable()
export class AgencyPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly supply: SupplyService,
  ) {}

  async home(req: Request, res: Response): Promise<void> {
    const medicines = await this.medicines.list();
    this.views.send(req, res, 'agency/home', { medicines });
  }

  /** Every rationed medicine (one with a published policy) and the version in force today (issue #17: the navigation's "Politiques"). */
  async policiesIndex(req: Request, res: Response): Promise<void> {
    const today = this.clock.today();
    const rows = [];
    for (const medicine of await this.medicines.list()) {
      const versions = await this.policies.list(medicine.code);
      if (versions.length === 0) continue;
      const inForce = versionInForce(versions, today);
      rows.push({ code: medicine.code, name: medicine.name, versions: versions.length, inForce: inForce ? { version: inForce.version, mode: inForce.mode, effectiveFrom: inForce.effectiveFrom } : null });
    }
    this.views.send(req, res, 'agency/policies-index', { rows });
  }

  async policiesPage(req: Request, res: Response, code: string, form?: FormState, status = 200, published?: number): Promise<void> {
    const medicine = await this.medicines.get(code);
    const versions = await this.policies.list(code);
    const inForce = versionInForce(versions, this.clock.today());
    const codes = medicine.indications.map((i) => i.code);
    const state = form ?? emptyForm(policyFormDefaults(versions[versions.length - 1], codes));
    const justPublished = published === undefined ? null : versions.find((v) => v.version === published) ?? null;
    const supplyCap = supplyCapView(await this.supply.sustainableCap(code), versions, inForce?.version ?? null);
    const lang = this.views.context(req, res).lang;
    this.views.send(req, res, 'agency/policies', { medicine, versions: [...versions].reverse(), inForce: inForce?.version ?? null, form: state, justPublished, supplyCap, when: (d: string) => formatWhen(d, lang) }, status);
  }

  async publish(req: Request, res: Response, actor: Actor, code: string, body: unknown): Promise<void> {
    const medicine = await this.medicines.get(code);
    const values = formValues(body);
    const { draft, enabled } = policyDraftOf(values, medicine.indications.map((i) => i.code));
    const checked = await validateAs(PublishPolicyDto, draft);
    if (!checked.ok) return this.policiesPage(req, res, code, formWithErrors(values, mapPolicyErrors(checked.errors, enabled), null), 400);
    try {
      const policy = await this.policies.publish(actor, code, checked.value);
      res.redirect(303, `/agence/politiques/${encodeURIComponent(code)}?publiee=${policy.version}`);
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      const state = formFromError(values, error);
      return this.policiesPage(req, res, code, { ...state, errors: formWithErrors(values, mapPolicyErrors(error.errors, enabled), null).errors }, error.status);
    }
  }

  async establishmentsPage(req: Request, res: Response, actor: Actor): Promise<void> {
    const page = await this.establishments.list(actor, { limit: 500 });
    this.views.send(req, res, 'agency/establishments', { establishments: page.items });
  }

  async auditPage(req: Request, res: Response, verification?: { ok: boolean; events: number; firstBrokenAt: number | null; reason?: string | null }): Promise<void> {
    const latest = await this.latestAuditEvents(20);
    this.views.send(req, res, 'agency/audit', { latest, verification: verification ?? null });
  }

  async verifyAudit(req: Request, res: Response): Promise<void> {
    const result = await this.audit.verify();
    if (req.headers['hx-request']) {
      this.views.send(req, res, 'agency/audit-result', { verification: result });
      return;
    }
    return this.auditPage(req, res, result);
  }

  /** The latest events, newest first. */
  private async latestAuditEvents(count: number): Promise<AuditEventEntity[]> {
    return this.audit.latest(count);
  }
}
