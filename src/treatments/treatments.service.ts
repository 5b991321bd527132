import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { ALLOCATION_HOOKS, AllocationHooks } from '../common/contracts/allocation-hooks';
import { isUniqueViolation } from '../common/database/database-errors';
import { newId } from '../common/database/ids';
import { insertChunks } from '../common/database/insert-chunks';
import { SqlParams } from '../common/database/sql-values';
import { UnitOfWork } from '../common/database/unit-of-work';
import { Page, pageWindow, toPage } from '../common/pagination/page';
import { validationFailed } from '../common/problem-details/validation';
import { EstablishmentsService } from '../establishments/establishments.service';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { PatientsService } from '../patients/patients.service';
import { requestRequiredRefusal, requestRequirement } from './domain/start-rules';
import { TreatmentState, startTreatment, stopTreatment, transferTreatment } from './domain/treatment-state';
import { TreatmentRecord, TreatmentView, viewOfTreatment } from './domain/treatment-view';
import { treatmentError, treatmentRefusalToError } from './domain/treatments.errors';
import { ListTreatmentsQueryDto, StartTreatmentDto, StopTreatmentDto, TransferTreatmentDto } from './dto/treatment.dto';
import { TreatmentTransferEntity } from './entities/treatment-transfer.entity';
import { TreatmentEntity } from './entities/treatment.entity';
import { withTransfers } from './treatment-records';

interface Origin {
  medicine: string;
  indication: string;
  patient: string;
  establishment: string;
  policyVersion: number;
  requestId: string | null;
}

/** Declarations of SPEC §5: initiation (start), stop and transfer; each one transaction, audited. */
@Injectable()
export class TreatmentsService {
  private readonly logger = new Logger(TreatmentsService.name);

  constructor(
    @InjectRepository(TreatmentEntity) private readonly treatments: Repository<TreatmentEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly establishments: EstablishmentsService,
    @Optional() @Inject(ALLOCATION_HOOKS) private readonly hooks?: AllocationHooks,
  ) {
    if (!hooks) this.logger.warn('allocation hooks absent: starts from a request are refused, direct starts use the policy in force');
  }

  async start(actor: Actor, dto: StartTreatmentDto): Promise<TreatmentView> {
    const establishment = requireEstablishment(actor);
    checkStartShape(dto);
    const state = startTreatment({ establishment, startDate: dto.startDate, weightKg: dto.weightKg }, this.clock.today());
    if (!state.ok) throw treatmentRefusalToError(state.error);
    if (dto.medicine !== undefined) await this.medicines.require(dto.medicine);
    return this.unitOfWork.run(async (manager) => {
      const id = newId();
      const origin = dto.request !== undefined ? await this.fromRequest(manager, actor, dto.request, id, dto.startDate) : await this.direct(manager, actor, dto, establishment);
      await this.unitOfWork.lock(manager, `treatment:${origin.medicine}:${origin.patient}`);
      const active = await manager.getRepository(TreatmentEntity).findOne({ where: { patient: origin.patient, medicine: origin.medicine, status: 'active' } });
      if (active) throw alreadyActive(origin, active.startDate, active.establishment === origin.establishment);
      const now = this.clock.now().toISOString();
      const row: TreatmentEntity = {
        id,
        patient: origin.patient,
        medicine: origin.medicine,
        indication: origin.indication,
        establishment: origin.establishment,
        establishmentSince: state.value.establishmentSince,
        status: 'active',
        startDate: state.value.startDate,
        weightKg: state.value.weightKg,
        stopDate: null,
        stopReason: null,
        requestId: origin.requestId,
        policyVersion: origin.policyVersion,
        createdAt: now,
        createdBy: actor.username,
        updatedAt: now,
      };
      try {
        await manager.getRepository(TreatmentEntity).insert(row);
      } catch (error: unknown) {
        if (isUniqueViolation(error)) throw alreadyActive(origin, null, true);
        throw error;
      }
      await this.patients.link(manager, actor, origin.patient, origin.establishment, 'treated');
      const view = viewOf({ ...row, transfers: [] }, null);
      await this.audit.record(manager, actor, { action: 'treatment.started', entity: 'treatment', entityId: id, after: view, establishment: origin.establishment });
      return view;
    });
  }

