import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { TREATMENT_FACTS, TreatmentFact, TreatmentFacts } from '../common/contracts/treatment-facts';
import { newId } from '../common/database/ids';
import { DomainError } from '../common/domain/domain-error';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, PageQueryDto, pageOf } from '../common/pagination/page';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { DosingSchedule, maintenanceDoseChangesFrom, validateDosingSchedule } from '../medicines/domain/dosing-schedule';
import { Explanation, ProjectedPeriod, StopRate, meanWeightKg, observedInitiationPace, observedStopRate, projectSupply } from './domain/projection';
import { ExplanationLang, explain } from './domain/projection-explanation';
import { checkSupplyDeclaration } from './domain/supply-declaration';
import { SupplyDeclarationDto, SupplyResponse } from './dto/supply.dto';
import { SupplyDeclarationEntity } from './entities/supply-declaration.entity';
import { supplyError, supplyRefusalToError } from './supply.errors';

export const DEFAULT_HORIZON = 12;
/** Weight assumed for a new patient when no treatment is declared yet (an adult). */
export const FALLBACK_WEIGHT_KG = 70;

/** `GET /api/v1/medicines/{code}/projection` (SPEC §11), with what the numbers rest on. */
export interface ProjectionResponse {
  medicine: string;
  horizon: number;
  sustainableMonthlyInitiations: number | null;
  stockOutPeriod: string | null;
  periods: ProjectedPeriod[];
  explanation: string;
  explanationCode: Explanation['code'];
  explanationParams: Explanation['params'];
  /** The declaration used. */
  supplyVersion: number;
  at: string;
  stockUnits: number;
  pharmacyStockUnits: number | null;
  continuationStockOutPeriod: string | null;
  tightestPeriod: string | null;
  activeTreatments: number;
  stopRate: StopRate;
  newPatientWeightKg: number;
  pace: { initiationsPerPeriod: number; source: 'policy-cap' | 'observed' };
  /** The version in force today and its cap (the current pace when it has one). */
  policyVersion: number | null;
  policyMonthlyCap: number | null;
  /** The version whose dosing schedule is projected (in force on the stock date). */
  schedulePolicyVersion: number;
}

/** What other modules read of the projection (the policy form, notifications). */
export interface SustainableCap {
  medicine: string;
  sustainableMonthlyInitiations: number | null;
  stockOutPeriod: string | null;
  supplyVersion: number;
  at: string;
  horizon: number;
}

/**
 * The lab's supply declarations and the projection of continuations first, by the stock
 * (SPEC §8b, issue 18). Treatments are read through TREATMENT_FACTS, policies through PoliciesService.
 */
@Injectable()
export class SupplyService {
  constructor(
    @InjectRepository(SupplyDeclarationEntity) private readonly declarations: Repository<SupplyDeclarationEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    @Optional() @Inject(TREATMENT_FACTS) private readonly facts?: TreatmentFacts,
  ) {}

  /** POST …/supply (lab): a new version, audited in the same transaction. */
  async declare(actor: Actor, code: string, dto: SupplyDeclarationDto): Promise<SupplyResponse> {
    await this.medicines.require(code);
    const checked = checkSupplyDeclaration(dto, this.clock.today());
    if (!checked.ok) throw supplyRefusalToError(checked.error);
    const declaration = checked.value;
    return this.unitOfWork.run(async (manager) => {
      await this.unitOfWork.lock(manager, `supply:${code}`);
      const repo = manager.getRepository(SupplyDeclarationEntity);
      const previous = (await repo.find({ where: { medicineCode: code }, order: { version: 'DESC' }, take: 1 }))[0] ?? null;
      const row = repo.create({
        id: newId(),
        medicineCode: code,
        version: (previous?.version ?? 0) + 1,
        at: declaration.at,
        stockUnits: declaration.stockUnits,
        pharmacyStockUnits: declaration.pharmacyStockUnits,
        expected: declaration.expected,
        declaredAt: this.clock.now().toISOString(),
        declaredBy: actor.username,
      });
      await repo.insert(row);
      const after = toSupplyResponse(row);
      await this.audit.record(manager, actor, {
        action: 'supply.declare',
        entity: 'supply_declaration',
        entityId: row.id,
        before: previous ? toSupplyResponse(previous) : null,
        after,
        establishment: null,
      });
      return after;
    });
  }

  /** GET …/supply: the latest version. */
  async current(code: string): Promise<SupplyResponse> {
    return toSupplyResponse(await this.latest(code));
  }

  /** GET …/supply/versions: every version, newest first. */
  async versions(code: string, query: PageQueryDto): Promise<Page<SupplyResponse>> {
    await this.medicines.require(code);
    const rows = await this.declarations.find({ where: { medicineCode: code }, order: { version: 'DESC' } });
    return pageOf(rows.map(toSupplyResponse), query);
  }

