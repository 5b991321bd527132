import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { accessEvent, type AccessFacts } from '../common/domain/notification-events';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { isIsoDate } from '../common/domain/period';
import { accessQueries } from './access-queries';
import { AccessFormResponse, toFormResponse, toReceivedForm } from './access-request.mapper';
import { validateClinicalForm } from './domain/clinical-form';
import { compassionateAccessError } from './domain/compassionate-access.errors';
import { checkNewForm, isExposed, overdueForms, type ReceivedForm } from './domain/follow-up';
import { SubmitFormDto } from './dto/access-request.dto';
import { AccessFormEntity } from './entities/access-form.entity';
import { AccessRequestEntity } from './entities/access-request.entity';
import { AccessSchemeEntity } from './entities/access-scheme.entity';

export interface OverdueAccessForm {
  request: string;
  medicine: string;
  patient: string;
  establishment: string;
  form: string;
  dueOn: string;
  daysOverdue: number;
}

/** A running authorisation's follow-up: what its forms are due from, and the forms received. */
export interface RunningFollowUp {
  request: AccessFacts;
  authorisedFrom: string;
  authorisedUntil: string | null;
  /** The scheme's follow-up interval (undefined: the default). */
  everyMonths: number | undefined;
  received: ReceivedForm[];
}

