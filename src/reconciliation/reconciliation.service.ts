import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { JobPayload, JobRegistry } from '../common/contracts/job-registry';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { reconciliationEvents } from '../common/domain/notification-events';
import { OrderFact, TREATMENT_FACTS, TreatmentFact, TreatmentFacts } from '../common/contracts/treatment-facts';
import { UnitOfWork } from '../common/database/unit-of-work';
import { addPeriods, periodBounds } from '../common/domain/period';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { valuesList } from '../common/database/sql-values';
import { DISCREPANCY_KINDS, Discrepancy, DiscrepancyKind, ReconcileOrder, ReconcileOrderStatus, ReconcileRecap, ReconcileTreatment, checkReconciliationPeriod, reconcile } from './domain/reconcile';
import { reconciliationError, reconciliationRefusalToError } from './domain/reconciliation.errors';
import { DiscrepancyEntity } from './entities/discrepancy.entity';
import { ReconciliationRunEntity } from './entities/reconciliation-run.entity';

/** GET /api/v1/reconciliations/{medicine}/{period} (SPEC §11). */
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

const INSERT_ROWS = 500;
const ORDER_STATUSES: readonly ReconcileOrderStatus[] = ['submitted', 'flagged', 'confirmed', 'reduced', 'refused'];

/**
 * Reconciliation of a medicine's period (SPEC §5): the recaps against the declared treatments
 * and the orders, read through TREATMENT_FACTS. The result replaces the previous run's rows in
 * one transaction, so re-running gives the same rows and never duplicates them.
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
    this.registry.register('reconciliation.run', (payload) => this.runJob(payload));
  }

  /** Whether the treatments and orders module is installed (TREATMENT_FACTS), without which a run is refused. */
  get factsAvailable(): boolean {
    return this.facts !== undefined;
  }

  /** POST …/run (agency) and the reconciliation.run job. */
  async run(actor: Actor, medicine: string, period: string): Promise<ReconciliationResponse> {
    const checked = checkReconciliationPeriod(period, this.clock.today());
    if (!checked.ok) throw reconciliationRefusalToError(checked.error);
    await this.medicines.require(medicine);
    if (!this.facts) {
      throw reconciliationError('RECONCILIATION_FACTS_UNAVAILABLE', { medicine, period });
    }
    return this.reconcileWith(actor, medicine, period, this.facts);
  }

  /** Reads the facts, then reconciles and stores in one transaction (the benchmark passes its own facts). */
  async reconcileWith(actor: Actor, medicine: string, period: string, facts: TreatmentFacts): Promise<ReconciliationResponse> {
    const { last } = periodBounds(period);
    const orderTolerancePct = (await this.policies.inForce(medicine, last))?.orderTolerancePct ?? 0;
    const [treatments, orders] = await Promise.all([facts.treatmentsInPeriod(medicine, period), facts.ordersInPeriod(medicine, period)]);
    return this.unitOfWork.run(async (manager) => {
      await this.unitOfWork.lock(manager, `reconciliation:${medicine}:${period}`);
      const recaps = await loadRecaps(manager, medicine, period);
      const expectedEstablishments = await establishmentsWithRecap(manager, medicine, addPeriods(period, -1));
      const found = reconcile({
        period, orderTolerancePct, expectedEstablishments, recaps,
        treatments: treatments.map(toReconcileTreatment), orders: orders.map(toReconcileOrder),
      });
      const runAt = this.clock.now().toISOString();
      const before = await manager.getRepository(ReconciliationRunEntity).findOneBy({ medicine, period });
      await manager.getRepository(DiscrepancyEntity).delete({ medicine, period });
      await manager.getRepository(ReconciliationRunEntity).delete({ medicine, period });
      await manager.getRepository(ReconciliationRunEntity).insert({ medicine, period, runAt, runBy: actor.username, discrepancies: found.length, orderTolerancePct });
      await insertDiscrepancies(manager, medicine, period, found);
      await this.audit.record(manager, actor, {
        action: 'reconciliation.run', entity: 'reconciliation', entityId: `${medicine}:${period}`,
        before: before ? { runAt: before.runAt, discrepancies: before.discrepancies } : null,
        after: { runAt, discrepancies: found.length, byKind: countByKind(found) }, establishment: null,
      });
      for (const event of reconciliationEvents(medicine, period, found)) await this.notifier?.notify(manager, event);
      return { medicine, period, runAt, discrepancies: found };
    });
  }

  /** The latest run; a pharmacist sees only its establishment's discrepancies (SPEC §1). */
  async get(actor: Actor, medicine: string, period: string): Promise<ReconciliationResponse> {
    const run = await this.runs.findOneBy({ medicine, period });
    if (!run) {
      throw reconciliationError('RECONCILIATION_NOT_FOUND', { medicine, period }, [{ field: 'period', reason: 'has no reconciliation yet' }]);
    }
    const where = isEstablishmentBound(actor) ? { medicine, period, establishment: actor.establishment ?? '' } : { medicine, period };
    const rows = await this.discrepancies.find({ where, order: { seq: 'ASC' } });
    return { medicine, period, runAt: run.runAt, discrepancies: rows.map((r) => ({ kind: r.kind, establishment: r.establishment, patient: r.patient, detail: r.detail })) };
  }

  private async runJob(payload: JobPayload): Promise<ReconciliationSummary> {
    if (!payload.medicine || !payload.period) throw new Error('reconciliation.run needs a medicine and a period');
    const result = await this.run(SYSTEM_ACTOR, payload.medicine, payload.period);
    return { medicine: result.medicine, period: result.period, runAt: result.runAt, discrepancies: result.discrepancies.length, byKind: countByKind(result.discrepancies) };
  }
}

