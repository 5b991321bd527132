import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { KeyObject, createPrivateKey } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { newId } from '../common/database/ids';
import { SqlParams, placeholders } from '../common/database/sql-values';
import { queryPrepared } from '../common/database/prepared-query';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { APP_CONFIG, AppConfig } from '../config/config';
import { KnownHead, UnchainedEvent, chainEventsIn, verifyStoredChain } from './audit-chainer';
import { auditError } from './audit.errors';
import { AuditSequencer } from './audit-sequencer.service';
import { CheckedChain, storedJsonText } from './domain/audit-chain';
import { Checkpoint, checkpointNote, checkpointSignatureProblem, signCheckpoint } from './domain/checkpoint';
import { AuditCheckpointEntity } from './entities/audit-checkpoint.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { AuditPendingEntity } from './entities/audit-pending.entity';

export interface AuditChange {
  action: string;
  entity: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
  /** The establishment the change concerns; defaults to the actor's. */
  establishment?: string | null;
}

/** The columns of an `audit_pending` row as `record` writes them, `after` last. */
const PENDING_COLUMNS = 'at, actor_id, actor_name, role, establishment, action, entity, entity_id, before, after';

/** A value no change holds: where `pendingEventSql` puts the value SQL gives, found again in the canonical text. */
const AFTER_HOLE = '\u0000value-from-sql:7f3c9e2a-1b4d-4e8a-9c61-2d5f0a8b3e17';

/** A checkpoint as answered and exported: the signed fields, the key, and the same as a printable signed note. */
export interface CheckpointResponse extends Checkpoint {
  note: string;
}

