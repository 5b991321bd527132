import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { toReceivedForm } from '../compassionate-access/access-request.mapper';
import { AccessFormEntity } from '../compassionate-access/entities/access-form.entity';
import { AccessRequestEntity } from '../compassionate-access/entities/access-request.entity';
import { AccessSchemeEntity } from '../compassionate-access/entities/access-scheme.entity';
import { accessEvent } from '../common/domain/notification-events';
import { InitiationRequestEntity } from '../allocation/entities/initiation-request.entity';
import { Clock } from '../common/clock/clock';
import { dateOf } from '../common/domain/period';
import { UnitOfWork } from '../common/database/unit-of-work';
import { PoliciesService } from '../medicines/policies.service';
import { formsComingDue, grantExpiry, isDeadlineNear } from './domain/reminders';
import { NotificationsService } from './notifications.service';

/**
 * The time-based events (issue 19), from the hourly `notifications.reminders` job: an urgent
 * request's deadline 12 h away, a grant about to lapse unstarted. Each is one event (its key names
 * the request and the date), so the hourly runs notify it once.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly notifications: NotificationsService,
  ) {}

  async remind(): Promise<{ deadlines: number; grants: number; forms: number }> {
    const now = this.clock.now();
    const today = dateOf(now);
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(InitiationRequestEntity);
      let deadlines = 0;
      for (const r of await repo.find({ where: { status: 'pending_review' }, order: { submittedAt: 'ASC', id: 'ASC' } })) {
        if (!isDeadlineNear(r.deadline, now)) continue;
        await this.notifications.notify(manager, { code: 'URGENT_DEADLINE_NEAR', subject: r.id, establishment: r.establishment, params: { requestId: r.id, medicine: r.medicine, patient: r.patient, deadline: r.deadline } });
        deadlines++;
      }
      let grants = 0;
      const windows = new Map<string, Map<number, number>>();
      for (const r of await repo.find({ where: { status: In(['granted']) }, order: { grantedAt: 'ASC', id: 'ASC' } })) {
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
    const running = (await manager.getRepository(AccessRequestEntity).find({ where: { status: 'authorised' }, order: { id: 'ASC' } })).filter((r) => r.switchedTo === null && r.authorisedFrom !== null);
    if (running.length === 0) return 0;
    const schemes = new Map((await manager.getRepository(AccessSchemeEntity).find()).map((s) => [s.medicineCode, s]));
    const forms = await manager.getRepository(AccessFormEntity).find({ where: { followUpId: In(running.map((r) => r.followUpId)) } });
    let count = 0;
    for (const r of running) {
      const received = forms.filter((f) => f.followUpId === r.followUpId).map(toReceivedForm);
      for (const due of formsComingDue(r.authorisedFrom as string, received, today, { everyMonths: schemes.get(r.medicineCode)?.followUpEveryMonths, endsOn: r.authorisedUntil })) {
        await this.notifications.notify(manager, accessEvent('ACCESS_FORM_DUE', r, { form: due.form, dueOn: due.dueOn }));
        count++;
      }
    }
    return count;
  }
}
