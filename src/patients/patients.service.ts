import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { insertChunks } from '../common/database/insert-chunks';
import { SqlParams } from '../common/database/sql-values';
import { UnitOfWork } from '../common/database/unit-of-work';
import { isIsoDate } from '../common/domain/period';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { PatientResponse, RegisterPatientDto } from './dto/register-patient.dto';
import { PatientLinkEntity } from './entities/patient-link.entity';
import { PatientEntity } from './entities/patient.entity';
import { PatientDetailsRegistry } from './patient-details.registry';
import { PatientIdentity } from './patient-identity.service';
import { checkNir, nirIdentityMismatches } from './domain/nir';
import { patientError } from './patients.errors';

/** A patient the demo registers (a fictitious NIR's hash and pseudonym) at one establishment. */
export interface DemoPatient {
  pseudonym: string;
  nirHash: string;
  birthDate: string;
  sex: 'M' | 'F';
  weightKg: number;
  finess: string;
}

@Injectable()
export class PatientsService {
  constructor(
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    @InjectRepository(PatientLinkEntity) private readonly links: Repository<PatientLinkEntity>,
    private readonly identity: PatientIdentity,
    private readonly details: PatientDetailsRegistry,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The weight (kg) of each of these patients, by pseudonym, read in the caller's transaction (demo data, in chunks). */
  async weightsOf(manager: EntityManager, pseudonyms: readonly string[]): Promise<Map<string, number>> {
    const weights = new Map<string, number>();
    for (let i = 0; i < pseudonyms.length; i += 500) {
      const rows = await manager.getRepository(PatientEntity).find({ select: { pseudonym: true, weightKg: true }, where: { pseudonym: In(pseudonyms.slice(i, i + 500)) } });
      for (const p of rows) weights.set(p.pseudonym, Number(p.weightKg));
    }
    return weights;
  }

  /** Adds the demo's patients, then their links (`registered`) to their establishments, in the caller's transaction. */
  async addDemoPatients(manager: EntityManager, patients: readonly DemoPatient[], at: string): Promise<void> {
    await insertChunks(manager, PatientEntity, patients.map((p) => ({ pseudonym: p.pseudonym, nirHash: p.nirHash, birthDate: p.birthDate, sex: p.sex, weightKg: p.weightKg, createdAt: at })));
    await insertChunks(manager, PatientLinkEntity, patients.map((p) => ({ pseudonym: p.pseudonym, finess: p.finess, via: 'registered', linkedAt: at })));
  }

  /** Registers a patient, or finds the one already registered with that NIR (created: false). */
  async register(actor: Actor, dto: RegisterPatientDto): Promise<{ created: boolean; patient: PatientResponse }> {
    const identified = this.identity.identify(dto.nir);
    if (!identified.ok) throw patientError('NIR_INVALID', {}, [{ field: 'nir', reason: identified.reason }]);
    if (!isIsoDate(dto.birthDate) || dto.birthDate > this.clock.today()) {
      throw patientError('BIRTH_DATE_INVALID', { birthDate: String(dto.birthDate) }, [{ field: 'birthDate', reason: 'must be a real date, not in the future' }]);
    }
    const checked = checkNir(dto.nir);
    const mismatches = checked.ok ? nirIdentityMismatches(checked.value, dto) : [];
    if (mismatches.length > 0) {
      throw patientError('NIR_MISMATCH', { fields: mismatches.map((m) => m.field) }, mismatches);
    }
    return this.unitOfWork.run(async (manager) => {
      const repo = manager.getRepository(PatientEntity);
      const now = this.clock.now().toISOString();
      let created = false;
      let patient = await repo.findOne({ where: { nirHash: identified.nirHash } });
      if (!patient) {
        patient = repo.create({ pseudonym: identified.pseudonym, nirHash: identified.nirHash, birthDate: dto.birthDate, sex: dto.sex, weightKg: dto.weightKg, createdAt: now });
        await repo.insert(patient);
        created = true;
        await this.audit.record(manager, actor, { action: 'patient.registered', entity: 'patient', entityId: patient.pseudonym, after: toResponse(patient) });
      }
      if (actor.establishment && isEstablishmentBound(actor)) await this.link(manager, actor, patient.pseudonym, actor.establishment, 'registered');
      return { created, patient: toResponse(patient) };
    });
  }

  /** Lets an establishment see a patient from now on (registration, treatment, transfer). */
  async link(manager: EntityManager, actor: Actor, pseudonym: string, finess: string, via: 'registered' | 'treated' | 'transfer'): Promise<void> {
    const repo = manager.getRepository(PatientLinkEntity);
    if (await repo.exists({ where: { pseudonym, finess } })) return;
    await repo.insert({ pseudonym, finess, via, linkedAt: this.clock.now().toISOString() });
    await this.audit.record(manager, actor, { action: 'patient.linked', entity: 'patient', entityId: pseudonym, after: { finess, via }, establishment: finess });
  }

  /** The patient if the actor may see them, else a 404 (existence is not leaked). */
  async require(actor: Actor, pseudonym: string, manager?: EntityManager): Promise<PatientEntity> {
    const repo = manager ? manager.getRepository(PatientEntity) : this.patients;
    const patient = await repo.findOne({ where: { pseudonym } });
    if (!patient || !(await this.isVisible(actor, pseudonym, manager))) throw patientNotFound();
    return patient;
  }

  /**
   * Whether the actor may act for the patient (the patient exists and, for an establishment-bound actor, is linked
   * to its establishment), as a boolean SQL expression for a statement that asks it with others (its parameters bound
   * in `params`); `checkVisible` answers its value as `require` would (a 404 when false).
   */
  visibleCondition(actor: Actor, params: SqlParams, pseudonym: string): string {
    const patient = `SELECT 1 FROM patients p WHERE p.pseudonym = ${params.bind(pseudonym)}`;
    if (!isEstablishmentBound(actor)) return `EXISTS (${patient})`;
    return `EXISTS (${patient} AND EXISTS (SELECT 1 FROM patient_links l WHERE l.pseudonym = p.pseudonym AND l.finess = ${params.bind(actor.establishment ?? '')}))`;
  }

  checkVisible(visible: boolean): void {
    if (!visible) throw patientNotFound();
  }

  async isVisible(actor: Actor, pseudonym: string, manager?: EntityManager): Promise<boolean> {
    if (!isEstablishmentBound(actor)) return true;
    const repo = manager ? manager.getRepository(PatientLinkEntity) : this.links;
    return repo.exists({ where: { pseudonym, finess: actor.establishment ?? '' } });
  }

  async get(actor: Actor, pseudonym: string): Promise<PatientResponse & Record<string, unknown>> {
    const patient = await this.require(actor, pseudonym);
    return { ...toResponse(patient), ...(await this.details.collect(pseudonym, actor)) };
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<PatientResponse>> {
    const window = pageWindow(query, 100);
    if (!isEstablishmentBound(actor)) {
      const rows = await this.patients.find({ order: { pseudonym: 'ASC' }, skip: window.skip, take: window.take });
      return toPage(rows.map(toResponse), window);
    }
    const links = await this.links.find({ where: { finess: actor.establishment ?? '' }, order: { pseudonym: 'ASC' }, skip: window.skip, take: window.take });
    const rows = await this.patients.find({ where: { pseudonym: In(links.map((l) => l.pseudonym)) }, order: { pseudonym: 'ASC' } });
    return toPage(rows.map(toResponse), window);
  }
}

export function toResponse(p: PatientEntity): PatientResponse {
  return { pseudonym: p.pseudonym, birthDate: p.birthDate, sex: p.sex, weightKg: p.weightKg };
}

/** A patient the actor may not see answers as one that does not exist (existence is not leaked). */
function patientNotFound(): Error {
  return patientError('PATIENT_NOT_FOUND', {}, [{ field: 'patient', reason: 'is not a patient of this establishment' }]);
}
