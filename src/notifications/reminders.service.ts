import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { InitiationRequestEntity } from '../allocation/entities/initiation-request.entity';
import { Clock } from '../common/clock/clock';
import { dateOf } from '../common/domain/period';
import { UnitOfWork } from '../common/database/unit-of-work';
import { PoliciesService } from '../medicines/policies.service';
import { grantExpiry, isDeadlineNear } from './domain/reminders';
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

  async remind(): Promise<{ deadlines: number; grants: number }> {
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
      return { deadlines, grants };
    });
  }
}
