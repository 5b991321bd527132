import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessFormsService } from '../compassionate-access/access-forms.service';
import { INITIATION_REQUEST_FACTS, type InitiationRequestFacts } from '../common/contracts/initiation-request-facts';
import { accessEvent } from '../common/domain/notification-events';
import { Clock } from '../common/clock/clock';
import { dateOf } from '../common/domain/period';
import { UnitOfWork } from '../common/database/unit-of-work';
import { PoliciesService } from '../medicines/policies.service';
import { formsComingDue, grantExpiry, isDeadlineNear } from './domain/reminders';
import { NotificationsService } from './notifications.service';

/**
 * The time-based events (issue 19), from the hourly `notifications.reminders` job: an urgent
 * request's deadline 12 h away, a grant about to lapse unstarted. Each is one event (its key names
 * the request and the date), so the hourly runs notify it once. The requests are asked of their
 * modules (INITIATION_REQUEST_FACTS, the access forms service): this module reads none of their tables.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly notifications: NotificationsService,
    private readonly accessForms: AccessFormsService,
    @Inject(INITIATION_REQUEST_FACTS) private readonly requests: InitiationRequestFacts,
  ) {}

  async remind(): Promise<{ deadlines: number; grants: number; forms: number }> {
    const now = this.clock.now();
    const today = dateOf(now);
    return this.unitOfWork.run(async (manager) => {
      let deadlines = 0;
      for (const r of await this.requests.pendingReview(manager)) {
        if (!isDeadlineNear(r.deadline, now)) continue;
        await this.notifications.notify(manager, { code: 'URGENT_DEADLINE_NEAR', subject: r.id, establishment: r.establishment, params: { requestId: r.id, medicine: r.medicine, patient: r.patient, deadline: r.deadline } });
        deadlines++;
      }
      let grants = 0;
      const windows = new Map<string, Map<number, number>>();
      for (const r of await this.requests.granted(manager)) {
        if (!windows.has(r.medicine)) windows.set(r.medicine, new Map((await this.policies.versions(r.medicine, manager)).map((p) => [p.version, p.startWithinDays])));
        const days = windows.get(r.medicine)?.get(r.policyVersion) ?? 30;
        const { lastDay, warn } = grantExpiry(dateOf(new Date(r.grantedAt ?? r.submittedAt)), days, today);
        if (!warn) continue;
        await this.notifications.notify(manager, { code: 'GRANT_EXPIRING', subject: `${r.id}:${lastDay}`, establishment: r.establishment, userId: r.requestedBy, params: { requestId: r.id, medicine: r.medicine, patient: r.patient, expiresOn: lastDay } });
        grants++;
      }
      const forms = await this.formsDue(manager, today);
      return { deadlines, grants, forms };
    });
  }

  /** Follow-up forms of running authorisations falling due within the week (the overdue ones come from the daily access-forms.overdue job). */
  private async formsDue(manager: EntityManager, today: string): Promise<number> {
    let count = 0;
    for (const f of await this.accessForms.runningFollowUps(manager)) {
      for (const due of formsComingDue(f.authorisedFrom, f.received, today, { everyMonths: f.everyMonths, endsOn: f.authorisedUntil })) {
        await this.notifications.notify(manager, accessEvent('ACCESS_FORM_DUE', f.request, { form: due.form, dueOn: due.dueOn }));
        count++;
      }
    }
    return count;
  }
}
