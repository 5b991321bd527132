import { EntityManager, In } from 'typeorm';
import { TreatmentRecord, TransferLeg } from './domain/treatment-view';
import { TreatmentTransferEntity } from './entities/treatment-transfer.entity';
import { TreatmentEntity } from './entities/treatment.entity';

/** Treatments with their transfers, read in one more query (never one per treatment). */
export async function withTransfers(manager: EntityManager, rows: TreatmentEntity[]): Promise<TreatmentRecord[]> {
  if (rows.length === 0) return [];
  const legs = new Map<string, TransferLeg[]>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const transfers = await manager.getRepository(TreatmentTransferEntity).find({ where: { treatmentId: In(ids.slice(i, i + 500)) }, order: { date: 'ASC', declaredAt: 'ASC' } });
    for (const t of transfers) {
      const list = legs.get(t.treatmentId) ?? [];
      list.push({ date: t.date, from: t.fromEstablishment, to: t.toEstablishment });
      legs.set(t.treatmentId, list);
    }
  }
  return rows.map((r) => toRecord(r, legs.get(r.id) ?? []));
}

export function toRecord(r: TreatmentEntity, transfers: TransferLeg[]): TreatmentRecord {
  return {
    id: r.id,
    patient: r.patient,
    medicine: r.medicine,
    indication: r.indication,
    requestId: r.requestId,
    policyVersion: r.policyVersion,
    status: r.status,
    establishment: r.establishment,
    establishmentSince: r.establishmentSince,
    startDate: r.startDate,
    weightKg: Number(r.weightKg),
    stopDate: r.stopDate,
    stopReason: r.stopReason,
    transfers,
  };
}