@Injectable()
export class AuditService {
  private readonly signingKey: KeyObject;
  private readonly chainAfterCommit = (): Promise<void> => this.sequencer.flush();
  /** A SQLite run's events, held until its COMMIT (by the run's own manager). */
  private readonly held = new WeakMap<EntityManager, UnchainedEvent[]>();
  /**
   * The head this process last chained on SQLite: the next run tries it first (its conditional update is the check, so
   * a head that moved otherwise — a group rolled back, another writer — only costs the read it saved).
   */
  private knownHead: KnownHead | null = null;
  private readonly chainBeforeCommit = async (manager: EntityManager): Promise<void> => {
    const events = this.held.get(manager) ?? [];
    this.held.delete(manager);
    const known = this.knownHead;
    this.knownHead = null;
    this.knownHead = await chainEventsIn(manager, events, known);
  };

  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly sequencer: AuditSequencer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.signingKey = createPrivateKey(config.auditSigningKey);
  }

  /**
   * Appends one event inside the caller's transaction, so the change and its audit commit together.
   * On PostgreSQL, no lock: the event waits in `audit_pending` and the sequencer chains it right after
   * the commit (before the caller's UnitOfWork run resolves). SQLite has one writer at a time, so
   * there is no one to wait for: a UnitOfWork run holds its events and chains them last, before its
   * COMMIT (one commit a use case, and no `audit_pending` row written then deleted); a transaction
   * opened outside one leaves them in `audit_pending` for the sequencer's sweep. `before`/`after`
   * are stored as canonical JSON text.
   */
  async record(manager: EntityManager, actor: Actor, change: AuditChange): Promise<void> {
    const event = this.eventOf(actor, change);
    if (!this.unitOfWork.isPostgres) {
      const held = this.held.get(manager);
      if (held) {
        held.push(event);
        return;
      }
      if (this.unitOfWork.beforeCommit(manager, this.chainBeforeCommit)) {
        this.held.set(manager, [event]);
        return;
      }
    }
    // Events waiting in `audit_pending` are chained before any later one: the next SQLite run reads the head again.
    this.knownHead = null;
    await queryPrepared(manager, `INSERT INTO audit_pending (${PENDING_COLUMNS}) VALUES (${placeholders(manager, 10).join(', ')})`, [
      event.at,
      event.actor_id,
      event.actor_name,
      event.role,
      event.establishment,
      event.action,
      event.entity,
      event.entity_id,
      event.before,
      event.after,
    ]);
    if (this.unitOfWork.isPostgres) this.unitOfWork.afterCommit(manager, this.chainAfterCommit);
  }

  /**
   * `record` on PostgreSQL as the text of an insert, for a statement that writes its change and the event at once (a
   * WITH member): one of `after`'s top-level values, `fromSql.key`, is the value of the SQL integer expression
   * `fromSql.sql` (a rank the same statement takes), stored as the canonical JSON text `record` would store. Its
   * parameters are bound in `params`; the caller runs the statement in `manager`'s transaction.
   */
  pendingEventSql(manager: EntityManager, params: SqlParams, actor: Actor, change: AuditChange & { after: object }, fromSql: { key: string; sql: string }): string {
    if (!this.unitOfWork.isPostgres) throw new Error('pendingEventSql is for PostgreSQL');
    const event = this.eventOf(actor, { ...change, after: { ...change.after, [fromSql.key]: AFTER_HOLE } });
    const [head, tail, ...more] = event.after!.split(JSON.stringify(AFTER_HOLE));
    if (tail === undefined || more.length > 0) throw new Error(`pendingEventSql: ${fromSql.key} must be a top-level value of after`);
    this.unitOfWork.afterCommit(manager, this.chainAfterCommit);
    const values = [event.at, event.actor_id, event.actor_name, event.role, event.establishment, event.action, event.entity, event.entity_id, event.before].map((v) => params.bind(v));
    return `INSERT INTO audit_pending (${PENDING_COLUMNS}) VALUES (${values.join(', ')}, ${params.bind(head)} || CAST(${fromSql.sql} AS text) || ${params.bind(tail)})`;
  }

  private eventOf(actor: Actor, change: AuditChange): UnchainedEvent {
    const establishment = change.establishment === undefined ? actor.establishment : change.establishment;
    return {
      at: this.clock.now().toISOString(),
      actor_id: actor.userId,
      actor_name: actor.username,
      role: actor.role,
      establishment: establishment ?? null,
      action: change.action,
      entity: change.entity,
      entity_id: change.entityId,
      before: storedJsonText(change.before),
      after: storedJsonText(change.after),
    };
  }

  /**
   * Whether an event was recorded for this entity, chained or still waiting for the sequencer (in the caller's
   * transaction): lets a once-a-day report know it was already written without reading audit's tables itself.
   */
  async hasEvent(manager: EntityManager, entity: string, entityId: string): Promise<boolean> {
    if (this.held.get(manager)?.some((e) => e.entity === entity && e.entity_id === entityId)) return true;
    const where = { entity, entityId };
    return (await manager.getRepository(AuditPendingEntity).exists({ where })) || (await manager.getRepository(AuditEventEntity).exists({ where }));
  }

  async list(query: PageQueryDto & { entity?: string; entityId?: string; action?: string }): Promise<Page<AuditEventEntity>> {
    await this.sequencer.flush();
    const window = pageWindow(query, 100);
    const where: Record<string, string> = {};
    if (query.entity) where.entity = query.entity;
    if (query.entityId) where.entityId = query.entityId;
    if (query.action) where.action = query.action;
    const rows = await this.events.find({ where, order: { seq: 'ASC' }, skip: window.skip, take: window.take });
    return toPage(rows, window);
  }

  /** The latest events, newest first (the agency's page). */
  async latest(count: number): Promise<AuditEventEntity[]> {
    await this.sequencer.flush();
    return this.events.find({ order: { seq: 'DESC' }, take: count });
  }

  /**
   * Streams the whole chain (after chaining what is pending) and checks every link against the
   * given checkpoint or, without one, the latest checkpoint stored; a corrupt row is a break.
   */
  async verify(checkpoint: Checkpoint | null = null): Promise<CheckedChain> {
    await this.sequencer.flush();
    return this.verifyChain(checkpoint);
  }

  /** The latest checkpoint taken (daily or on demand). */
  async latestCheckpoint(): Promise<CheckpointResponse> {
    const row = await this.latestStoredCheckpoint();
    if (!row) throw auditError('AUDIT_CHECKPOINT_NOT_FOUND');
    return responseOf(row);
  }

  /** Signs the chain's current end once it verifies, stores the checkpoint apart from the chain, audited. */
  async takeCheckpoint(actor: Actor): Promise<CheckpointResponse> {
    await this.sequencer.flush();
    const chain = await this.verifyChain(null);
    if (!chain.ok) throw auditError('AUDIT_CHAIN_BROKEN', { event: chain.firstBrokenAt, reason: chain.reason });
    const checkpoint = signCheckpoint(this.signingKey, chain.last, this.clock.now().toISOString());
    await this.unitOfWork.run(async (manager) => {
      await manager.getRepository(AuditCheckpointEntity).insert({ id: newId(), ...checkpoint, takenBy: actor.username });
      await this.record(manager, actor, { action: 'audit.checkpointed', entity: 'audit-checkpoint', entityId: String(checkpoint.seq), after: { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at }, establishment: null });
    });
    return { ...checkpoint, note: checkpointNote(checkpoint) };
  }

  private async verifyChain(given: Checkpoint | null): Promise<CheckedChain & { last: { seq: number; hash: string } }> {
    const checkpoint = given ?? (await this.latestStoredCheckpoint());
    const problem = checkpoint ? checkpointSignatureProblem(checkpoint, this.signingKey) : null;
    const result = await verifyStoredChain(this.events.manager, checkpoint && !problem ? checkpoint : null);
    if (!checkpoint || !problem) return result;
    return { ...result, ok: false, reason: result.reason ?? problem, checkpoint: { seq: checkpoint.seq, ok: false, reason: problem } };
  }

  private async latestStoredCheckpoint(): Promise<AuditCheckpointEntity | null> {
    return this.events.manager.getRepository(AuditCheckpointEntity).findOne({ where: {}, order: { seq: 'DESC', at: 'DESC' } });
  }
}

function responseOf(row: AuditCheckpointEntity): CheckpointResponse {
  const checkpoint: Checkpoint = { seq: row.seq, hash: row.hash, at: row.at, signature: row.signature, publicKey: row.publicKey };
  return { ...checkpoint, note: checkpointNote(checkpoint) };
}
