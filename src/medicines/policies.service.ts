import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { ScheduleItem, ScheduleSources } from '../common/contracts/schedule-sources';
import { SUSTAINABLE_CAP, SustainableCaps } from '../common/contracts/sustainable-cap';
import { policyCapEvent } from '../common/domain/notification-events';
import { newId } from '../common/database/ids';
import { hydrate } from '../common/database/raw-entity';
import { SqlParams, placeholders } from '../common/database/sql-values';
import { UnitOfWork } from '../common/database/unit-of-work';
import { validateDosingSchedule } from './domain/dosing-schedule';
import { checkPolicyDraft } from './domain/policy-rules';
import { PolicyResponse, PublishPolicyDto } from './dto/policy.dto';
import { IndicationEntity } from './entities/indication.entity';
import { MedicineEntity } from './entities/medicine.entity';
import { PolicyEntity } from './entities/policy.entity';
import { medicineError } from './medicines.errors';

/** At most this many policy versions are kept in memory (a medicine publishes a few a year). */
const KEPT_POLICIES = 10_000;

/** `value` and everything it holds made read-only: a kept policy is shared by every request that reads it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

@Injectable()
export class PoliciesService {
  /** Policy versions read so far, by id (see `ofId`). */
  private readonly byId = new Map<string, PolicyEntity>();

  constructor(
    @InjectRepository(PolicyEntity) private readonly policies: Repository<PolicyEntity>,
    @InjectRepository(MedicineEntity) private readonly medicines: Repository<MedicineEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly scheduleSources: ScheduleSources,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  async list(code: string): Promise<PolicyResponse[]> {
    await this.requireMedicine(code);
    const rows = await this.policies.find({ where: { medicineCode: code }, order: { version: 'ASC' } });
    return rows.map(toPolicyResponse);
  }

  /** The medicine's dosing schedules (SPEC §10): one per policy version, or where another module keeps them (compassionate access). */
  async schedules(code: string): Promise<ScheduleItem[]> {
    const policies = await this.list(code);
    if (policies.length > 0) return policies.map((p) => ({ policyVersion: p.version, effectiveFrom: p.effectiveFrom, schedule: p.schedule }));
    return this.scheduleSources.of(code);
  }

  /** The policy version in force for a medicine on a date (YYYY-MM-DD); null before the first. */
  async inForce(code: string, date: string, manager?: EntityManager): Promise<PolicyEntity | null> {
    const m = manager ?? this.policies.manager;
    const [a, b] = placeholders(m, 2);
    // The one version `versionInForce` picks, read alone: the latest effective on `date`, the first published among equals
    // (raw: it is read by every decision, and building a find's SQL costs more than running it).
    const [row] = await m.query<{ id: string }[]>(`SELECT id FROM policies WHERE medicine_code = ${a} AND effective_from <= ${b} ORDER BY effective_from DESC, version ASC LIMIT 1`, [code, date]);
    return row ? this.ofId(m, row.id) : null;
  }

  /**
   * The read of `inForce` as a scalar subquery (the id of the version in force, or NULL), for a statement that reads it
   * with others (its parameters bound in `params`); `inForceOf` turns the id into the policy, or null.
   */
  inForceSource(params: SqlParams, code: string, date: string): string {
    return `(SELECT id FROM policies WHERE medicine_code = ${params.bind(code)} AND effective_from <= ${params.bind(date)} ORDER BY effective_from DESC, version ASC LIMIT 1)`;
  }

  inForceOf(manager: EntityManager, id: string | null): Promise<PolicyEntity | null> {
    return id === null ? Promise.resolve(null) : this.ofId(manager, id);
  }

  /**
   * A policy version by id. A published version is never changed (the next one is a new row), so each is read and
   * parsed once per process and kept, frozen: every decision reads the version in force, and its JSON columns cost
   * more to turn into an entity than the rest of the read. A version written by a transaction that then rolled back is
   * kept under an id no committed row has, so it is never asked for again.
   */
  private async ofId(manager: EntityManager, id: string): Promise<PolicyEntity | null> {
    const kept = this.byId.get(id);
    if (kept) return kept;
    const [a] = placeholders(manager, 1);
    const [row] = await manager.query<Record<string, unknown>[]>(`SELECT * FROM policies WHERE id = ${a}`, [id]);
    if (!row) return null;
    const policy = deepFreeze(hydrate(manager, PolicyEntity, row));
    if (this.byId.size >= KEPT_POLICIES) this.byId.clear();
    this.byId.set(id, policy);
    return policy;
  }

  /**
   * Adds a medicine's policy versions 1, 2, … as published on `at` by `publishedBy`, each built on the one before
   * (demo data, in the caller's transaction).
   */
  async addTimeline(manager: EntityManager, code: string, versions: readonly PublishPolicyDto[], at: string, publishedBy: string): Promise<void> {
    let previous: PolicyEntity | undefined;
    for (const [index, dto] of versions.entries()) {
      const row = buildPolicy(code, index + 1, dto, previous, at, publishedBy);
      await manager.getRepository(PolicyEntity).insert(row);
      previous = row;
    }
  }

  /** The medicines with a dosing schedule in one of their policy versions, by code. */
  async medicinesWithSchedule(manager: EntityManager): Promise<string[]> {
    const policies = await manager.getRepository(PolicyEntity).find();
    return [...new Set(policies.filter((p) => p.schedule !== null).map((p) => p.medicineCode))].sort();
  }

  /** Every version of a medicine, oldest first. */
  async versions(code: string, manager?: EntityManager): Promise<PolicyEntity[]> {
    const repo = manager ? manager.getRepository(PolicyEntity) : this.policies;
    return repo.find({ where: { medicineCode: code }, order: { version: 'ASC' } });
  }

  /** Every version of each of `codes`, oldest first, in one read (the period-start job of many medicines). */
  async versionsOf(codes: readonly string[], manager?: EntityManager): Promise<Map<string, PolicyEntity[]>> {
    const repo = manager ? manager.getRepository(PolicyEntity) : this.policies;
    const out = new Map<string, PolicyEntity[]>(codes.map((c) => [c, []]));
    for (let i = 0; i < codes.length; i += 500) {
      const rows = await repo.find({ where: { medicineCode: In(codes.slice(i, i + 500)) }, order: { medicineCode: 'ASC', version: 'ASC' } });
      for (const row of rows) out.get(row.medicineCode)?.push(row);
    }
    return out;
  }

  async publish(actor: Actor, code: string, dto: PublishPolicyDto): Promise<PolicyResponse> {
    return this.unitOfWork.run(async (manager) => {
      const medicine = await manager.getRepository(MedicineEntity).findOne({ where: { code } });
      if (!medicine) throw medicineError('MEDICINE_NOT_FOUND', { medicine: code });
      await this.unitOfWork.lock(manager, `policy:${code}`);
      const indications = await manager.getRepository(IndicationEntity).find({ where: { medicineCode: code } });
      const published = await manager.getRepository(PolicyEntity).find({ where: { medicineCode: code }, order: { version: 'ASC' } });
      const checked = checkPolicyDraft(dto, indications.map((i) => i.code), published, this.clock.today());
      if (!checked.ok) throw medicineError(checked.error.code, checked.error.params, checked.error.errors);
      if (dto.schedule !== undefined) {
        const schedule = validateDosingSchedule(dto.schedule, 'schedule');
        if (!schedule.ok) throw medicineError('POLICY_INVALID', { fields: schedule.error.map((e) => e.field) }, schedule.error);
      }
      const previous = published[published.length - 1];
      const row = buildPolicy(code, (previous?.version ?? 0) + 1, dto, previous, this.clock.now().toISOString(), actor.username);
      await manager.getRepository(PolicyEntity).insert(row);
      await this.audit.record(manager, actor, { action: 'policy.published', entity: 'policy', entityId: `${code}/v${row.version}`, before: previous ? toPolicyResponse(previous) : null, after: toPolicyResponse(row), establishment: null });
      await this.alertCapAboveStock(manager, row);
      return toPolicyResponse(row);
    });
  }

  /** The agency is told when a published cap exceeds what the declared stock sustains (SPEC §8b, issue 19). */
  private async alertCapAboveStock(manager: EntityManager, row: PolicyEntity): Promise<void> {
    if (row.mode !== 'capped' || row.monthlyCap === null || !this.notifier) return;
    // Looked up when needed: the supply module itself reads the policies, so it cannot be a constructor dependency.
    let caps: SustainableCaps;
    try {
      caps = this.moduleRef.get<SustainableCaps>(SUSTAINABLE_CAP, { strict: false });
    } catch {
      return; // no supply module in this composition
    }
    const cap = await caps.sustainableCap(row.medicineCode);
    if (!cap || cap.sustainableMonthlyInitiations === null || row.monthlyCap <= cap.sustainableMonthlyInitiations) return;
    await this.notifier.notify(manager, policyCapEvent({ medicine: row.medicineCode, version: row.version, monthlyCap: row.monthlyCap, sustainable: cap.sustainableMonthlyInitiations, supplyVersion: cap.supplyVersion, effectiveFrom: row.effectiveFrom }));
  }

  private async requireMedicine(code: string): Promise<MedicineEntity> {
    const medicine = await this.medicines.findOne({ where: { code } });
    if (!medicine) throw medicineError('MEDICINE_NOT_FOUND', { medicine: code });
    return medicine;
  }
}

