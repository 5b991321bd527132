import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRegistry } from '../common/contracts/job-registry';
import { ScheduleSources } from '../common/contracts/schedule-sources';
import { UnitOfWork } from '../common/database/unit-of-work';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { USER_DIRECTORY, type UserDirectory } from '../common/contracts/user-directory';
import { MedicinesService } from '../medicines/medicines.service';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { PatientDetailsRegistry } from '../patients/patient-details.registry';
import { PatientsModule } from '../patients/patients.module';
import { AuditModule } from '../audit/audit.module';
import { AccessFormsService } from './access-forms.service';
import { accessQueries } from './access-queries';
import { AccessMedicinesController } from './access-medicines.controller';
import { AccessReportsService } from './access-reports.service';
import { AccessRequestsController } from './access-requests.controller';
import { AccessRequestsService } from './access-requests.service';
import { seedCompassionateAccess } from './compassionate-access.demo';
import { CriteriaService } from './criteria.service';
import { AccessFormEntity } from './entities/access-form.entity';
import { AccessRequestEntity } from './entities/access-request.entity';
import { AccessSchemeEntity } from './entities/access-scheme.entity';
import { CriteriaVersionEntity } from './entities/criteria-version.entity';
import { SYSTEM_ACTOR } from '../common/domain/roles';

/** Compassionate access (SPEC §9): schemes, criteria as data, requests, national meetings, follow-up forms, periodic reports. */
@Module({
  imports: [TypeOrmModule.forFeature([AccessSchemeEntity, CriteriaVersionEntity, AccessRequestEntity, AccessFormEntity]), AuditModule, MedicinesModule, PatientsModule, EstablishmentsModule],
  controllers: [AccessRequestsController, AccessMedicinesController],
  providers: [AccessRequestsService, AccessFormsService, CriteriaService, AccessReportsService],
  exports: [AccessRequestsService, AccessFormsService, AccessReportsService],
})
export class CompassionateAccessModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly demo: DemoSeedRegistry,
    private readonly details: PatientDetailsRegistry,
    private readonly requests: AccessRequestsService,
    private readonly forms: AccessFormsService,
    private readonly schedules: ScheduleSources,
    private readonly unitOfWork: UnitOfWork,
    private readonly medicines: MedicinesService,
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
  ) {}

  onModuleInit(): void {
    this.demo.register('compassionate-access', 50, (manager, ctx) => seedCompassionateAccess(manager, ctx, { medicines: this.medicines, users: this.users }));
    this.jobs.register('access-forms.overdue', (payload) => this.forms.reportOverdue(payload.date));
    this.jobs.register('access-requests.switch', (payload) => this.requests.switchDue(SYSTEM_ACTOR, payload.medicine));
    this.details.register('accessRequests', (pseudonym, actor) => this.requests.forPatient(pseudonym, actor));
    // SPEC §10: the compassionate-access medicines' schedules at GET /medicines/{code}/schedules like any medicine's
    this.schedules.register(async (code) => {
      const scheme = await accessQueries.scheme(this.unitOfWork.dataSource.manager, code);
      return scheme === null ? null : [{ policyVersion: null, effectiveFrom: scheme.availableFrom, schedule: scheme.schedule }];
    });
  }
}
