import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThanOrEqual, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeEstablishment } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { isUniqueViolation } from '../common/database/database-errors';
import { newId } from '../common/database/ids';
import { insertChunks } from '../common/database/insert-chunks';
import { UnitOfWork } from '../common/database/unit-of-work';
import { isPeriod } from '../common/domain/period';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { checkFiness } from '../common/domain/finess';
import { judgeDeclaration } from './domain/followed-patients';
import { CreateEstablishmentDto, EstablishmentResponse, FollowedPatientsAnswer, PendingDeclaration } from './dto/establishment.dto';
import { EstablishmentEntity } from './entities/establishment.entity';
import { FollowedPatientsDeclarationEntity } from './entities/followed-patients-declaration.entity';
import { FollowedPatientsEntity } from './entities/followed-patients.entity';
import { establishmentError } from './establishments.errors';

/** A centre the demo loads (fictitious), with its followed-patient counts by period. */
export interface DemoEstablishment {
  finess: string;
  name: string;
  region: string;
  category: string;
  transplantCentre: boolean;
  followed: { period: string; count: number }[];
}

@Injectable()
export class EstablishmentsService {
  constructor(
    @InjectRepository(EstablishmentEntity) private readonly establishments: Repository<EstablishmentEntity>,
    @InjectRepository(FollowedPatientsEntity) private readonly followed: Repository<FollowedPatientsEntity>,
    @InjectRepository(FollowedPatientsDeclarationEntity) private readonly declarations: Repository<FollowedPatientsDeclarationEntity>,
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
    if (!row || !canSeeEstablishment(actor, finess)) throw establishmentError('ESTABLISHMENT_NOT_FOUND', { establishment: finess });
    const count = await this.followedPatientsAt(finess, this.clock.period());
    return { ...toResponse(row), followedPatients: count };
  }

