import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AllocationsService } from '../../allocation/allocations.service';
import { CommitteeService } from '../../allocation/committee.service';
import { DomainError } from '../../common/domain/domain-error';
import { InitiationRequestResponse, VoteDto } from '../../allocation/dto/initiation-request.dto';
import { InitiationRequestsService } from '../../allocation/initiation-requests.service';
import type { Actor } from '../../common/domain/roles';
import { Clock } from '../../common/clock/clock';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, validateAs } from '../forms';
import { Views } from '../views.service';

const DECIDED = ['granted', 'waitlisted', 'rejected', 'started'] as const;

/** The committee's queue (oldest first, pseudonymised, own establishment left out), votes and decided requests. */
@Injectable()
export class CommitteePages implements OnModuleInit {
  private committee!: CommitteeService;

  constructor(
    private readonly views: Views,
    private readonly requests: InitiationRequestsService,
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
    private readonly allocations: AllocationsService,
  ) {}

  onModuleInit(): void {
    // The allocation module does not export CommitteeService (yet): reach the same instance the API uses.
    this.committee = this.moduleRef.get(CommitteeService, { strict: false });
  }

  async queue(req: Request, res: Response, actor: Actor, forms: Record<string, FormState> = {}, status = 200, notice: string | null = null): Promise<void> {
    const page = await this.committee.queue(actor, { limit: 100 });
    const now = this.clock.now().getTime();
    const items = page.items.map((item) => {
      const leftMs = item.deadline ? new Date(item.deadline).getTime() - now : null;
      return { ...item, left: leftMs === null ? null : { overdue: leftMs < 0, hours: Math.floor(Math.abs(leftMs) / 3_600_000), minutes: Math.floor((Math.abs(leftMs) % 3_600_000) / 60_000) } };
    });
    const period = this.clock.period();
    const capacity: Record<string, { period: string; capacity: number | null; left: number | null } | null> = {};
    for (const medicine of new Set(items.map((i) => i.medicine))) {
      try {
        const a = await this.allocations.get(actor, medicine, period);
        capacity[medicine] = { period, capacity: a.nationalCapacity, left: a.nationalCapacity === null ? null : Math.max(0, a.nationalCapacity - a.urgentGranted - a.quotaGranted) };
      } catch (error: unknown) {
        if (!(error instanceof DomainError) || error.status >= 500) throw error;
        capacity[medicine] = null;
      }
    }
    this.views.send(req, res, 'committee/queue', { items, forms, notice, capacity, currentPeriod: period }, status);
  }

  async vote(req: Request, res: Response, actor: Actor, id: string, body: unknown): Promise<void> {
    const values = formValues(body);
    const checked = await validateAs(VoteDto, { decision: values.decision ?? '', rationale: values.rationale ?? '' });
    if (!checked.ok) return this.queue(req, res, actor, { [id]: formWithErrors(values, checked.errors, null) }, 400);
    try {
      const decided = await this.committee.vote(actor, id, checked.value);
      const notice = this.views.translator(req, res).t('committee.voted', { status: this.views.translator(req, res).t(`status.${decided.status}`) });
      return this.queue(req, res, actor, {}, 200, `${decided.id.slice(0, 8)} — ${notice}`);
    } catch (error: unknown) {
      // Another establishment's (or their own establishment's) request is the 404 page, as in the API.
      if (!isFormRefusal(error) || error.status === 404) throw error;
      return this.queue(req, res, actor, { [id]: formFromError(values, error) }, error.status);
    }
  }

  async decided(req: Request, res: Response, actor: Actor): Promise<void> {
    const all: InitiationRequestResponse[] = [];
    for (const status of DECIDED) all.push(...(await this.requests.list(actor, { status, limit: 200 })).items);
    const decided = all.filter((r) => r.kind === 'urgent' && r.votes.length > 0).sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
    this.views.send(req, res, 'committee/decided', { decided, form: emptyForm() });
  }
}
