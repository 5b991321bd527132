import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addPeriods } from '../common/domain/period';
import { AllocationCounters, stateOf } from './allocation-counters.repository';
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

  /**
   * A quota request of centre `finess`, from the counters the caller read in this transaction
   * (AllocationCounters.forDecision): when they say no, the request waits without touching them;
   * when they say yes, only the conditional update decides, and its RETURNING gives the reason's
   * figures. Another writer taking the slot first is the only case that reads the counters again.
   */
  async decideQuota(manager: EntityManager, medicine: string, finess: string, read: { state: PeriodState; centre: CentreSlots }): Promise<Decision> {
    const { period, mode, policyVersion } = read.state;
    if (mode === 'unrestricted') return { status: 'granted', reason: reasons.grantedUnrestricted(policyVersion), consumes: { kind: 'none' } };
    let counters = read;
    for (let attempt = 0; attempt < 3; attempt++) {
      const decision = decideQuotaRequest(counters.state, counters.centre);
      if (decision.status !== 'granted') return decision;
      const taken = await this.counters.takeQuota(manager, medicine, period, finess);
      if (taken) return { status: 'granted', reason: reasons.grantedQuota(period, taken.used, taken.slots), consumes: { kind: 'quota', finess } };
      counters = (await this.counters.forDecision(manager, medicine, period, finess))!;
    }
    return { status: 'waitlisted', reason: reasons.quotaPoolExhausted(period, counters.state.quotaGranted, counters.state.quotaPool) };
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
