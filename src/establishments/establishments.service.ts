import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThanOrEqual, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeEstablishment } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { isUniqueViolation } from '../common/database/database-errors';
import { UnitOfWork } from '../common/database/unit-of-work';
import { isPeriod } from '../common/domain/period';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { checkFiness } from './domain/finess';
import { CreateEstablishmentDto, EstablishmentResponse } from './dto/establishment.dto';
import { EstablishmentEntity } from './entities/establishment.entity';
import { FollowedPatientsEntity } from './entities/followed-patients.entity';
import { establishmentError } from './establishments.errors';

@Injectable()
export class EstablishmentsService {
  constructor(
    @InjectRepository(EstablishmentEntity) private readonly establishments: Repository<EstablishmentEntity>,
    @InjectRepository(FollowedPatientsEntity) private readonly followed: Repository<FollowedPatientsEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: PageQueryDto): Promise<Page<EstablishmentResponse>> {
    const window = pageWindow(query, 100);
    const rows = await this.establishments.find({ order: { finess: 'ASC' }, skip: window.skip, take: window.take });
    return toPage(rows.map(toResponse), window);
  }

  /** An establishment-bound user asking for another establishment gets a 404 (SPEC §1). */
  async get(actor: Actor, finess: string): Promise<EstablishmentResponse> {
    const row = await this.establishments.findOne({ where: { finess } });
    if (!row || !canSeeEstablishment(actor, finess)) throw establishmentError('ESTABLISHMENT_NOT_FOUND', `No establishment ${finess}.`);
    const count = await this.followedPatientsAt(finess, this.clock.period());
    return { ...toResponse(row), followedPatients: count };
  }

  async create(actor: Actor, dto: CreateEstablishmentDto): Promise<EstablishmentResponse> {
    const checked = checkFiness(dto.finess);
    if (!checked.ok) throw establishmentError('FINESS_INVALID', `FINESS ${dto.finess} is not valid: ${checked.error}.`, [{ field: 'finess', reason: checked.error }]);
    return this.unitOfWork.run(async (manager) => {
      const row = manager.getRepository(EstablishmentEntity).create({
        finess: checked.value,
        name: dto.name,
        region: dto.region,
        category: dto.category,
        transplantCentre: dto.transplantCentre,
        fictitious: false,
        createdAt: this.clock.now().toISOString(),
      });
      try {
        await manager.getRepository(EstablishmentEntity).insert(row);
      } catch (error: unknown) {
        if (isUniqueViolation(error)) throw establishmentError('ESTABLISHMENT_EXISTS', `Establishment ${checked.value} already exists.`, [{ field: 'finess', reason: 'already exists' }]);
        throw error;
      }
      await this.audit.record(manager, actor, { action: 'establishment.created', entity: 'establishment', entityId: row.finess, after: toResponse(row), establishment: row.finess });
      return toResponse(row);
    });
  }

  async setFollowedPatients(actor: Actor, finess: string, period: string, count: number): Promise<{ finess: string; period: string; count: number }> {
    if (!isPeriod(period)) throw establishmentError('PERIOD_INVALID', `Period ${period} is not a month YYYY-MM.`, [{ field: 'period', reason: 'must be a month YYYY-MM (01 to 12)' }]);
    if (!canSeeEstablishment(actor, finess)) throw establishmentError('ESTABLISHMENT_NOT_FOUND', `No establishment ${finess}.`);
    return this.unitOfWork.run(async (manager) => {
      const exists = await manager.getRepository(EstablishmentEntity).exists({ where: { finess } });
      if (!exists) throw establishmentError('ESTABLISHMENT_NOT_FOUND', `No establishment ${finess}.`);
      const repo = manager.getRepository(FollowedPatientsEntity);
      const before = await repo.findOne({ where: { finess, period } });
      await repo.upsert({ finess, period, count, updatedAt: this.clock.now().toISOString() }, ['finess', 'period']);
      await this.audit.record(manager, actor, {
        action: 'establishment.followed-patients.set',
        entity: 'followed-patients',
        entityId: `${finess}/${period}`,
        before: before ? { count: before.count } : null,
        after: { count },
        establishment: finess,
      });
      return { finess, period, count };
    });
  }

  /** The count in force for a period: the latest declared at or before it. */
  async followedPatientsAt(finess: string, period: string): Promise<number | null> {
    const row = await this.followed.findOne({ where: { finess, period: LessThanOrEqual(period) }, order: { period: 'DESC' } });
    return row?.count ?? null;
  }

  /** Every centre's count in force for a period (for apportionment), inside the caller's transaction when given one. */
  async allFollowedPatientsAt(period: string, manager?: EntityManager): Promise<Map<string, number>> {
    const repo = manager ? manager.getRepository(FollowedPatientsEntity) : this.followed;
    const rows = await repo.find({ where: { period: LessThanOrEqual(period) }, order: { period: 'ASC' } });
    const out = new Map<string, number>();
    for (const row of rows) out.set(row.finess, row.count);
    return out;
  }
}

function toResponse(row: EstablishmentEntity): EstablishmentResponse {
  return { finess: row.finess, name: row.name, region: row.region, category: row.category, transplantCentre: row.transplantCentre, fictitious: row.fictitious };
}
