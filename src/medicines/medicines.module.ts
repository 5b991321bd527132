import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IndicationEntity } from './entities/indication.entity';
import { MedicineEntity } from './entities/medicine.entity';
import { PolicyEntity } from './entities/policy.entity';
import { MedicinesController } from './medicines.controller';
import { MedicinesService } from './medicines.service';
import { PoliciesService } from './policies.service';

@Module({
  imports: [TypeOrmModule.forFeature([MedicineEntity, IndicationEntity, PolicyEntity])],
  controllers: [MedicinesController],
  providers: [MedicinesService, PoliciesService],
  exports: [MedicinesService, PoliciesService],
})
export class MedicinesModule {}
