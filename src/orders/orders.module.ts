import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TREATMENT_FACTS, TreatmentFacts } from '../common/contracts/treatment-facts';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { MedicinesModule } from '../medicines/medicines.module';
import { TreatmentFactsService } from '../treatments/treatment-facts.service';
import { TreatmentsModule } from '../treatments/treatments.module';
import { TreatmentsService } from '../treatments/treatments.service';
import { OrderLineEntity } from './entities/order-line.entity';
import { OrderEntity } from './entities/order.entity';
import { seedDemoOrders } from './orders-demo';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/**
 * Orders (SPEC §5 Order), above treatments: an order's lines are justified by the patients'
 * treatments (TreatmentsService). Global because it provides TREATMENT_FACTS — the treatments'
 * facts and the orders' — to reconciliation, recaps and allocation without their importing either.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OrderEntity, OrderLineEntity]), MedicinesModule, TreatmentsModule],
  controllers: [OrdersController],
  providers: [
    OrdersService,
    {
      provide: TREATMENT_FACTS,
      inject: [TreatmentFactsService, OrdersService],
      useFactory: (treatments: TreatmentFactsService, orders: OrdersService): TreatmentFacts => ({
        treatmentsInPeriod: (medicine, period) => treatments.treatmentsInPeriod(medicine, period),
        ordersInPeriod: (medicine, period) => orders.ordersInPeriod(medicine, period),
        stagePeriodFacts: async (manager, medicine, period, tables) => {
          await treatments.stageTreatments(manager, medicine, period, tables);
          await orders.stageOrders(manager, medicine, period, tables);
        },
      }),
    },
  ],
  exports: [OrdersService, TREATMENT_FACTS],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly orders: OrdersService,
    private readonly treatments: TreatmentsService,
    private readonly demo: DemoSeedRegistry,
  ) {}

  onModuleInit(): void {
    this.demo.register('orders', 30, (manager, ctx) => seedDemoOrders(manager, ctx, this.orders, this.treatments));
  }
}
