import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/auth.service';
import { Role, SYSTEM_ACTOR } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { newId } from '../common/database/ids';
import { UnitOfWork } from '../common/database/unit-of-work';
import { USER_DIRECTORY, type NewDirectoryUser, type UserDirectory } from '../common/contracts/user-directory';
import { APP_CONFIG, AppConfig } from '../config/config';
import { withFinessKey } from '../common/domain/finess';
import { EstablishmentsService } from '../establishments/establishments.service';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { withNirKey } from '../patients/domain/nir';
import { hashNir, pseudonymOf } from '../patients/domain/pseudonym';
import { DemoPatient, PatientsService } from '../patients/patients.service';
import { DEMO_CENTRES, followedPatientsHistory } from './demo-centres';
import { DEMO_MEDICINES, NULOJIX, NULOJIX_TIMELINE } from './demo-medicines';
import { DemoContext, DemoSeedRegistry } from '../common/contracts/demo-seed-registry';

export const DEMO_PASSWORD = 'contingent-demo';
export const DEMO_PATIENTS_PER_CENTRE = 6;

/**
 * Loads the demo data (SPEC §12) on an empty database, in one transaction: the core's (centres,
 * medicines and policies, users, patients) through each owning module's service or contract, then
 * the steps the feature modules registered in the DemoSeedRegistry (each seeds its own tables).
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly registry: DemoSeedRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly establishments: EstablishmentsService,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly patientRegistry: PatientsService,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    if (await this.directory.hasUsers()) return false;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const context = await this.unitOfWork.run((manager) => this.seed(manager, passwordHash), { alone: true });
    for (const { name, step } of this.registry.afterSteps()) {
      this.logger.log(`demo data: ${name}`);
      await step(context);
    }
    this.logger.log('demo data loaded');
    return true;
  }

  private async seed(manager: EntityManager, passwordHash: string): Promise<DemoContext> {
    const now = this.clock.now();
    const at = now.toISOString();
    const centres = DEMO_CENTRES.map((c) => ({ ...c, finess: withFinessKey(c.body) }));

    await this.establishments.addDemoCentres(manager, centres.map((c, i) => ({
      finess: c.finess, name: `${c.name} (fictif)`, region: c.region, category: c.category, transplantCentre: c.transplantCentre, followed: followedPatientsHistory(c, i),
    })), at);
    await this.medicines.addMedicines(manager, DEMO_MEDICINES, at);
    await this.policies.addTimeline(manager, NULOJIX, NULOJIX_TIMELINE, at, 'agency');

    const users: NewDirectoryUser[] = [
      user('agency', 'agency', null, null, 'Agence nationale (démo)'),
      user('lab', 'lab', null, null, 'Laboratoire exploitant (démo)'),
    ];
    centres.slice(0, 3).forEach((c, i) => users.push(user(`committee-${i + 1}`, 'committee', c.finess, 'nephrology', `Membre du comité ${i + 1}`)));
    for (const c of centres) {
      users.push(user(`pui-${c.finess}`, 'pharmacist', c.finess, null, `PUI ${c.city}`));
      users.push(user(`prescriber-${c.finess}`, 'prescriber', c.finess, 'nephrology', `Néphrologue ${c.city}`));
      users.push(user(`haematologist-${c.finess}`, 'prescriber', c.finess, 'haematology', `Hématologue ${c.city}`));
      users.push(user(`neurologist-${c.finess}`, 'prescriber', c.finess, 'neurology', `Neurologue ${c.city}`));
    }
    await this.directory.addUsers(manager, users, passwordHash, at);

    const patientsByCentre = new Map<string, string[]>();
    const patients: DemoPatient[] = [];
    centres.forEach((c, i) => {
      const list: string[] = [];
      for (let j = 0; j < DEMO_PATIENTS_PER_CENTRE; j++) {
        const nir = demoNir(c.body.slice(0, 2), i, j);
        const nirHash = hashNir(nir, this.config.patientIdSecret);
        const pseudonym = pseudonymOf(nirHash, this.config.patientIdSecret);
        const year = 1950 + ((i * 7 + j * 13) % 50);
        const month = String(1 + ((i + j) % 12)).padStart(2, '0');
        patients.push({ pseudonym, nirHash, birthDate: `${year}-${month}-15`, sex: j % 2 === 0 ? 'M' : 'F', weightKg: 55 + ((i * 11 + j * 17) % 45), finess: c.finess });
        list.push(pseudonym);
      }
      patientsByCentre.set(c.finess, list);
    });
    await this.patientRegistry.addDemoPatients(manager, patients, at);

    const context: DemoContext = { centres: centres.map((c) => c.finess), patientsByCentre, now };
    for (const { name, step } of this.registry.ordered()) {
      this.logger.log(`demo data: ${name}`);
      await step(manager, context);
    }
    await this.audit.record(manager, SYSTEM_ACTOR, {
      action: 'demo.seeded', entity: 'demo', entityId: 'demo',
      after: { establishments: centres.length, users: users.length, patients: patients.length, policies: NULOJIX_TIMELINE.length, steps: this.registry.ordered().map((s) => s.name) },
      establishment: null,
    });
    return context;
  }
}

function user(username: string, role: Role, establishment: string | null, specialty: string | null, displayName: string): NewDirectoryUser {
  return { id: newId(), username, role, establishment, specialty, displayName };
}

/** A valid, deterministic demo NIR for patient j of centre i (never a real person's). */
export function demoNir(department: string, i: number, j: number): string {
  const sex = j % 2 === 0 ? '1' : '2';
  const yy = String((50 + ((i * 7 + j * 13) % 50)) % 100).padStart(2, '0');
  const mm = String(1 + ((i + j) % 12)).padStart(2, '0');
  const dept = /^\d{2}$|^2[AB]$/.test(department) ? department : '75';
  return withNirKey(`${sex}${yy}${mm}${dept}999${String(i * 100 + j).padStart(3, '0').slice(-3)}`);
}
