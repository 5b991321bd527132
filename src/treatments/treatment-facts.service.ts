import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ActiveTreatments } from '../common/contracts/active-treatments';
import { OrderFact, TreatmentFact, TreatmentFacts } from '../common/contracts/treatment-facts';
import { periodBounds } from '../common/domain/period';
import { OrderLineEntity } from '../orders/entities/order-line.entity';
import { OrderEntity } from '../orders/entities/order.entity';
import { TreatmentTransferEntity } from './entities/treatment-transfer.entity';
import { TreatmentEntity } from './entities/treatment.entity';

interface TreatmentRow {
  id: string;
  patient: string;
  medicine: string;
  establishment: string;
  status: 'active' | 'stopped';
  start_date: string;
  stop_date: string | null;
  stop_reason: string | null;
  weight_kg: number | string;
  tr_date: string | null;
  tr_from: string | null;
  tr_to: string | null;
}

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

/**
 * What reconciliation reads of treatments and orders (TREATMENT_FACTS): each method is one query
 * (a left join to the transfers or the lines) grouped in memory, so a period of 100,000 treated
 * patients costs one round trip, not one per treatment.
 */
@Injectable()
export class TreatmentFactsService implements TreatmentFacts, ActiveTreatments {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** ACTIVE_TREATMENTS: one read by key (the unique index on patient and medicine of active treatments), in the caller's transaction. */
  hasActiveTreatment(manager: EntityManager, medicine: string, patient: string): Promise<boolean> {
    return manager.getRepository(TreatmentEntity).exists({ where: { patient, medicine, status: 'active' } });
  }

  async treatmentsInPeriod(medicine: string, period: string): Promise<TreatmentFact[]> {
    const { last } = periodBounds(period);
    const rows = await this.dataSource
      .createQueryBuilder()
      .from(TreatmentEntity, 't')
      .leftJoin(TreatmentTransferEntity, 'tr', 'tr.treatment_id = t.id')
      .select(['t.id AS id', 't.patient AS patient', 't.medicine AS medicine', 't.establishment AS establishment', 't.status AS status'])
      .addSelect(['t.start_date AS start_date', 't.stop_date AS stop_date', 't.stop_reason AS stop_reason', 't.weight_kg AS weight_kg'])
      .addSelect(['tr.date AS tr_date', 'tr.from_establishment AS tr_from', 'tr.to_establishment AS tr_to'])
      .where('t.medicine = :medicine', { medicine })
      .andWhere('t.start_date <= :last', { last })
      .orderBy('t.id', 'ASC')
      .addOrderBy('tr.date', 'ASC')
      .addOrderBy('tr.declared_at', 'ASC')
      .getRawMany<TreatmentRow>();
    const out: TreatmentFact[] = [];
    let current: TreatmentFact | undefined;
    for (const r of rows) {
      if (!current || current.id !== r.id) {
        current = {
          id: r.id,
          patient: r.patient,
          medicine: r.medicine,
          establishment: r.establishment,
          status: r.status,
          startDate: r.start_date,
          stopDate: r.stop_date,
          stopReason: r.stop_reason,
          weightKg: Number(r.weight_kg),
          transfers: [],
        };
        out.push(current);
      }
      if (r.tr_date !== null && r.tr_from !== null && r.tr_to !== null) current.transfers.push({ date: r.tr_date, from: r.tr_from, to: r.tr_to });
    }
    return out;
  }

  async ordersInPeriod(medicine: string, period: string): Promise<OrderFact[]> {
    const rows = await this.dataSource
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
}
