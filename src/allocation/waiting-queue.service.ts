import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { requestEvent } from '../common/domain/notification-events';
import { periodBounds } from '../common/domain/period';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
import { AllocationCounters, slotsOf, stateOf } from './allocation-counters.repository';
import { Reason } from './domain/allocation.errors';
import { WaitingRequest, serveWaitingQueue } from './domain/decide';
import { SlotTransfer, redistributeUnused } from './domain/period-end';
import { InitiationRequestEntity } from './entities/initiation-request.entity';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';
import { SlotDecisions } from './slot-decisions.service';

/**
 * The waiting queue of a medicine (SPEC §4 rules 3 and 5): served when capacity appears, and the
 * end-of-period redistribution of unused slots (SPEC §3). Runs inside the caller's transaction.
 */
@Injectable()
export class WaitingQueue {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly counters: AllocationCounters,
    private readonly decisions: SlotDecisions,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  /**
   * Serves the waiting queue of the medicine in this period (a new period, a recompute, a stop in
   * `freed-stock` mode, a supply declaration, a released slot): approved urgent requests first,
   * then each centre's quota requests in its rank order (SPEC §4 rules 3 and 5). Returns the grants.
   */
  async serveQueue(manager: EntityManager, actor: Actor, row: PeriodAllocationEntity, policy: PolicyEntity): Promise<InitiationRequestEntity[]> {
    const { medicine, period } = row;
    const requests = manager.getRepository(InitiationRequestEntity);
    const waiting = await requests.find({ where: { medicine, status: 'waitlisted' } });
    if (waiting.length === 0) return [];
    const current = (await this.counters.find(manager, medicine, period))!;
    const centres = await this.counters.centres(manager, medicine, period, [...new Set(waiting.map((w) => w.establishment))]);
    const plan = serveWaitingQueue(
      stateOf(current),
      centres.map((c) => slotsOf(c, c.finess)),
      waiting
        .filter((w) => w.kind === 'urgent' || w.kind === 'quota')
        .map((w): WaitingRequest => ({ id: w.id, kind: w.kind as 'urgent' | 'quota', finess: w.establishment, rank: w.rank, submittedAt: new Date(w.submittedAt), approvedAt: w.approvedAt ? new Date(w.approvedAt) : null })),
    );
    const byId = new Map(waiting.map((w) => [w.id, w]));
    const granted: InitiationRequestEntity[] = [];
    const now = this.clock.now().toISOString();
    for (const grant of plan.grants) {
      const request = byId.get(grant.id)!;
      let reason: Reason = grant.reason;
      if (grant.consumes.kind === 'urgent') {
        const d = await this.decisions.decideUrgent(manager, current);
        if (d.status !== 'granted') break;
        reason = d.reason;
      } else if (grant.consumes.kind === 'quota') {
        if (!(await this.counters.takeQuota(manager, medicine, period, grant.consumes.finess))) break;
      }
      const before = { status: request.status, period: request.period, reason: { code: request.reasonCode, message: request.reasonMessage } };
      const change = {
        status: 'granted',
        period,
        policyVersion: policy.version,
        reasonCode: reason.code,
        reasonMessage: reason.message,
        reasonParams: reason.params,
        decidedAt: now,
        grantedAt: now,
        slotKind: grant.consumes.kind === 'none' ? null : grant.consumes.kind,
        slotPeriod: grant.consumes.kind === 'none' ? null : period,
        rank: null,
      } satisfies Partial<InitiationRequestEntity>;
      Object.assign(request, change);
      await requests.update({ id: request.id }, change);
      await this.audit.record(manager, actor, {
        action: 'initiation-request.granted-from-queue',
        entity: 'initiation-request',
        entityId: request.id,
        before,
        after: { status: 'granted', period, policyVersion: policy.version, reason },
        establishment: request.establishment,
      });
      await this.notifier?.notify(manager, requestEvent('REQUEST_DECIDED', request));
      granted.push(request);
    }
    return granted;
  }

  /**
   * In the period's last days, moves unused quota slots to waiting requests of other centres when
   * the policy says `redistribute` (SPEC §3), then serves the queue so the moved slots are granted
   * in each receiving centre's own rank order. Each move is a conditional update (the giver must
   * still have the slot unused) and is audited; credits are left as they are.
   */
  async redistribute(manager: EntityManager, actor: Actor, row: PeriodAllocationEntity, policy: PolicyEntity, today: string): Promise<{ transfers: SlotTransfer[]; granted: string[] }> {
    if (!policy.redistribute || row.mode === 'unrestricted') return { transfers: [], granted: [] };
    const { medicine, period } = row;
    const centres = await this.counters.centres(manager, medicine, period);
    const waiting = await manager.getRepository(InitiationRequestEntity).find({ where: { medicine, status: 'waitlisted', kind: 'quota' } });
    const quotaRoom = row.nationalCapacity === null ? null : Math.max(0, row.nationalCapacity - row.urgentGranted - row.quotaGranted);
    const planned = redistributeUnused({
      centres: centres.map((c) => ({ finess: c.finess, slots: c.slots, used: c.used, creditAfter: c.creditAfter })),
      waiting: waiting.map((w) => ({ id: w.id, finess: w.establishment, rank: w.rank, submittedAt: new Date(w.submittedAt) })),
      today,
      periodEnd: periodBounds(period).last,
      quotaRoom,
    });
    const transfers: SlotTransfer[] = [];
    for (const transfer of planned) {
      if (!(await this.counters.moveSlot(manager, medicine, period, transfer.fromFiness, transfer.toFiness))) continue;
      await this.audit.record(manager, actor, {
        action: 'allocation.slot-redistributed',
        entity: 'allocation',
        entityId: `${medicine}/${period}`,
        after: { from: transfer.fromFiness, to: transfer.toFiness, request: transfer.requestId },
        establishment: null,
      });
      transfers.push(transfer);
    }
    const granted = transfers.length > 0 ? (await this.serveQueue(manager, actor, (await this.counters.find(manager, medicine, period))!, policy)).map((r) => r.id) : [];
    return { transfers, granted };
  }
}
