import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { insertChunks } from '../common/database/insert-chunks';
import { IndicationEntity } from './entities/indication.entity';
import { MedicineEntity } from './entities/medicine.entity';
import { medicineError } from './medicines.errors';

export interface MedicineResponse {
  code: string;
  name: string;
  unit: string;
  unitMg: number;
  scheme: string;
  indications: { code: string; name: string }[];
}

/** A medicine a scheme's data adds (the demo's, the schemes of config/), with its indications: the shape it is answered in. */
export type NewMedicine = MedicineResponse;

@Injectable()
export class MedicinesService {
  constructor(
    @InjectRepository(MedicineEntity) private readonly medicines: Repository<MedicineEntity>,
    @InjectRepository(IndicationEntity) private readonly indications: Repository<IndicationEntity>,
  ) {}

  async list(): Promise<MedicineResponse[]> {
    const [medicines, indications] = await Promise.all([this.medicines.find({ order: { code: 'ASC' } }), this.indications.find({ order: { code: 'ASC' } })]);
    return medicines.map((m) => toResponse(m, indications.filter((i) => i.medicineCode === m.code)));
  }

  async get(code: string): Promise<MedicineResponse> {
    const medicine = await this.require(code);
    const indications = await this.indications.find({ where: { medicineCode: code }, order: { code: 'ASC' } });
    return toResponse(medicine, indications);
  }

  /** One indication of a medicine, or null when the medicine has no such indication (read in the caller's transaction when given). */
  async indication(medicine: string, code: string, manager: EntityManager = this.indications.manager): Promise<IndicationEntity | null> {
    return manager.getRepository(IndicationEntity).findOne({ where: { medicineCode: medicine, code } });
  }

  /** Adds the medicines, then all their indications, in the caller's transaction (demo data). */
  async addMedicines(manager: EntityManager, medicines: readonly NewMedicine[], at: string): Promise<void> {
    await insertChunks(manager, MedicineEntity, medicines.map((m) => ({ code: m.code, name: m.name, unit: m.unit, unitMg: m.unitMg, scheme: m.scheme, createdAt: at })));
    await insertChunks(manager, IndicationEntity, medicines.flatMap((m) => m.indications.map((i) => ({ medicineCode: m.code, code: i.code, name: i.name }))));
  }

  /** The codes of the medicines under a scheme (e.g. `rationing`), in code order. */
  async codesOfScheme(scheme: string, manager: EntityManager = this.medicines.manager): Promise<string[]> {
    const rows = await manager.getRepository(MedicineEntity).find({ select: { code: true }, where: { scheme }, order: { code: 'ASC' } });
    return rows.map((m) => m.code);
  }

  /** Whether a medicine with this code exists (read in the caller's transaction when given). */
  async exists(code: string, manager: EntityManager = this.medicines.manager): Promise<boolean> {
    return manager.getRepository(MedicineEntity).exists({ where: { code } });
  }

  /** The medicine, or a 404 problem naming it (read in the caller's transaction when given). */
  async require(code: string, manager: EntityManager = this.medicines.manager): Promise<MedicineEntity> {
    const medicine = await manager.getRepository(MedicineEntity).findOne({ where: { code } });
    if (!medicine) throw medicineError('MEDICINE_NOT_FOUND', { medicine: code }, [{ field: 'medicine', reason: 'is not a known medicine' }]);
    return medicine;
  }
}

function toResponse(m: MedicineEntity, indications: IndicationEntity[]): MedicineResponse {
  return { code: m.code, name: m.name, unit: m.unit, unitMg: m.unitMg, scheme: m.scheme, indications: indications.map((i) => ({ code: i.code, name: i.name })) };
}