  async stop(actor: Actor, id: string, dto: StopTreatmentDto): Promise<TreatmentView> {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.requireHeld(manager, actor, id);
      const result = stopTreatment(stateOf(row), { date: dto.date, reason: dto.reason }, this.clock.today());
      if (!result.ok) throw treatmentRefusalToError(result.error);
      const [before] = await withTransfers(manager, [row]);
      const updated = await manager.getRepository(TreatmentEntity).update(
        { id, status: 'active' },
        { status: 'stopped', stopDate: result.value.stopDate, stopReason: result.value.stopReason, updatedAt: this.clock.now().toISOString() },
      );
      if (!updated.affected) throw treatmentError('TREATMENT_NOT_ACTIVE', { status: null, since: null });
      const after: TreatmentRecord = { ...before!, status: 'stopped', stopDate: result.value.stopDate, stopReason: result.value.stopReason };
      await this.audit.record(manager, actor, { action: 'treatment.stopped', entity: 'treatment', entityId: id, before: viewOf(before!, null), after: viewOf(after, null), establishment: row.establishment });
      await this.hooks?.treatmentStopped(manager, actor, { treatmentId: id, medicine: row.medicine, establishment: row.establishment, date: dto.date });
      return viewOf(after, row.establishment);
    });
  }

  /** Moves an active treatment to another establishment; the former holder keeps its part of the history. */
  async transfer(actor: Actor, id: string, dto: TransferTreatmentDto): Promise<TreatmentView> {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.requireHeld(manager, actor, id);
      const result = transferTreatment(stateOf(row), dto, this.clock.today());
      if (!result.ok) throw treatmentRefusalToError(result.error);
      const exists = await this.establishments.exists(dto.toEstablishment, manager);
      if (!exists) {
        throw treatmentError('TRANSFER_ESTABLISHMENT_UNKNOWN', { establishment: dto.toEstablishment }, [{ field: 'toEstablishment', reason: 'is not a known establishment' }]);
      }
      const [before] = await withTransfers(manager, [row]);
      const now = this.clock.now().toISOString();
      const updated = await manager.getRepository(TreatmentEntity).update(
        { id, status: 'active', establishment: row.establishment },
        { establishment: dto.toEstablishment, establishmentSince: dto.date, updatedAt: now },
      );
      if (!updated.affected) throw treatmentError('TREATMENT_NOT_ACTIVE', { status: null, since: null });
      await manager.getRepository(TreatmentTransferEntity).insert({
        id: newId(), treatmentId: id, date: dto.date, fromEstablishment: row.establishment, toEstablishment: dto.toEstablishment, declaredAt: now, declaredBy: actor.username,
      });
      await this.patients.link(manager, actor, row.patient, dto.toEstablishment, 'transfer');
      const after: TreatmentRecord = {
        ...before!,
        establishment: dto.toEstablishment,
        establishmentSince: dto.date,
        transfers: [...before!.transfers, { date: dto.date, from: row.establishment, to: dto.toEstablishment }],
      };
      await this.audit.record(manager, actor, { action: 'treatment.transferred', entity: 'treatment', entityId: id, before: viewOf(before!, null), after: viewOf(after, null), establishment: row.establishment });
      return viewOf(after, row.establishment);
    });
  }

  async get(actor: Actor, id: string): Promise<TreatmentView> {
    const row = await this.treatments.findOne({ where: { id } });
    const [record] = row ? await withTransfers(this.treatments.manager, [row]) : [];
    const view = record ? viewOfTreatment(record, viewerOf(actor)) : null;
    if (!view) throw notFound(id);
    return view;
  }

  /**
   * Scoped list (SPEC §11): an establishment sees the treatments it holds now and, as `transferred`,
   * those it transferred out (its part of their history); the lab and the agency see all.
   */
  async list(actor: Actor, query: ListTreatmentsQueryDto): Promise<Page<TreatmentView>> {
    const window = pageWindow(query, 100);
    const viewer = viewerOf(actor);
    const qb = this.treatments.createQueryBuilder('t');
    if (query.medicine) qb.andWhere('t.medicine = :medicine', { medicine: query.medicine });
    const transferredOut = 't.id IN (SELECT tr.treatment_id FROM treatment_transfers tr WHERE tr.from_establishment = :viewer)';
    if (viewer === null) {
      if (query.status === 'transferred') qb.andWhere('t.id IN (SELECT tr.treatment_id FROM treatment_transfers tr)');
      else if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    } else {
      qb.andWhere(new Brackets((w) => {
        if (query.status !== 'transferred') {
          w.orWhere(new Brackets((held) => {
            held.where('t.establishment = :viewer', { viewer });
            if (query.status) held.andWhere('t.status = :status', { status: query.status });
          }));
        }
        if (query.status === undefined || query.status === 'transferred') {
          w.orWhere(new Brackets((left) => left.where('t.establishment <> :viewer', { viewer }).andWhere(transferredOut, { viewer })));
        }
      }));
    }
    const rows = await qb.orderBy('t.startDate', 'ASC').addOrderBy('t.id', 'ASC').skip(window.skip).take(window.take).getMany();
    const records = await withTransfers(this.treatments.manager, rows);
    return toPage(records.map((r) => viewOfTreatment(r, viewer)).filter((v): v is TreatmentView => v !== null), window);
  }

  /** The medicine's treatments of these patients, with their transfers, read in the caller's transaction (orders justify their lines with them). */
  async recordsOf(manager: EntityManager, medicine: string, patients: readonly string[]): Promise<TreatmentRecord[]> {
    const unique = [...new Set(patients)];
    const rows: TreatmentEntity[] = [];
    for (let i = 0; i < unique.length; i += 500) {
      rows.push(...(await manager.getRepository(TreatmentEntity).find({ where: { medicine, patient: In(unique.slice(i, i + 500)) } })));
    }
    return withTransfers(manager, rows);
  }

  /** Adds treatments as the demo declares them (already running or stopped), in the caller's transaction. */
  async addDemoTreatments(manager: EntityManager, rows: readonly TreatmentEntity[]): Promise<void> {
    await insertChunks(manager, TreatmentEntity, [...rows]);
  }

  /** Pseudonyms of the patients the establishment treats now with the medicine, in order. */
  async activePatientsAt(manager: EntityManager, medicine: string, establishment: string): Promise<string[]> {
    const rows = await manager.getRepository(TreatmentEntity).find({ select: { patient: true }, where: { medicine, establishment, status: 'active' }, order: { patient: 'ASC' } });
    return rows.map((r) => r.patient);
  }

  /** ACTIVE_TREATMENTS: whether the patient has an active treatment of the medicine, as an expression of a larger read. */
  activeTreatmentCondition(params: SqlParams, medicine: string, patient: string): string {
    return `EXISTS (SELECT 1 FROM treatments WHERE patient = ${params.bind(patient)} AND medicine = ${params.bind(medicine)} AND status = 'active')`;
  }

  /** A patient's treatments as the actor may see them (for GET /patients/{pseudonym}). */
  async forPatient(pseudonym: string, actor: Actor): Promise<TreatmentView[]> {
    const rows = await this.treatments.find({ where: { patient: pseudonym }, order: { startDate: 'ASC', id: 'ASC' } });
    const records = await withTransfers(this.treatments.manager, rows);
    const viewer = viewerOf(actor);
    return records.map((r) => viewOfTreatment(r, viewer)).filter((v): v is TreatmentView => v !== null);
  }

  private async fromRequest(manager: EntityManager, actor: Actor, requestId: string, treatmentId: string, startDate: string): Promise<Origin> {
    if (!this.hooks) {
      throw treatmentError('REQUEST_NOT_FOUND', { requestId }, [{ field: 'request', reason: 'is not a granted request of this establishment' }]);
    }
    const grant = await this.hooks.startGrant(manager, actor, requestId, treatmentId, startDate);
    await this.patients.require(actor, grant.patient, manager);
    return { medicine: grant.medicine, indication: grant.indication, patient: grant.patient, establishment: grant.establishment, policyVersion: grant.policyVersion, requestId: grant.requestId };
  }

  /** A start without a request: only where the policy in force on the start date needs none. */
  private async direct(manager: EntityManager, actor: Actor, dto: StartTreatmentDto, establishment: string): Promise<Origin> {
    const medicine = dto.medicine!;
    const indication = dto.indication!;
    const patient = dto.patient!;
    await this.patients.require(actor, patient, manager);
    const known = (await this.medicines.indication(medicine, indication, manager)) !== null;
    if (!known) throw treatmentError('INDICATION_UNKNOWN', { indication, medicine }, [{ field: 'indication', reason: `is not an indication of ${medicine}` }]);
    const policy = await this.policies.inForce(medicine, dto.startDate, manager);
    if (!policy) {
      throw treatmentError('POLICY_NOT_IN_FORCE', { medicine, date: dto.startDate }, [{ field: 'startDate', reason: `no policy of ${medicine} is in force on this date` }]);
    }
    const local = requestRequirement(policy, indication);
    const required = this.hooks ? await this.hooks.requiresRequest(manager, medicine, indication, dto.startDate) : local.required;
    if (required) throw treatmentRefusalToError(requestRequiredRefusal(policy, indication, local.kind));
    return { medicine, indication, patient, establishment, policyVersion: policy.version, requestId: null };
  }

  /** The treatment if the actor's establishment holds it now; a 404 otherwise (a former holder may read, not change it). */
  private async requireHeld(manager: EntityManager, actor: Actor, id: string): Promise<TreatmentEntity> {
    const row = await manager.getRepository(TreatmentEntity).findOne({ where: { id } });
    if (!row || (isEstablishmentBound(actor) && row.establishment !== actor.establishment)) throw notFound(id);
    return row;
  }
}

