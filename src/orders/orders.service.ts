import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { orderEvent } from '../common/domain/notification-events';
import { isUniqueViolation } from '../common/database/database-errors';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, pageWindow, toPage } from '../common/pagination/page';
import type { OrderFact, PeriodFactTables } from '../common/contracts/treatment-facts';
import { insertChunks } from '../common/database/insert-chunks';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { DosingSchedule, maintenanceDoseChangesFrom, validateDosingSchedule } from '../medicines/domain/dosing-schedule';
import { TreatmentsService } from '../treatments/treatments.service';
import { OrderAction, decideOrder } from './domain/order-decision';
import { OrderAssessment, assessOrder } from './domain/order-need';
import { orderError, orderRefusalToError } from './domain/orders.errors';
import { stretchesOf } from './domain/treatment-stretches';
import { CreateOrderDto, ListOrdersQueryDto, OrderResponse } from './dto/order.dto';
import { OrderLineEntity } from './entities/order-line.entity';
import { OPEN_ORDER_SLOT, OrderEntity } from './entities/order.entity';

interface OrderRow {
  id: string;
  establishment: string;
  medicine: string;
  period: string;
  status: string;
  quantity: number | string;
  delivered: number | string | null;
  need: number | string;
  line_patient: string | null;
  line_vials: number | string | null;
}

export interface OrderDraft {
  establishment: string;
  medicine: string;
  period: string;
  quantity: number;
  lines: readonly { patient: string }[];
}