/** Follow-up forms of authorised requests (SPEC §9): received on a schedule from the authorisation date, overdue reported daily. */
@Injectable()
export class AccessFormsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  /** Records a form for an authorised request of the caller's establishment; the answer says whether the patient is now exposed. */
  async submit(actor: Actor, id: string, dto: SubmitFormDto): Promise<AccessFormResponse & { exposed: boolean }> {
    return this.unitOfWork.run(async (manager) => {
      const today = this.clock.today();
      await this.unitOfWork.lock(manager, `access-request:${id}`);
      const { request, scheme } = await accessQueries.visibleRequest(manager, actor, id);
      if (request.switchedTo !== null) {
        throw compassionateAccessError('FORM_REQUEST_SWITCHED', { switchedTo: request.switchedTo });
      }
      if (request.status !== 'authorised' || request.authorisedFrom === null || request.authorisedUntil === null) {
        throw compassionateAccessError('FORM_REQUEST_NOT_AUTHORISED', { status: request.status });
      }
      if (dto.kind !== 'stop' && dto.administered === undefined) {
        throw compassionateAccessError('FORM_INCOMPLETE', {}, [{ field: 'administered', reason: 'is required' }]);
      }
      const data = dto.data === undefined ? null : validateClinicalForm({ form: scheme.followUpForm }, dto.data, 'data');
      if (data !== null && !data.ok) {
        throw compassionateAccessError('FORM_DATA_INVALID', { count: data.error.length, fields: data.error.map((e) => e.field) }, data.error);
      }
      if (!isIsoDate(dto.date) || dto.date > today) {
        throw compassionateAccessError('FORM_DATE_IN_FUTURE', { date: String(dto.date), today }, [{ field: 'date', reason: 'must be a real date, not in the future' }]);
      }
      if (dto.kind !== 'stop' && dto.date > request.authorisedUntil) {
        throw compassionateAccessError('AUTHORISATION_EXPIRED', { until: request.authorisedUntil, date: dto.date }, [{ field: 'date', reason: `after ${request.authorisedUntil}` }]);
      }
      const previous = await manager.getRepository(AccessFormEntity).find({ where: { followUpId: request.followUpId } });
      const checked = checkNewForm(
        { kind: dto.kind, due: dto.due ?? null, date: dto.date, administered: dto.administered ?? false, reason: dto.reason ?? null },
        request.authorisedFrom,
        previous.map(toReceivedForm),
        { everyMonths: scheme.followUpEveryMonths },
      );
      if (!checked.ok) throw compassionateAccessError(checked.error.code, checked.error.params, checked.error.errors ?? []);
      const row: AccessFormEntity = {
        id: newId(),
        requestId: request.id,
        followUpId: request.followUpId,
        medicineCode: request.medicineCode,
        patient: request.patient,
        establishment: request.establishment,
        kind: checked.value.kind,
        due: checked.value.due,
        date: checked.value.date,
        administered: checked.value.administered,
        reason: checked.value.reason,
        data: data === null ? null : data.value,
        receivedAt: this.clock.now().toISOString(),
        receivedBy: actor.username,
      };
      await manager.getRepository(AccessFormEntity).insert(row);
      const exposed = isExposed([...previous, row].map(toReceivedForm));
      await this.audit.record(manager, actor, {
        action: row.kind === 'stop' ? 'access-form.stop-received' : 'access-form.received',
        entity: 'access-request',
        entityId: request.id,
        before: null,
        after: { form: row.id, kind: row.kind, due: row.due, date: row.date, administered: row.administered, reason: row.reason, exposed },
        establishment: request.establishment,
      });
      return { ...toFormResponse(row), exposed };
    });
  }

  /** Authorised requests not switched, oldest id first, with their received forms, read in the caller's transaction (the notifications' reminders). */
  async runningFollowUps(manager: EntityManager): Promise<RunningFollowUp[]> {
    const running = (await manager.getRepository(AccessRequestEntity).find({ where: { status: 'authorised' }, order: { id: 'ASC' } })).filter((r) => r.switchedTo === null && r.authorisedFrom !== null);
    if (running.length === 0) return [];
    const schemes = new Map((await manager.getRepository(AccessSchemeEntity).find()).map((s) => [s.medicineCode, s]));
    const forms = await manager.getRepository(AccessFormEntity).find({ where: { followUpId: In(running.map((r) => r.followUpId)) } });
    return running.map((r) => ({
      request: { id: r.id, medicineCode: r.medicineCode, patient: r.patient, establishment: r.establishment, prescriber: r.prescriber, status: r.status },
      authorisedFrom: r.authorisedFrom as string,
      authorisedUntil: r.authorisedUntil,
      everyMonths: schemes.get(r.medicineCode)?.followUpEveryMonths,
      received: forms.filter((f) => f.followUpId === r.followUpId).map(toReceivedForm),
    }));
  }

  /**
   * The daily report of overdue forms (SPEC §9), job `access-forms.overdue`: every follow-up still running (authorised,
   * not switched away) and its forms due within the authorisation, more than the grace period ago and not received.
   * Writes one audit event.
   */
  async reportOverdue(on?: string): Promise<{ date: string; overdue: OverdueAccessForm[] }> {
    return this.unitOfWork.run(async (manager) => {
      const today = on ?? this.clock.today();
      const requests = await manager.getRepository(AccessRequestEntity).find({ where: { status: 'authorised' }, order: { id: 'ASC' } });
      const running = requests.filter((r) => r.switchedTo === null && r.authorisedFrom !== null);
      const schemes = new Map((await manager.getRepository(AccessSchemeEntity).find()).map((s) => [s.medicineCode, s]));
      const forms = running.length === 0 ? [] : await manager.getRepository(AccessFormEntity).find({ where: { followUpId: In(running.map((r) => r.followUpId)) } });
      const byFollowUp = new Map<string, AccessFormEntity[]>();
      for (const f of forms) byFollowUp.set(f.followUpId, [...(byFollowUp.get(f.followUpId) ?? []), f]);
      const overdue: OverdueAccessForm[] = [];
      for (const r of running) {
        const everyMonths = schemes.get(r.medicineCode)?.followUpEveryMonths;
        for (const o of overdueForms(r.authorisedFrom as string, (byFollowUp.get(r.followUpId) ?? []).map(toReceivedForm), today, { everyMonths, endsOn: r.authorisedUntil })) {
          overdue.push({ request: r.id, medicine: r.medicineCode, patient: r.patient, establishment: r.establishment, form: o.form, dueOn: o.dueOn, daysOverdue: o.daysOverdue });
        }
      }
      for (const o of overdue) await this.notifier?.notify(manager, accessEvent('ACCESS_FORM_OVERDUE', running.find((r) => r.id === o.request)!, { form: o.form, dueOn: o.dueOn }));
      await this.audit.record(manager, SYSTEM_ACTOR, {
        action: 'access-forms.overdue-reported',
        entity: 'access-forms',
        entityId: today,
        before: null,
        after: { date: today, count: overdue.length, overdue: overdue.map((o) => ({ request: o.request, patient: o.patient, form: o.form, dueOn: o.dueOn, daysOverdue: o.daysOverdue })) },
        establishment: null,
      });
      return { date: today, overdue };
    });
  }
}
