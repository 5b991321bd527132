import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { isUniqueViolation } from '../common/database/database-errors';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { accessQueries } from './access-queries';
import type { ClinicalFormSpec } from './domain/clinical-form';
import { compassionateAccessError } from './domain/compassionate-access.errors';
import { validateCriteriaVersion } from './domain/eligibility';
import { PublishCriteriaDto } from './dto/access-request.dto';
import { CriteriaVersionEntity, type StoredCriterion } from './entities/criteria-version.entity';

export interface CriteriaVersionResponse {
  scheme: string;
  version: string;
  effectiveFrom: string;
  criteria: StoredCriterion[];
  publishedAt: string;
  publishedBy: string;
}

export interface AccessSchemeResponse {
  medicine: string;
  scheme: string;
  indication: string;
  prescriberSpecialties: string[];
  meeting: string | null;
  supplier: string | null;
  validityDays: number;
  followUpEveryMonths: number;
  clinicalForm: ClinicalFormSpec;
  followUpForm: ClinicalFormSpec;
  schedule: object | null;
  availableFrom: string | null;
  replacedBy: string | null;
  replacedFrom: string | null;
}

const toResponse = (r: CriteriaVersionEntity): CriteriaVersionResponse => ({
  scheme: r.scheme,
  version: r.version,
  effectiveFrom: r.effectiveFrom,
  criteria: r.criteria,
  publishedAt: r.publishedAt,
  publishedBy: r.publishedBy,
});

/** Eligibility criteria versions, published by the agency as data without a deploy (SPEC §9). */
@Injectable()
export class CriteriaService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The scheme as data (SPEC §9): who may ask, the meeting, the clinical and follow-up forms, the schedule, the replacement. */
  async scheme(actor: Actor, code: string): Promise<AccessSchemeResponse> {
    const s = await accessQueries.visibleScheme(this.unitOfWork.dataSource.manager, actor, code);
    return {
      medicine: s.medicineCode,
      scheme: s.scheme,
      indication: s.indicationCode,
      prescriberSpecialties: s.prescriberSpecialties,
      meeting: s.meeting,
      supplier: s.supplier,
      validityDays: s.validityDays,
      followUpEveryMonths: s.followUpEveryMonths,
      clinicalForm: s.clinicalForm,
      followUpForm: s.followUpForm,
      schedule: s.schedule,
      availableFrom: s.availableFrom,
      replacedBy: s.replacedBy,
      replacedFrom: s.replacedFrom,
    };
  }

  async list(actor: Actor, code: string): Promise<CriteriaVersionResponse[]> {
    const manager = this.unitOfWork.dataSource.manager;
    const scheme = await accessQueries.visibleScheme(manager, actor, code);
    const rows = await manager.getRepository(CriteriaVersionEntity).find({ where: { scheme: scheme.scheme }, order: { effectiveFrom: 'ASC' } });
    return rows.map(toResponse);
  }

  /**
   * Publishes a version for the medicine's scheme (shared by a medicine and its replacement). Every rule is checked
   * here (`validateCriteriaVersion`), so that evaluation never fails; a version takes effect today or later.
   */
  async publish(actor: Actor, code: string, dto: PublishCriteriaDto): Promise<CriteriaVersionResponse> {
    return this.unitOfWork.run(async (manager) => {
      const scheme = await accessQueries.visibleScheme(manager, actor, code);
      const checked = validateCriteriaVersion({ scheme: scheme.scheme, version: dto.version, effectiveFrom: dto.effectiveFrom, criteria: dto.criteria });
      if (!checked.ok) {
        throw compassionateAccessError('CRITERIA_INVALID', { count: checked.error.length, fields: checked.error.map((e) => e.field) }, checked.error);
      }
      const today = this.clock.today();
      if (checked.value.effectiveFrom < today) {
        throw compassionateAccessError('CRITERIA_EFFECTIVE_IN_PAST', { today, effectiveFrom: checked.value.effectiveFrom }, [
          { field: 'effectiveFrom', reason: `must be ${today} or later` },
        ]);
      }
      await this.unitOfWork.lock(manager, `access-criteria:${scheme.scheme}`);
      const repo = manager.getRepository(CriteriaVersionEntity);
      const clash = await repo.findOne({ where: [{ scheme: scheme.scheme, version: checked.value.version }, { scheme: scheme.scheme, effectiveFrom: checked.value.effectiveFrom }] });
      if (clash !== null) throw this.exists(clash, checked.value.version, checked.value.effectiveFrom);
      const row: CriteriaVersionEntity = {
        id: newId(),
        scheme: scheme.scheme,
        version: checked.value.version,
        effectiveFrom: checked.value.effectiveFrom,
        criteria: checked.value.criteria.map((c): StoredCriterion => ({ id: c.id, sentence: c.sentence, rule: c.rule })),
        publishedAt: this.clock.now().toISOString(),
        publishedBy: actor.username,
      };
      try {
        await repo.insert(row);
      } catch (error: unknown) {
        if (isUniqueViolation(error)) throw this.exists(row, row.version, row.effectiveFrom);
        throw error;
      }
      await this.audit.record(manager, actor, {
        action: 'access-criteria.published',
        entity: 'access-criteria',
        entityId: `${row.scheme}/${row.version}`,
        before: null,
        after: { scheme: row.scheme, version: row.version, effectiveFrom: row.effectiveFrom, criteria: row.criteria.map((c) => c.id) },
        establishment: null,
      });
      return toResponse(row);
    });
  }

  private exists(clash: Pick<CriteriaVersionEntity, 'version' | 'effectiveFrom'>, version: string, effectiveFrom: string) {
    const field = clash.version === version ? 'version' : 'effectiveFrom';
    return compassionateAccessError('CRITERIA_VERSION_EXISTS', { version: clash.version, effectiveFrom: clash.effectiveFrom }, [
      { field, reason: field === 'version' ? `${version} is already published` : `a version already takes effect on ${effectiveFrom}` },
    ]);
  }
}
