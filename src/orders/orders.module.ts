import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DemoSeedRegistry } from '../demo/demo-seed.registry';
import { MedicinesModule } from '../medicines/medicines.module';
import { OrderLineEntity } from './entities/order-line.entity';
import { OrderEntity } from './entities/order.entity';
import { seedDemoOrders } from './orders-demo';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/** Orders (SPEC §5 Order); part of the treatments feature, which imports it. */
@Module({
  imports: [TypeOrmModule.forFeature([OrderEntity, OrderLineEntity]), MedicinesModule],
  controllers: [OrdersController],
  providers: [OrdersService],
  exports: [OrdersService],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly orders: OrdersService,
    private readonly demo: DemoSeedRegistry,
  ) {}

  onModuleInit(): void {
    this.demo.register('orders', 30, (manager, ctx) => seedDemoOrders(manager, ctx, this.orders));
  }
}
