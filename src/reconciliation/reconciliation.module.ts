import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MedicinesModule } from '../medicines/medicines.module';
import { DiscrepancyEntity } from './entities/discrepancy.entity';
import { ReconciliationRunEntity } from './entities/reconciliation-run.entity';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReconciliationRunEntity, DiscrepancyEntity]), MedicinesModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