/** A policy row from a published draft; unset fields take SPEC §3 defaults or the previous version's schedule. */
export function buildPolicy(code: string, version: number, dto: PublishPolicyDto, previous: PolicyEntity | undefined, publishedAt: string, publishedBy: string): PolicyEntity {
  const row = new PolicyEntity();
  row.id = newId();
  row.medicineCode = code;
  row.version = version;
  row.effectiveFrom = dto.effectiveFrom;
  row.mode = dto.mode;
  row.monthlyCap = dto.monthlyCap ?? null;
  row.quotaPool = dto.quotaPool ?? 0;
  row.indications = dto.indications.map((i) => ({ code: i.code, kind: i.kind }));
  row.unusedQuota = dto.unusedQuota ?? 'lapse';
  row.redistribute = dto.redistribute ?? false;
  row.votesRequired = dto.committee?.votesRequired ?? 1;
  row.deadlineHours = dto.committee?.deadlineHours ?? 48;
  row.startWithinDays = dto.startWithinDays ?? 30;
  row.orderTolerancePct = dto.orderTolerancePct ?? 0;
  row.registrationRequired = dto.registrationRequired ?? previous?.registrationRequired ?? false;
  row.orderJustificationRequired = dto.orderJustificationRequired ?? previous?.orderJustificationRequired ?? true;
  row.schedule = dto.schedule ?? previous?.schedule ?? null;
  row.notes = dto.notes ?? null;
  row.publishedAt = publishedAt;
  row.publishedBy = publishedBy;
  return row;
}

export function toPolicyResponse(row: PolicyEntity): PolicyResponse {
  return {
    version: row.version,
    effectiveFrom: row.effectiveFrom,
    mode: row.mode,
    monthlyCap: row.monthlyCap,
    quotaPool: row.quotaPool,
    indications: row.indications,
    unusedQuota: row.unusedQuota,
    redistribute: row.redistribute,
    committee: { votesRequired: row.votesRequired, deadlineHours: row.deadlineHours },
    startWithinDays: row.startWithinDays,
    orderTolerancePct: row.orderTolerancePct,
    registrationRequired: row.registrationRequired,
    orderJustificationRequired: row.orderJustificationRequired,
    schedule: row.schedule,
    notes: row.notes,
    publishedAt: row.publishedAt,
  };
}
