import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { ChainVerification, GENESIS_HASH, hashAuditEvent, verifyAuditChain } from './domain/audit-chain';
import { AuditEventEntity } from './entities/audit-event.entity';
import { AuditHeadEntity } from './entities/audit-head.entity';

export interface AuditChange {
  action: string;
  entity: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
  /** The establishment the change concerns; defaults to the actor's. */
  establishment?: string | null;
}

const CHAIN_LOCK = 'audit-chain';

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one event inside the caller's transaction, so the change and its audit commit together.
   * The chain lock serialises appends on PostgreSQL (SQLite writers are already serial).
   */
  async record(manager: EntityManager, actor: Actor, change: AuditChange): Promise<AuditEventEntity> {
    await this.unitOfWork.lock(manager, CHAIN_LOCK);
    const last = await manager.getRepository(AuditEventEntity).find({ order: { seq: 'DESC' }, take: 1 });
    const content = {
      seq: (last[0]?.seq ?? 0) + 1,
      at: this.clock.now().toISOString(),
      actorId: actor.userId,
      actorName: actor.username,
      role: actor.role,
      establishment: change.establishment === undefined ? actor.establishment : change.establishment,
      action: change.action,
      entity: change.entity,
      entityId: change.entityId,
      before: change.before ?? null,
      after: change.after ?? null,
      prevHash: last[0]?.hash ?? GENESIS_HASH,
    };
    const row = manager.getRepository(AuditEventEntity).create({ ...content, hash: hashAuditEvent(content) });
    await manager.getRepository(AuditEventEntity).insert(row);
    await manager.getRepository(AuditHeadEntity).upsert({ id: 1, seq: row.seq, hash: row.hash }, ['id']);
    return row;
  }

  async list(query: PageQueryDto & { entity?: string; entityId?: string; action?: string }): Promise<Page<AuditEventEntity>> {
    const window = pageWindow(query, 100);
    const where: Record<string, string> = {};
    if (query.entity) where.entity = query.entity;
    if (query.entityId) where.entityId = query.entityId;
    if (query.action) where.action = query.action;
    const rows = await this.events.find({ where, order: { seq: 'ASC' }, skip: window.skip, take: window.take });
    return toPage(rows, window);
  }

  /** Reads the whole chain in sequence order, in batches, and checks every link. */
  async verify(): Promise<ChainVerification> {
    const all: AuditEventEntity[] = [];
    const batch = 5000;
    for (let skip = 0; ; skip += batch) {
      const rows = await this.events.find({ order: { seq: 'ASC' }, skip, take: batch });
      all.push(...rows);
      if (rows.length < batch) break;
    }
    const head = await this.events.manager.getRepository(AuditHeadEntity).findOne({ where: { id: 1 } });
    return verifyAuditChain(all, head ? { seq: head.seq, hash: head.hash } : null);
  }
}
