import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, Not } from 'typeorm';
import { AuditChange, AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { requestEvent } from '../common/domain/notification-events';
import { isUniqueViolation } from '../common/database/database-errors';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { dateOf, periodOf } from '../common/domain/period';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { PoliciesService } from '../medicines/policies.service';
import { allocationRefusalToError, reasons, refusals } from './domain/allocation.errors';
import { Decision, tallyVotes } from './domain/decide';
import { CommitteeQueueItem, InitiationRequestResponse, VoteDto } from './dto/initiation-request.dto';
import { CommitteeVoteEntity } from './entities/committee-vote.entity';
import { InitiationRequestEntity } from './entities/initiation-request.entity';
import { decisionAudit, toQueueItem, toRequestResponse, votesOf } from './initiation-request.mapper';
import { canSeeRequest, requestNotFound } from './initiation-requests.service';
import { PeriodLifecycle } from './period-lifecycle.service';
import { SlotDecisions } from './slot-decisions.service';

@Injectable()
export class CommitteeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly lifecycle: PeriodLifecycle,
    private readonly decisions: SlotDecisions,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  /** Urgent requests awaiting review, oldest first, pseudonymised, the member's own establishment left out (SPEC §5). */
  async queue(actor: Actor, query: PageQueryDto): Promise<Page<CommitteeQueueItem>> {
    const window = pageWindow(query, 50);
    const where: FindOptionsWhere<InitiationRequestEntity> = { status: 'pending_review' };
    if (actor.establishment) where.establishment = Not(actor.establishment);
    const manager = this.unitOfWork.dataSource.manager;
    const rows = await manager.getRepository(InitiationRequestEntity).find({ where, order: { submittedAt: 'ASC', id: 'ASC' }, skip: window.skip, take: window.take });
    const votes = await votesOf(manager, rows.map((r) => r.id));
    const now = this.clock.now();
    const required = new Map<string, number>();
    for (const r of rows) {
      if (!required.has(r.medicine)) required.set(r.medicine, (await this.policies.inForce(r.medicine, this.clock.today()))?.votesRequired ?? 1);
    }
    return toPage(rows.map((r) => toQueueItem(r, votes.get(r.id) ?? [], required.get(r.medicine) ?? 1, actor.userId, now)), window);
  }

  /**
   * A member's vote (SPEC §5): never on their own establishment's request (404, existence not
   * leaked), once per member (409), only while pending (409). When the policy's number of votes of
   * one kind is reached the request is decided: approved → granted from national capacity, or
   * waitlisted heading the next period's queue with the agency alerted; rejected → rejected.
   */
  async vote(actor: Actor, id: string, dto: VoteDto): Promise<InitiationRequestResponse> {
    if (dto.rationale.trim() === '') throw allocationRefusalToError(refusals.rationaleRequired());
    return this.unitOfWork.run((manager) => this.voteIn(manager, actor, id, dto, this.clock.now()));
  }

  async voteIn(manager: EntityManager, actor: Actor, id: string, dto: VoteDto, now: Date): Promise<InitiationRequestResponse> {
    const repo = manager.getRepository(InitiationRequestEntity);
    const found = await repo.findOne({ where: { id } });
    if (!found || !canSeeRequest(actor, found)) throw requestNotFound(id);
    await this.unitOfWork.lock(manager, `request:${id}`);
    const request = (await repo.findOne({ where: { id } }))!;
    const votes = manager.getRepository(CommitteeVoteEntity);
    if (await votes.exists({ where: { requestId: id, memberId: actor.userId } })) throw allocationRefusalToError(refusals.alreadyVoted(id));
    if (request.status !== 'pending_review') throw allocationRefusalToError(refusals.notPendingReview(id, request.status));
    const vote = votes.create({ id: newId(), requestId: id, memberId: actor.userId, memberName: actor.username, memberEstablishment: actor.establishment, decision: dto.decision, rationale: dto.rationale, votedAt: now.toISOString() });
    try {
      await votes.insert(vote);
    } catch (error: unknown) {
      if (isUniqueViolation(error)) throw allocationRefusalToError(refusals.alreadyVoted(id));
      throw error;
    }
    // Decide (which may take a national slot) before the first audit append: counters, then the audit chain lock, in every use case.
    const audited = await this.decide(manager, actor, request, now);
    await this.audit.record(manager, actor, { action: 'committee.voted', entity: 'initiation-request', entityId: id, before: null, after: { decision: dto.decision, rationale: dto.rationale }, establishment: request.establishment });
    for (const change of audited) await this.audit.record(manager, actor, change);
    if ((request.status as string) !== 'pending_review') await this.notifier?.notify(manager, requestEvent('REQUEST_DECIDED', request));
    if ((request.status as string) === 'waitlisted') await this.notifier?.notify(manager, requestEvent('URGENT_APPROVED_WITHOUT_CAPACITY', request));
    return toRequestResponse(request, (await votesOf(manager, [id])).get(id));
  }

  /** Applies the tally; `request` is updated in place. Returns the audit events to append. */
  private async decide(manager: EntityManager, actor: Actor, request: InitiationRequestEntity, now: Date): Promise<AuditChange[]> {
    const today = dateOf(now);
    const period = periodOf(now);
    const policy = (await this.policies.inForce(request.medicine, today, manager)) ?? (await this.policies.versions(request.medicine, manager)).find((p) => p.version === request.policyVersion);
    if (!policy) throw allocationRefusalToError(refusals.noPolicyInForce(request.medicine, today));
    const all = (await votesOf(manager, [request.id])).get(request.id) ?? [];
    const tally = tallyVotes(all, policy.votesRequired);
    if (tally.outcome === 'pending') return [];
    const before = decisionAudit(request);
    const at = now.toISOString();
    let decision: Decision | { status: 'rejected'; reason: ReturnType<typeof reasons.committeeRejected> };
    if (tally.outcome === 'rejected') {
      decision = { status: 'rejected', reason: reasons.committeeRejected(tally.rejections, policy.votesRequired) };
    } else if (policy.mode === 'unrestricted') {
      decision = { status: 'granted', reason: reasons.grantedUnrestricted(policy.version), consumes: { kind: 'none' } };
    } else {
      const row = await this.lifecycle.prepare(manager, actor, request.medicine, period, policy);
      decision = await this.decisions.decideUrgent(manager, row);
    }
    const change = {
      status: decision.status,
      period,
      policyVersion: policy.version,
      reasonCode: decision.reason.code,
      reasonMessage: decision.reason.message,
      reasonParams: decision.reason.params,
      decidedAt: at,
      approvedAt: tally.outcome === 'approved' ? at : null,
      grantedAt: decision.status === 'granted' ? at : null,
      slotKind: decision.status === 'granted' && 'consumes' in decision && decision.consumes.kind !== 'none' ? decision.consumes.kind : null,
      slotPeriod: decision.status === 'granted' && 'consumes' in decision && decision.consumes.kind !== 'none' ? period : null,
    } satisfies Partial<InitiationRequestEntity>;
    Object.assign(request, change);
    await manager.getRepository(InitiationRequestEntity).update({ id: request.id }, change);
    const changes: AuditChange[] = [{ action: 'initiation-request.decided', entity: 'initiation-request', entityId: request.id, before, after: { ...decisionAudit(request), approvals: tally.approvals, rejections: tally.rejections }, establishment: request.establishment }];
    if (decision.status === 'waitlisted') {
      // SPEC §4 rule 3: an urgent request approved with no capacity left heads the next period's queue, and the agency is alerted.
      changes.push({
        action: 'agency.alert.urgent-waitlisted',
        entity: 'initiation-request',
        entityId: request.id,
        after: { medicine: request.medicine, period, reason: decision.reason, policyVersion: policy.version },
        establishment: null,
      });
    }
    return changes;
  }

  /** Pending reviews past their deadline (SPEC §5, reported every day): one audit event a day listing them. */
  async reportOverdue(actor: Actor): Promise<{ date: string; overdue: { id: string; medicine: string; deadline: string | null }[] }> {
    return this.unitOfWork.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const pending = await manager.getRepository(InitiationRequestEntity).find({ where: { status: 'pending_review' }, order: { submittedAt: 'ASC', id: 'ASC' } });
      const overdue = pending.filter((r) => r.deadline !== null && r.deadline < now).map((r) => ({ id: r.id, medicine: r.medicine, establishment: r.establishment, deadline: r.deadline }));
      const date = this.clock.today();
      const entityId = `committee-overdue/${date}`;
      const already = await this.audit.hasEvent(manager, 'committee', entityId);
      if (overdue.length > 0 && !already) {
        await this.audit.record(manager, actor, { action: 'committee.overdue-reported', entity: 'committee', entityId, after: { date, overdue }, establishment: null });
      }
      return { date, overdue: overdue.map((o) => ({ id: o.id, medicine: o.medicine, deadline: o.deadline })) };
    });
  }
}
