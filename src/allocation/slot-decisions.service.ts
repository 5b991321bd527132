import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addPeriods } from '../common/domain/period';
import { AllocationCounters, slotsOf, stateOf } from './allocation-counters.repository';
import { reasons } from './domain/allocation.errors';
import { CentreSlots, Decision, PeriodState, decideQuotaRequest } from './domain/decide';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';

/**
 * Decides a request against the period's counters (SPEC §4 rules 3–7): a grant is the conditional
 * update that succeeded; zero rows means waitlisted, with the reason the counters give.
 * Runs inside the caller's transaction.
 */
@Injectable()
export class SlotDecisions {
  constructor(private readonly counters: AllocationCounters) {}

  private async reload(manager: EntityManager, medicine: string, period: string, finess: string): Promise<{ state: PeriodState; centre: CentreSlots }> {
    const row = (await this.counters.find(manager, medicine, period))!;
    const centre = await this.counters.centre(manager, medicine, period, finess);
    return { state: stateOf(row), centre: slotsOf(centre, finess) };
  }

  /** A quota request of centre `finess`. */
  async decideQuota(manager: EntityManager, row: PeriodAllocationEntity, finess: string): Promise<Decision> {
    const { medicine, period } = row;
    if (row.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(row.policyVersion), consumes: { kind: 'none' } };
    for (let attempt = 0; attempt < 3; attempt++) {
      // Counters as committed: when they already say no, the request waits without touching them.
      const fresh = await this.reload(manager, medicine, period, finess);
      const decision = decideQuotaRequest(fresh.state, fresh.centre);
      if (decision.status !== 'granted') return decision;
      // They say yes: only the conditional update decides (another writer may take the slot first).
      if (await this.counters.takeQuota(manager, medicine, period, finess)) {
        const { centre } = await this.reload(manager, medicine, period, finess);
        return { status: 'granted', reason: reasons.grantedQuota(period, centre.used, centre.slots), consumes: { kind: 'quota', finess } };
      }
    }
    const fresh = await this.reload(manager, medicine, period, finess);
    return { status: 'waitlisted', reason: reasons.quotaPoolExhausted(period, fresh.state.quotaGranted, fresh.state.quotaPool) };
  }

  /** An urgent request the committee approved (SPEC §4 rule 3): any national capacity left, else it heads the next period's queue. */
  async decideUrgent(manager: EntityManager, row: PeriodAllocationEntity): Promise<Decision> {
    const { medicine, period } = row;
    if (row.mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(row.policyVersion), consumes: { kind: 'none' } };
    const taken = await this.counters.takeUrgent(manager, medicine, period);
    const fresh = stateOf((await this.counters.find(manager, medicine, period))!);
    const granted = fresh.urgentGranted + fresh.quotaGranted;
    if (taken) return { status: 'granted', reason: reasons.grantedUrgent(period, granted, fresh.nationalCapacity), consumes: { kind: 'urgent' } };
    return { status: 'waitlisted', reason: reasons.nationalCapacityExhausted(period, granted, fresh.nationalCapacity ?? 0, addPeriods(period, 1)) };
  }
}