async function loadRecaps(manager: EntityManager, medicine: string, period: string): Promise<ReconcileRecap[]> {
  const postgres = manager.connection.options.type === 'postgres';
  const rows: { establishment: string; patient: string | null; administrations: number | string | null; vials: number | string | null }[] = await manager.query(
    `SELECT r.establishment AS establishment, l.patient AS patient, l.administrations AS administrations, l.vials AS vials ` +
      `FROM recaps r LEFT JOIN recap_lines l ON l.recap_id = r.id WHERE r.medicine = ${postgres ? '$1' : '?'} AND r.period = ${postgres ? '$2' : '?'}`,
    [medicine, period],
  );
  const byEstablishment = new Map<string, { patient: string; administrations: number; vials: number }[]>();
  for (const row of rows) {
    let list = byEstablishment.get(row.establishment);
    if (!list) byEstablishment.set(row.establishment, (list = []));
    if (row.patient !== null) list.push({ patient: row.patient, administrations: Number(row.administrations), vials: Number(row.vials) });
  }
  return [...byEstablishment].map(([establishment, patients]) => ({ establishment, patients }));
}

async function establishmentsWithRecap(manager: EntityManager, medicine: string, period: string): Promise<string[]> {
  const postgres = manager.connection.options.type === 'postgres';
  const rows: { establishment: string }[] = await manager.query(
    `SELECT establishment FROM recaps WHERE medicine = ${postgres ? '$1' : '?'} AND period = ${postgres ? '$2' : '?'}`,
    [medicine, period],
  );
  return rows.map((r) => r.establishment);
}

async function insertDiscrepancies(manager: EntityManager, medicine: string, period: string, found: readonly Discrepancy[]): Promise<void> {
  const postgres = manager.connection.options.type === 'postgres';
  const head = 'INSERT INTO reconciliation_discrepancies (medicine, period, seq, kind, establishment, patient, detail) VALUES ';
  for (let start = 0; start < found.length; start += INSERT_ROWS) {
    const chunk = found.slice(start, start + INSERT_ROWS);
    const params = chunk.flatMap((d, i) => [medicine, period, start + i + 1, d.kind, d.establishment, d.patient, d.detail]);
    await manager.query(head + valuesList(postgres, chunk.length, 7), params);
  }
}

function countByKind(found: readonly Discrepancy[]): Partial<Record<DiscrepancyKind, number>> {
  const counts: Partial<Record<DiscrepancyKind, number>> = {};
  for (const kind of DISCREPANCY_KINDS) {
    const n = found.filter((d) => d.kind === kind).length;
    if (n > 0) counts[kind] = n;
  }
  return counts;
}

export function toReconcileTreatment(t: TreatmentFact): ReconcileTreatment {
  return {
    patient: t.patient, establishment: t.establishment, startDate: t.startDate, stopDate: t.stopDate,
    transfers: t.transfers.map((x) => ({ date: x.date, fromEstablishment: x.from, toEstablishment: x.to })),
  };
}

/** An order status the reconciliation does not know is left out, like a refused order. */
export function toReconcileOrder(o: OrderFact): ReconcileOrder {
  const status = (ORDER_STATUSES as readonly string[]).includes(o.status) ? (o.status as ReconcileOrderStatus) : 'refused';
  return { establishment: o.establishment, status, quantityVials: o.quantity, needVials: o.need, lines: o.lines };
}