  async create(actor: Actor, dto: CreateEstablishmentDto): Promise<EstablishmentResponse> {
    const checked = checkFiness(dto.finess);
    if (!checked.ok) throw establishmentError('FINESS_INVALID', { finess: String(dto.finess) }, [{ field: 'finess', reason: checked.error }]);
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
        if (isUniqueViolation(error)) throw establishmentError('ESTABLISHMENT_EXISTS', { establishment: checked.value }, [{ field: 'finess', reason: 'already exists' }]);
        throw error;
      }
      await this.audit.record(manager, actor, { action: 'establishment.created', entity: 'establishment', entityId: row.finess, after: toResponse(row), establishment: row.finess });
      return toResponse(row);
    });
  }

  /**
   * PUT followed-patients (SPEC §11, #12.7): the agency's count is approved at once; an establishment's
   * is a proposal, applied alone only within the tolerance of the last approved count, else pending.
   */
  async setFollowedPatients(actor: Actor, finess: string, period: string, count: number): Promise<FollowedPatientsAnswer> {
    this.checkTarget(actor, finess, period);
    return this.unitOfWork.run(async (manager) => {
      const exists = await manager.getRepository(EstablishmentEntity).exists({ where: { finess } });
      if (!exists) throw establishmentError('ESTABLISHMENT_NOT_FOUND', { establishment: finess });
      const base = await this.approvedAt(manager, finess, period);
      const judged = actor.role === 'agency' ? null : judgeDeclaration(count, base);
      const declarations = manager.getRepository(FollowedPatientsDeclarationEntity);
      const superseded = await declarations.find({ where: { finess, period, status: 'proposed' } });
      if (superseded.length > 0) await declarations.update({ finess, period, status: 'proposed' }, { status: 'superseded' });
      const now = this.clock.now().toISOString();
      const approved = judged === null || judged.status === 'approved';
      const declaration: FollowedPatientsDeclarationEntity = {
        id: newId(),
        finess,
        period,
        count,
        baseCount: base,
        status: approved ? 'approved' : 'proposed',
        approvedCount: approved ? count : null,
        declaredBy: actor.username,
        declaredAt: now,
        decidedBy: approved ? (judged === null ? actor.username : 'system') : null,
        decidedAt: approved ? now : null,
        reason: judged?.reason ?? null,
      };
      await declarations.insert(declaration);
      await this.audit.record(manager, actor, {
        action: approved ? 'establishment.followed-patients.set' : 'establishment.followed-patients.proposed',
        entity: 'followed-patients',
        entityId: `${finess}/${period}`,
        before: { approvedCount: base, supersededProposals: superseded.map((d) => d.count) },
        after: { declared: count, status: declaration.status, approvedCount: approved ? count : base, rule: judged?.reason ?? 'AGENCY' },
        establishment: finess,
      });
      if (approved) await this.applyApproved(manager, finess, period, count);
      return { finess, period, status: approved ? 'approved' : 'proposed', count, approvedCount: approved ? count : base };
    });
  }

  /** The agency approves the pending declaration, possibly correcting its count. */
  async approveFollowedPatients(actor: Actor, finess: string, period: string, corrected: number | undefined): Promise<FollowedPatientsAnswer> {
    this.checkTarget(actor, finess, period);
    return this.unitOfWork.run(async (manager) => {
      const pending = await this.pendingOf(manager, finess, period);
      const count = corrected ?? pending.count;
      const now = this.clock.now().toISOString();
      await manager.getRepository(FollowedPatientsDeclarationEntity).update({ id: pending.id }, { status: 'approved', approvedCount: count, decidedBy: actor.username, decidedAt: now });
      await this.audit.record(manager, actor, {
        action: 'establishment.followed-patients.approved',
        entity: 'followed-patients',
        entityId: `${finess}/${period}`,
        before: { declared: pending.count, approvedCount: pending.baseCount, declaredBy: pending.declaredBy },
        after: { approvedCount: count, corrected: count !== pending.count },
        establishment: finess,
      });
      await this.applyApproved(manager, finess, period, count);
      return { finess, period, status: 'approved', count: pending.count, approvedCount: count };
    });
  }

  /** The agency rejects the pending declaration: the approved count stays. */
  async rejectFollowedPatients(actor: Actor, finess: string, period: string, reason: string | undefined): Promise<FollowedPatientsAnswer> {
    this.checkTarget(actor, finess, period);
    return this.unitOfWork.run(async (manager) => {
      const pending = await this.pendingOf(manager, finess, period);
      const base = await this.approvedAt(manager, finess, period);
      await manager.getRepository(FollowedPatientsDeclarationEntity).update({ id: pending.id }, { status: 'rejected', decidedBy: actor.username, decidedAt: this.clock.now().toISOString(), reason: reason ?? null });
      await this.audit.record(manager, actor, {
        action: 'establishment.followed-patients.rejected',
        entity: 'followed-patients',
        entityId: `${finess}/${period}`,
        before: { declared: pending.count, approvedCount: base, declaredBy: pending.declaredBy },
        after: { approvedCount: base, reason: reason ?? null },
        establishment: finess,
      });
      return { finess, period, status: 'rejected', count: pending.count, approvedCount: base };
    });
  }

  /** Declarations waiting for the agency, oldest first, with the approved count each would replace. */
  async pendingDeclarations(query: PageQueryDto): Promise<Page<PendingDeclaration>> {
    const window = pageWindow(query, 100);
    const rows = await this.declarations.find({ where: { status: 'proposed' }, order: { declaredAt: 'ASC', id: 'ASC' }, skip: window.skip, take: window.take });
    const names = new Map((await this.establishments.find({ select: { finess: true, name: true } })).map((e) => [e.finess, e.name]));
    return toPage(
      rows.map((d) => ({ finess: d.finess, name: names.get(d.finess) ?? d.finess, period: d.period, count: d.count, approvedCount: d.baseCount, changePct: d.baseCount ? Math.round(((d.count - d.baseCount) * 1000) / d.baseCount) / 10 : null, declaredBy: d.declaredBy, declaredAt: d.declaredAt })),
      window,
    );
  }

  private checkTarget(actor: Actor, finess: string, period: string): void {
    if (!isPeriod(period)) throw establishmentError('PERIOD_INVALID', { period }, [{ field: 'period', reason: 'must be a month YYYY-MM (01 to 12)' }]);
    if (!canSeeEstablishment(actor, finess)) throw establishmentError('ESTABLISHMENT_NOT_FOUND', { establishment: finess });
  }

  private async pendingOf(manager: EntityManager, finess: string, period: string): Promise<FollowedPatientsDeclarationEntity> {
    const pending = await manager.getRepository(FollowedPatientsDeclarationEntity).findOne({ where: { finess, period, status: 'proposed' } });
    if (!pending) throw establishmentError('NO_PENDING_DECLARATION', { establishment: finess, period });
    return pending;
  }

  private async approvedAt(manager: EntityManager, finess: string, period: string): Promise<number | null> {
    const row = await manager.getRepository(FollowedPatientsEntity).findOne({ where: { finess, period: LessThanOrEqual(period) }, order: { period: 'DESC' } });
    return row?.count ?? null;
  }

  /** Only approved counts reach `followed_patients`, the table every allocation reads. */
  private async applyApproved(manager: EntityManager, finess: string, period: string, count: number): Promise<void> {
    await manager.getRepository(FollowedPatientsEntity).upsert({ finess, period, count, updatedAt: this.clock.now().toISOString() }, ['finess', 'period']);
  }

  /** The approved count in force for a period: the latest approved at or before it (pending declarations never count). */
  /** The demo's centres, marked fictitious, then their followed-patient counts, in the caller's transaction. */
  async addDemoCentres(manager: EntityManager, centres: readonly DemoEstablishment[], at: string): Promise<void> {
    await insertChunks(manager, EstablishmentEntity, centres.map((c) => ({
      finess: c.finess, name: c.name, region: c.region, category: c.category, transplantCentre: c.transplantCentre, fictitious: true, createdAt: at,
    })));
    await insertChunks(manager, FollowedPatientsEntity, centres.flatMap((c) => c.followed.map(({ period, count }) => ({ finess: c.finess, period, count, updatedAt: at }))));
  }

  async followedPatientsAt(finess: string, period: string): Promise<number | null> {
    const row = await this.followed.findOne({ where: { finess, period: LessThanOrEqual(period) }, order: { period: 'DESC' } });
    return row?.count ?? null;
  }

  /** Every centre's approved count in force for a period (for apportionment), read in the caller's transaction. */
  async followedAt(manager: EntityManager, period: string): Promise<Map<string, number>> {
    const rows = await manager.getRepository(FollowedPatientsEntity).find({ where: { period: LessThanOrEqual(period) }, order: { period: 'ASC' } });
    const out = new Map<string, number>();
    for (const row of rows) out.set(row.finess, row.count);
    return out;
  }

  /** Whether an establishment with this FINESS exists (read in the caller's transaction when given). */
  async exists(finess: string, manager: EntityManager = this.establishments.manager): Promise<boolean> {
    return manager.getRepository(EstablishmentEntity).exists({ where: { finess } });
  }

  /** Every establishment's FINESS, region and category (for reports). */
  async profiles(manager: EntityManager = this.establishments.manager): Promise<{ finess: string; region: string; category: string }[]> {
    const rows = await manager.getRepository(EstablishmentEntity).find({ select: { finess: true, region: true, category: true }, order: { finess: 'ASC' } });
    return rows.map((r) => ({ finess: r.finess, region: r.region, category: r.category }));
  }
}

function toResponse(row: EstablishmentEntity): EstablishmentResponse {
  return { finess: row.finess, name: row.name, region: row.region, category: row.category, transplantCentre: row.transplantCentre, fictitious: row.fictitious };
}