  /** GET …/projection?horizon= */
  async projection(code: string, horizon: number = DEFAULT_HORIZON, lang: ExplanationLang = 'en'): Promise<ProjectionResponse> {
    const declaration = await this.latest(code);
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > 36) {
      throw supplyError('PROJECTION_HORIZON_INVALID', { horizon: String(horizon), max: 36 }, [{ field: 'horizon', reason: 'must be an integer from 1 to 36' }]);
    }
    const at = declaration.at;
    const policy = await this.policies.inForce(code, at);
    const schedule = policy?.schedule ? validateDosingSchedule(policy.schedule, '') : null;
    if (!policy || !schedule?.ok) {
      throw supplyError('PROJECTION_NO_SCHEDULE', { medicine: code, date: at });
    }
    if (!this.facts) throw supplyError('PROJECTION_TREATMENTS_UNAVAILABLE');
    const versions = await this.policies.versions(code);
    const maintenanceDoseChanges = maintenanceDoseChangesFrom(versions.map((v) => ({ effectiveFrom: v.effectiveFrom, schedule: scheduleOrNull(v.schedule) })));
    const today = this.clock.today();
    const treatments = await this.facts.treatmentsInPeriod(code, (today > at ? today : at).slice(0, 7));
    const cohort = continuingAt(treatments, at);
    const first = at.slice(0, 7);
    const stopRate = observedStopRate(treatments, first);
    const current = await this.policies.inForce(code, today);
    const paceFromPolicy = current?.monthlyCap ?? null;
    const pace = paceFromPolicy !== null
      ? { initiationsPerPeriod: paceFromPolicy, source: 'policy-cap' as const }
      : { initiationsPerPeriod: observedInitiationPace(treatments, first), source: 'observed' as const };
    const newPatientWeightKg = meanWeightKg(cohort, FALLBACK_WEIGHT_KG);
    const projected = projectSupply({
      at,
      horizon,
      stockUnits: declaration.stockUnits + (declaration.pharmacyStockUnits ?? 0),
      expected: declaration.expected,
      schedule: schedule.value,
      maintenanceDoseChanges,
      active: cohort,
      monthlyStopRate: stopRate.monthly,
      newPatientWeightKg,
      paceInitiations: pace.initiationsPerPeriod,
    });
    return {
      medicine: code,
      horizon,
      sustainableMonthlyInitiations: projected.sustainableMonthlyInitiations,
      stockOutPeriod: projected.stockOutPeriod,
      periods: projected.periods,
      explanation: explain(projected.explanation, lang),
      explanationCode: projected.explanation.code,
      explanationParams: projected.explanation.params,
      supplyVersion: declaration.version,
      at,
      stockUnits: declaration.stockUnits,
      pharmacyStockUnits: declaration.pharmacyStockUnits,
      continuationStockOutPeriod: projected.continuationStockOutPeriod,
      tightestPeriod: projected.tightestPeriod,
      activeTreatments: cohort.length,
      stopRate,
      newPatientWeightKg,
      pace,
      policyVersion: current?.version ?? null,
      policyMonthlyCap: paceFromPolicy,
      schedulePolicyVersion: policy.version,
    };
  }

  /**
   * The sustainable monthly initiations of the latest declaration over `horizon` periods, or null
   * when nothing is declared or nothing can be projected (for the policy form and notifications).
   */
  async sustainableCap(code: string, horizon: number = DEFAULT_HORIZON): Promise<SustainableCap | null> {
    const latest = await this.declarations.find({ where: { medicineCode: code }, order: { version: 'DESC' }, take: 1 });
    if (latest.length === 0) return null;
    try {
      const p = await this.projection(code, horizon);
      return { medicine: code, sustainableMonthlyInitiations: p.sustainableMonthlyInitiations, stockOutPeriod: p.stockOutPeriod, supplyVersion: p.supplyVersion, at: p.at, horizon };
    } catch (error: unknown) {
      // Nothing to project (no schedule in force, treatments unavailable): no cap to show, the page still works.
      if (error instanceof DomainError) return null;
      throw error;
    }
  }

  private async latest(code: string): Promise<SupplyDeclarationEntity> {
    await this.medicines.require(code);
    const row = (await this.declarations.find({ where: { medicineCode: code }, order: { version: 'DESC' }, take: 1 }))[0];
    if (!row) throw supplyError('SUPPLY_NOT_DECLARED', { medicine: code });
    return row;
  }
}

/** Treatments that still have administrations from `at` on: not stopped on or before it (a later stop is kept as the end). */
export function continuingAt(treatments: readonly TreatmentFact[], at: string): { startDate: string; weightKg: number; stopDate: string | null }[] {
  return treatments
    .filter((t) => t.stopDate === null || t.stopDate > at)
    .map((t) => ({ startDate: t.startDate, weightKg: t.weightKg, stopDate: t.stopDate }));
}

function scheduleOrNull(raw: object | null): DosingSchedule | null {
  if (raw === null) return null;
  const checked = validateDosingSchedule(raw, '');
  return checked.ok ? checked.value : null;
}

export function toSupplyResponse(row: SupplyDeclarationEntity): SupplyResponse {
  return {
    medicine: row.medicineCode,
    version: row.version,
    stockUnits: row.stockUnits,
    at: row.at,
    expected: row.expected,
    pharmacyStockUnits: row.pharmacyStockUnits,
    declaredAt: row.declaredAt,
    declaredBy: row.declaredBy,
  };
}
