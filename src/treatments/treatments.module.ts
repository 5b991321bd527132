import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ACTIVE_TREATMENTS } from '../common/contracts/active-treatments';
import { TREATMENT_FACTS } from '../common/contracts/treatment-facts';
import { DemoSeedRegistry } from '../demo/demo-seed.registry';
import { MedicinesModule } from '../medicines/medicines.module';
import { OrdersModule } from '../orders/orders.module';
import { PatientDetailsRegistry } from '../patients/patient-details.registry';
import { PatientsModule } from '../patients/patients.module';
import { TreatmentTransferEntity } from './entities/treatment-transfer.entity';
import { TreatmentEntity } from './entities/treatment.entity';
import { TreatmentFactsService } from './treatment-facts.service';
import { TreatmentsController } from './treatments.controller';
import { seedDemoTreatments } from './treatments-demo';
import { TreatmentsService } from './treatments.service';

/**
 * Declarations, dosing and orders (issue 5): treatments here, orders in ../orders (imported, so the
 * app lists one module). Global so that reconciliation and reports inject TREATMENT_FACTS without
 * importing it. ALLOCATION_HOOKS is optional: the allocation module provides it globally.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TreatmentEntity, TreatmentTransferEntity]), PatientsModule, MedicinesModule, OrdersModule],
  controllers: [TreatmentsController],
  providers: [TreatmentsService, TreatmentFactsService, { provide: TREATMENT_FACTS, useExisting: TreatmentFactsService }, { provide: ACTIVE_TREATMENTS, useExisting: TreatmentFactsService }],
  exports: [TreatmentsService, TREATMENT_FACTS, ACTIVE_TREATMENTS],
})
export class TreatmentsModule implements OnModuleInit {
  constructor(
    private readonly treatments: TreatmentsService,
    private readonly details: PatientDetailsRegistry,
    private readonly demo: DemoSeedRegistry,
  ) {}

  onModuleInit(): void {
    this.details.register('treatments', (pseudonym, actor) => this.treatments.forPatient(pseudonym, actor));
    this.demo.register('treatments', 20, (manager, ctx) => seedDemoTreatments(manager, ctx));
  }
}
