import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { JobContext, JobPayload, JobRegistry } from '../common/contracts/job-registry';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { reconciliationEventsFromCounts } from '../common/domain/notification-events';
import { TREATMENT_FACTS, TreatmentFacts } from '../common/contracts/treatment-facts';
import { UnitOfWork } from '../common/database/unit-of-work';
import { addPeriods, periodBounds } from '../common/domain/period';
import { renderStored } from '../common/messages/catalogue';
import { MessageLang } from '../common/messages/formatter';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { Discrepancy, DiscrepancyKind, DiscrepancyParams, checkReconciliationPeriod } from './domain/reconcile';
import { reconciliationError, reconciliationRefusalToError } from './domain/reconciliation.errors';
import { DiscrepancyEntity } from './entities/discrepancy.entity';
import { ReconciliationRunEntity } from './entities/reconciliation-run.entity';
import { reconcileInSql } from './reconciliation-sql';


/** GET /api/v1/reconciliations/{medicine}/{period} (SPEC §11); `detail` in the reader's language, from `kind` and `params`. */
export interface ReconciliationResponse {
  medicine: string;
  period: string;
  runAt: string;
  discrepancies: Discrepancy[];
}

export interface ReconciliationSummary {
  medicine: string;
  period: string;
  runAt: string;
  discrepancies: number;
  byKind: Partial<Record<DiscrepancyKind, number>>;
}

/**
 * Reconciliation of a medicine's period (SPEC §5): the recaps against the declared treatments
 * and the orders, compared in SQL over the period's rows (reconcileInSql), the treatments and orders
 * staged by their owner through TREATMENT_FACTS. The result replaces the previous run's rows in one
 * transaction, so re-running gives the same rows and never duplicates them; as a job, that
 * transaction also records the job's completion (JobContext.effect), so a re-run of the same job id
 * after a crash adds no second audit event.
 */
@Injectable()
export class ReconciliationService implements OnModuleInit {
  constructor(
    @InjectRepository(ReconciliationRunEntity) private readonly runs: Repository<ReconciliationRunEntity>,
    @InjectRepository(DiscrepancyEntity) private readonly discrepancies: Repository<DiscrepancyEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly registry: JobRegistry,
    @Optional() @Inject(TREATMENT_FACTS) private readonly facts?: TreatmentFacts,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('reconciliation.run', (payload, job) => this.runJob(payload, job));
  }

  /** Whether the treatments and orders module is installed (TREATMENT_FACTS), without which a run is refused. */
  get factsAvailable(): boolean {
    return this.facts !== undefined;
  }

  /** POST …/run (agency): runs, then answers the stored result in the reader's language. */
  async run(actor: Actor, medicine: string, period: string, lang: MessageLang = 'en'): Promise<ReconciliationResponse> {
    const facts = await this.checked(medicine, period);
    await this.unitOfWork.run((manager) => this.reconcileIn(manager, actor, medicine, period, facts), { alone: true });
    return this.get(actor, medicine, period, lang);
  }

  /** Reconciles and stores with the given facts in one transaction (the benchmark and the e2e fixtures pass their own). */
  async reconcileWith(actor: Actor, medicine: string, period: string, facts: TreatmentFacts): Promise<ReconciliationSummary> {
    return this.unitOfWork.run((manager) => this.reconcileIn(manager, actor, medicine, period, facts), { alone: true });
  }

  /** The latest run; a pharmacist sees only its establishment's discrepancies (SPEC §1). */
  async get(actor: Actor, medicine: string, period: string, lang: MessageLang = 'en'): Promise<ReconciliationResponse> {
    const run = await this.runs.findOneBy({ medicine, period });
    if (!run) {
      throw reconciliationError('RECONCILIATION_NOT_FOUND', { medicine, period }, [{ field: 'period', reason: 'has no reconciliation yet' }]);
    }
    const where = isEstablishmentBound(actor) ? { medicine, period, establishment: actor.establishment ?? '' } : { medicine, period };
    const rows = await this.discrepancies.find({ where, order: { seq: 'ASC' } });
    return { medicine, period, runAt: run.runAt, discrepancies: rows.map((r) => toDiscrepancy(r, lang)) };
  }

  private async checked(medicine: string, period: string): Promise<TreatmentFacts> {
    const checked = checkReconciliationPeriod(period, this.clock.today());
    if (!checked.ok) throw reconciliationRefusalToError(checked.error);
    await this.medicines.require(medicine);
    if (!this.facts) {
      throw reconciliationError('RECONCILIATION_FACTS_UNAVAILABLE', { medicine, period });
    }
    return this.facts;
  }

  /** The run in the caller's transaction: previous rows out, the SQL comparison in, the run row, its audit event and notifications. */
  private async reconcileIn(manager: EntityManager, actor: Actor, medicine: string, period: string, facts: TreatmentFacts): Promise<ReconciliationSummary> {
    await this.unitOfWork.lock(manager, `reconciliation:${medicine}:${period}`);
    const { last } = periodBounds(period);
    const orderTolerancePct = (await this.policies.inForce(medicine, last, manager))?.orderTolerancePct ?? 0;
    const runAt = this.clock.now().toISOString();
    const before = await manager.getRepository(ReconciliationRunEntity).findOneBy({ medicine, period });
    await manager.getRepository(DiscrepancyEntity).delete({ medicine, period });
    await manager.getRepository(ReconciliationRunEntity).delete({ medicine, period });
    const found = await reconcileInSql(manager, facts, { medicine, period, orderTolerancePct, previousPeriod: addPeriods(period, -1) });
    await manager.getRepository(ReconciliationRunEntity).insert({ medicine, period, runAt, runBy: actor.username, discrepancies: found.total, orderTolerancePct });
    await this.audit.record(manager, actor, {
      action: 'reconciliation.run', entity: 'reconciliation', entityId: `${medicine}:${period}`,
      before: before ? { runAt: before.runAt, discrepancies: before.discrepancies } : null,
      after: { runAt, discrepancies: found.total, byKind: found.byKind }, establishment: null,
    });
    for (const event of reconciliationEventsFromCounts(medicine, period, found.total, found.byEstablishment)) await this.notifier?.notify(manager, event);
    return { medicine, period, runAt, discrepancies: found.total, byKind: found.byKind };
  }

  /** The reconciliation.run job: its effect and its completion are one transaction, keyed by the job's id. */
  private async runJob(payload: JobPayload, job?: JobContext): Promise<ReconciliationSummary> {
    if (!payload.medicine || !payload.period) throw new Error('reconciliation.run needs a medicine and a period');
    const { medicine, period } = payload;
    const facts = await this.checked(medicine, period);
    const effect = (manager: EntityManager): Promise<ReconciliationSummary> => this.reconcileIn(manager, SYSTEM_ACTOR, medicine, period, facts);
    return job ? job.effect(effect) : this.unitOfWork.run(effect, { alone: true });
  }
}

/** A stored row as the API gives it: the sentence rendered from its kind and figures (the stored English one for rows without figures). */
export function toDiscrepancy(row: DiscrepancyEntity, lang: MessageLang): Discrepancy {
  const params = row.params ?? null;
  const detail = params === null ? null : renderStored(`discrepancy.${row.kind}`, { ...params, period: row.period }, lang);
  return { kind: row.kind, establishment: row.establishment, patient: row.patient, detail: detail ?? row.detail ?? '', params: params ?? ({} as DiscrepancyParams) };
}
