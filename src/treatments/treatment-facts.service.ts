import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PeriodFactTables, TreatmentFact, TreatmentFacts } from '../common/contracts/treatment-facts';
import { periodBounds } from '../common/domain/period';
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

/**
 * The treatments' half of TREATMENT_FACTS (the orders module adds `ordersInPeriod` and provides the
 * contract): one query (a left join to the transfers) grouped in memory, so a period of 100,000
 * treated patients costs one round trip, not one per treatment.
 */
@Injectable()
export class TreatmentFactsService implements Pick<TreatmentFacts, 'treatmentsInPeriod'> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** TREATMENT_FACTS: the medicine's treatments started by the period's last day, with their transfers (one query). */
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

  /** The treatments' half of TREATMENT_FACTS.stagePeriodFacts: the same treatments and their transfers, copied in SQL. */
  async stageTreatments(manager: EntityManager, medicine: string, period: string, tables: Pick<PeriodFactTables, 'treatments' | 'transfers'>): Promise<void> {
    const { last } = periodBounds(period);
    const [a, b] = manager.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    await manager.query(
      `INSERT INTO ${tables.treatments} (id, patient, establishment, start_date, stop_date) ` +
        `SELECT id, patient, establishment, start_date, stop_date FROM treatments WHERE medicine = ${a} AND start_date <= ${b}`,
      [medicine, last],
    );
    await manager.query(
      `INSERT INTO ${tables.transfers} (treatment_id, seq, date, from_establishment, to_establishment) ` +
        `SELECT x.treatment_id, ROW_NUMBER() OVER (PARTITION BY x.treatment_id ORDER BY x.date, x.declared_at, x.id), x.date, x.from_establishment, x.to_establishment ` +
        `FROM treatment_transfers x JOIN treatments t ON t.id = x.treatment_id WHERE t.medicine = ${a} AND t.start_date <= ${b}`,
      [medicine, last],
    );
  }
}