/** Orders of SPEC §5: the pharmacy justifies with its patients, Contingent computes the need, the lab decides. */
@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(OrderLineEntity) private readonly lines: Repository<OrderLineEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly treatments: TreatmentsService,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  async create(actor: Actor, dto: CreateOrderDto): Promise<OrderResponse> {
    const establishment = actor.establishment;
    if (!establishment) throw orderError('ORDER_NOT_FOUND', { orderId: null });
    await this.medicines.require(dto.medicine);
    const draft: OrderDraft = { establishment, medicine: dto.medicine, period: dto.period, quantity: dto.quantity, lines: dto.lines };
    return this.unitOfWork.run(async (manager) => {
      await this.unitOfWork.lock(manager, `order:${draft.medicine}:${establishment}:${draft.period}`);
      const order = await this.submit(manager, draft, actor.username);
      const response = toResponse(order.row, order.lines);
      await this.audit.record(manager, actor, {
        action: `order.${order.row.status}`,
        entity: 'order',
        entityId: order.row.id,
        after: { medicine: draft.medicine, period: draft.period, status: order.row.status, quantity: order.row.quantity, need: order.row.need, flags: order.row.flags.map((f) => f.code), lines: order.lines.length },
        establishment,
      });
      if (order.row.status === 'flagged') await this.notifier?.notify(manager, orderEvent('ORDER_FLAGGED', order.row));
      return response;
    });
  }

  /**
   * Assesses and stores an order with its lines inside the caller's transaction (also used by the
   * demo data). A refusal or a duplicate throws before anything is written.
   */
  async submit(manager: EntityManager, draft: OrderDraft, submittedBy: string): Promise<{ row: OrderEntity; lines: OrderLineEntity[] }> {
    const { policy, assessment } = await this.assess(manager, draft);
    const open = await manager.getRepository(OrderEntity).findOne({ where: { medicine: draft.medicine, establishment: draft.establishment, period: draft.period, activeSlot: OPEN_ORDER_SLOT } });
    if (open) throw duplicate(draft, open);
    const row: OrderEntity = {
      id: newId(),
      medicine: draft.medicine,
      establishment: draft.establishment,
      period: draft.period,
      quantity: assessment.quantityVials,
      need: assessment.needVials,
      tolerated: assessment.toleratedVials,
      tolerancePct: policy.orderTolerancePct,
      policyVersion: policy.version,
      status: assessment.status,
      flags: assessment.flags,
      activeSlot: OPEN_ORDER_SLOT,
      deliveredQuantity: null,
      decisionReason: null,
      decidedAt: null,
      decidedBy: null,
      submittedAt: this.clock.now().toISOString(),
      submittedBy,
    };
    const lines: OrderLineEntity[] = assessment.lines.map((l, i) => ({ orderId: row.id, lineNo: i, patient: l.patient, administrations: l.administrations.map((a) => a.date), vials: l.vials }));
    try {
      await manager.getRepository(OrderEntity).insert(row);
    } catch (error: unknown) {
      if (isUniqueViolation(error)) throw duplicate(draft, null);
      throw error;
    }
    await insertChunks(manager, OrderLineEntity, lines);
    return { row, lines };
  }

  async confirm(actor: Actor, id: string): Promise<OrderResponse> {
    return this.decide(actor, id, { kind: 'confirm' });
  }

  async reduce(actor: Actor, id: string, quantity: number, reason: string): Promise<OrderResponse> {
    return this.decide(actor, id, { kind: 'reduce', quantityVials: quantity, reason });
  }

  async refuse(actor: Actor, id: string, reason: string): Promise<OrderResponse> {
    return this.decide(actor, id, { kind: 'refuse', reason });
  }

  async get(actor: Actor, id: string): Promise<OrderResponse> {
    const row = await this.orders.findOne({ where: { id } });
    if (!row || (isEstablishmentBound(actor) && row.establishment !== actor.establishment)) throw notFound(id);
    const lines = await this.lines.find({ where: { orderId: id }, order: { lineNo: 'ASC' } });
    return toResponse(row, lines);
  }

  /** The lab's list (SPEC §11): orders by medicine, period, establishment and status; a pharmacy sees its own only. */
  async list(actor: Actor, query: ListOrdersQueryDto): Promise<Page<OrderResponse>> {
    const window = pageWindow(query, 100);
    const where: FindOptionsWhere<OrderEntity> = {};
    if (query.medicine) where.medicine = query.medicine;
    if (query.period) where.period = query.period;
    if (query.status) where.status = query.status;
    if (query.establishment) where.establishment = query.establishment;
    if (isEstablishmentBound(actor)) {
      if (query.establishment && query.establishment !== actor.establishment) return { items: [], nextCursor: null };
      where.establishment = actor.establishment ?? '';
    }
    const rows = await this.orders.find({ where, order: { period: 'DESC', establishment: 'ASC', submittedAt: 'ASC', id: 'ASC' }, skip: window.skip, take: window.take });
    return toPage(rows.map((r) => toResponse(r, null)), window);
  }

  private async decide(actor: Actor, id: string, action: OrderAction): Promise<OrderResponse> {
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(OrderEntity);
      const row = await repo.findOne({ where: { id } });
      if (!row) throw notFound(id);
      const decision = decideOrder({ status: row.status, quantityVials: row.quantity }, action);
      if (!decision.ok) throw orderRefusalToError(decision.error);
      const change: Partial<OrderEntity> = {
        status: decision.value.status,
        deliveredQuantity: decision.value.deliveredVials,
        decisionReason: decision.value.reason,
        decidedAt: this.clock.now().toISOString(),
        decidedBy: actor.username,
        ...(decision.value.status === 'refused' ? { activeSlot: row.id } : {}),
      };
      const updated = await repo.update({ id, status: In(['submitted', 'flagged']) }, change);
      if (!updated.affected) throw orderError('ORDER_ALREADY_DECIDED', { orderId: id, status: null });
      const after = { ...row, ...change };
      await this.audit.record(manager, actor, {
        action: `order.${decision.value.status}`,
        entity: 'order',
        entityId: id,
        before: { status: row.status, quantity: row.quantity, need: row.need },
        after: { status: after.status, deliveredQuantity: after.deliveredQuantity, reason: after.decisionReason },
        establishment: row.establishment,
      });
      await this.notifier?.notify(manager, orderEvent('ORDER_DECIDED', after, after.deliveredQuantity ?? row.quantity));
      const lines = await manager.getRepository(OrderLineEntity).find({ where: { orderId: id }, order: { lineNo: 'ASC' } });
      return toResponse(after, lines);
    });
  }

  /** The orders' half of TREATMENT_FACTS.stagePeriodFacts: the same orders (final quantities) and their lines, copied in SQL. */
  async stageOrders(manager: EntityManager, medicine: string, period: string, tables: Pick<PeriodFactTables, 'orders' | 'orderLines'>): Promise<void> {
    const [a, b] = manager.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    await manager.query(
      `INSERT INTO ${tables.orders} (id, establishment, status, quantity, need) ` +
        `SELECT id, establishment, status, CASE WHEN status = 'reduced' AND delivered_quantity IS NOT NULL THEN delivered_quantity ELSE quantity END, need ` +
        `FROM orders WHERE medicine = ${a} AND period = ${b}`,
      [medicine, period],
    );
    await manager.query(
      `INSERT INTO ${tables.orderLines} (order_id, patient, vials) SELECT l.order_id, l.patient, l.vials FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.medicine = ${a} AND o.period = ${b}`,
      [medicine, period],
    );
  }

  /** Every order of the medicine for the period with its lines, refused ones included (TREATMENT_FACTS.ordersInPeriod): one query. */
  async ordersInPeriod(medicine: string, period: string): Promise<OrderFact[]> {
    const rows = await this.orders.manager
      .createQueryBuilder()
      .from(OrderEntity, 'o')
      .leftJoin(OrderLineEntity, 'l', 'l.order_id = o.id')
      .select(['o.id AS id', 'o.establishment AS establishment', 'o.medicine AS medicine', 'o.period AS period', 'o.status AS status'])
      .addSelect(['o.quantity AS quantity', 'o.delivered_quantity AS delivered', 'o.need AS need', 'l.patient AS line_patient', 'l.vials AS line_vials'])
      .where('o.medicine = :medicine', { medicine })
      .andWhere('o.period = :period', { period })
      .orderBy('o.establishment', 'ASC')
      .addOrderBy('o.submitted_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .addOrderBy('l.line_no', 'ASC')
      .getRawMany<OrderRow>();
    const out: OrderFact[] = [];
    let current: OrderFact | undefined;
    for (const r of rows) {
      if (!current || current.id !== r.id) {
        const quantity = r.status === 'reduced' && r.delivered !== null ? Number(r.delivered) : Number(r.quantity);
        current = { id: r.id, establishment: r.establishment, medicine: r.medicine, period: r.period, status: r.status, quantity, need: Number(r.need), lines: [] };
        out.push(current);
      }
      if (r.line_patient !== null) current.lines.push({ patient: r.line_patient, vials: Number(r.line_vials ?? 0) });
    }
    return out;
  }

  /** The policy that governs the period (in force on its first day, or today if later) and the order's assessment; writes nothing. */
  async assess(manager: EntityManager, draft: OrderDraft): Promise<{ policy: PolicyEntity; assessment: OrderAssessment }> {
    const today = this.clock.today();
    const periodFirst = `${draft.period}-01`;
    const on = periodFirst > today ? periodFirst : today;
    const policy = await this.policies.inForce(draft.medicine, on, manager);
    if (!policy) throw orderError('POLICY_NOT_IN_FORCE', { medicine: draft.medicine, date: on }, [{ field: 'period', reason: `no policy of ${draft.medicine} governs this period` }]);
    const schedule = validateDosingSchedule(policy.schedule, '');
    if (!schedule.ok) {
      throw orderError('DOSING_SCHEDULE_INVALID', { medicine: draft.medicine, policyVersion: policy.version }, schedule.error);
    }
    const versions = await this.policies.versions(draft.medicine, manager);
    const maintenanceDoseChanges = maintenanceDoseChangesFrom(versions.map((v) => ({ effectiveFrom: v.effectiveFrom, schedule: scheduleOrNull(v.schedule) })));
    const records = await this.treatments.recordsOf(manager, draft.medicine, draft.lines.map((l) => l.patient));
    const treatments = records.flatMap((t) => stretchesOf(t));
    const assessed = assessOrder({
      establishment: draft.establishment,
      period: draft.period,
      today,
      quantityVials: draft.quantity,
      lines: draft.lines,
      treatments,
      schedule: schedule.value,
      maintenanceDoseChanges,
      orderTolerancePct: policy.orderTolerancePct,
      justificationRequired: policy.orderJustificationRequired,
    });
    if (!assessed.ok) throw orderRefusalToError(assessed.error);
    return { policy, assessment: assessed.value };
  }
}

