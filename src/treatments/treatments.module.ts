import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ACTIVE_TREATMENTS } from '../common/contracts/active-treatments';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { PoliciesService } from '../medicines/policies.service';
import { PatientDetailsRegistry } from '../patients/patient-details.registry';
import { PatientsModule } from '../patients/patients.module';
import { PatientsService } from '../patients/patients.service';
import { TreatmentTransferEntity } from './entities/treatment-transfer.entity';
import { TreatmentEntity } from './entities/treatment.entity';
import { TreatmentFactsService } from './treatment-facts.service';
import { TreatmentsController } from './treatments.controller';
import { seedDemoTreatments } from './treatments-demo';
import { TreatmentsService } from './treatments.service';

/**
 * Declarations (issue 5): treatments here; orders (../orders) sit above and import this module, which
 * never imports them. Global so that orders and the pages use TreatmentsService; TREATMENT_FACTS is
 * provided by the orders module. ALLOCATION_HOOKS is optional: the allocation module provides it globally.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TreatmentEntity, TreatmentTransferEntity]), PatientsModule, MedicinesModule, EstablishmentsModule],
  controllers: [TreatmentsController],
  providers: [TreatmentsService, TreatmentFactsService, { provide: ACTIVE_TREATMENTS, useExisting: TreatmentsService }],
  exports: [TreatmentsService, TreatmentFactsService, ACTIVE_TREATMENTS],
})
export class TreatmentsModule implements OnModuleInit {
  constructor(
    private readonly treatments: TreatmentsService,
    private readonly details: PatientDetailsRegistry,
    private readonly demo: DemoSeedRegistry,
    private readonly patients: PatientsService,
    private readonly policies: PoliciesService,
  ) {}

  onModuleInit(): void {
    this.details.register('treatments', (pseudonym, actor) => this.treatments.forPatient(pseudonym, actor));
    this.demo.register('treatments', 20, (manager, ctx) => seedDemoTreatments(manager, ctx, { patients: this.patients, policies: this.policies }));
  }
}
