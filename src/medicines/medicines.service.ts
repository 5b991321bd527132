import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  /** The medicine, or a 404 problem naming it (read in the caller's transaction when given). */
  async require(code: string, manager: EntityManager = this.medicines.manager): Promise<MedicineEntity> {
    const medicine = await manager.getRepository(MedicineEntity).findOne({ where: { code } });
    if (!medicine) throw medicineError('MEDICINE_NOT_FOUND', { medicine: code }, [{ field: 'medicine', reason: `${code} is not a known medicine` }]);
    return medicine;
  }
}

function toResponse(m: MedicineEntity, indications: IndicationEntity[]): MedicineResponse {
  return { code: m.code, name: m.name, unit: m.unit, unitMg: m.unitMg, scheme: m.scheme, indications: indications.map((i) => ({ code: i.code, name: i.name })) };
}