function checkStartShape(dto: StartTreatmentDto): void {
  const direct = { medicine: dto.medicine, indication: dto.indication, patient: dto.patient };
  if (dto.request !== undefined) {
    const extra = Object.entries(direct).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (extra.length > 0) throw validationFailed(extra.map((field) => ({ field, reason: 'must be absent when starting from a request (the request names it)' })));
    return;
  }
  const missing = Object.entries(direct).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missing.length > 0) throw validationFailed(missing.map((field) => ({ field, reason: 'is required without a request' })));
}

function requireEstablishment(actor: Actor): string {
  if (!actor.establishment) throw treatmentError('TREATMENT_NOT_FOUND', { treatmentId: null });
  return actor.establishment;
}

function viewerOf(actor: Actor): string | null {
  return isEstablishmentBound(actor) ? (actor.establishment ?? '') : null;
}

function viewOf(record: TreatmentRecord, viewer: string | null): TreatmentView {
  const view = viewOfTreatment(record, viewer);
  if (!view) throw new Error(`treatment ${record.id} is not visible to ${viewer ?? 'everyone'}`);
  return view;
}

function stateOf(row: TreatmentEntity): TreatmentState {
  return {
    status: row.status,
    establishment: row.establishment,
    startDate: row.startDate,
    establishmentSince: row.establishmentSince,
    weightKg: Number(row.weightKg),
    stopDate: row.stopDate,
    stopReason: row.stopReason,
  };
}

function notFound(id: string) {
  return treatmentError('TREATMENT_NOT_FOUND', { treatmentId: id });
}

function alreadyActive(origin: Origin, since: string | null, here: boolean) {
  return treatmentError(
    'TREATMENT_ALREADY_ACTIVE',
    { medicine: origin.medicine, here, since },
    [{ field: 'patient', reason: `already has an active ${origin.medicine} treatment` }],
  );
}
