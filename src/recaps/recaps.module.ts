import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '../jobs/jobs.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { PatientsModule } from '../patients/patients.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RecapLineEntity } from './entities/recap-line.entity';
import { RecapEntity } from './entities/recap.entity';
import { RecapCsvWorker } from './recap-csv-worker';
import { RecapLimits } from './recap-limits';
import { RecapsController } from './recaps.controller';
import { RecapsDemo } from './recaps-demo';
import { RecapsService } from './recaps.service';

/**
 * Monthly recaps (SPEC §5, §11), with what depends on them: their reconciliation and the jobs
 * module that schedules both (SPEC §7). The app imports this one module.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RecapEntity, RecapLineEntity]), JobsModule, ReconciliationModule, MedicinesModule, PatientsModule],
  controllers: [RecapsController],
  providers: [RecapsService, RecapLimits, RecapsDemo, RecapCsvWorker],
  exports: [RecapsService, RecapLimits],
})
export class RecapsModule {}