function scheduleOrNull(raw: object | null): DosingSchedule | null {
  if (raw === null) return null;
  const checked = validateDosingSchedule(raw, '');
  return checked.ok ? checked.value : null;
}

function duplicate(draft: OrderDraft, open: OrderEntity | null) {
  return orderError(
    'ORDER_DUPLICATE',
    { establishment: draft.establishment, orderId: open ? open.id : null, status: open ? open.status : null, medicine: draft.medicine, period: draft.period },
    [{ field: 'period', reason: `already ordered for ${draft.period}` }],
    open ? { existing: open.id } : {},
  );
}

function notFound(id: string) {
  return orderError('ORDER_NOT_FOUND', { orderId: id });
}

export function toResponse(row: OrderEntity, lines: OrderLineEntity[] | null): OrderResponse {
  return {
    id: row.id,
    medicine: row.medicine,
    establishment: row.establishment,
    period: row.period,
    quantity: row.quantity,
    need: row.need,
    tolerated: row.tolerated,
    policyVersion: row.policyVersion,
    status: row.status,
    flags: row.flags,
    ...(lines ? { lines: lines.map((l) => ({ patient: l.patient, administrations: l.administrations, vials: l.vials })) } : {}),
    submittedAt: row.submittedAt,
    decision: row.decidedAt !== null && row.deliveredQuantity !== null ? { quantity: row.deliveredQuantity, reason: row.decisionReason, decidedAt: row.decidedAt } : null,
  };
}
