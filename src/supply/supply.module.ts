import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { SUSTAINABLE_CAP } from '../common/contracts/sustainable-cap';
import { MedicinesModule } from '../medicines/medicines.module';
import { PoliciesService } from '../medicines/policies.service';
import { SupplyDeclarationEntity } from './entities/supply-declaration.entity';
import { seedDemoSupply } from './supply-demo';
import { SupplyController } from './supply.controller';
import { SupplyService } from './supply.service';

/** Continuations first, by the stock (issue 18): supply declarations and the projection; global for SUSTAINABLE_CAP. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SupplyDeclarationEntity]), MedicinesModule],
  controllers: [SupplyController],
  providers: [SupplyService, { provide: SUSTAINABLE_CAP, useExisting: SupplyService }],
  exports: [SupplyService, SUSTAINABLE_CAP],
})
export class SupplyModule implements OnModuleInit {
  constructor(private readonly demo: DemoSeedRegistry, private readonly policies: PoliciesService) {}

  onModuleInit(): void {
    this.demo.register('supply', 60, (manager, ctx) => seedDemoSupply(manager, ctx, this.policies));
  }
}
