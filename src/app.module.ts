import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { CompassionateAccessModule } from './compassionate-access/compassionate-access.module';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { loggerParams } from './common/logging';
import { MessageLanguageInterceptor } from './common/messages/localize';
import { ProblemDetailsFilter } from './common/problem-details/problem-details.filter';
import { AllocationModule } from './allocation/allocation.module';
import { AppConfig } from './config/config';
import { dataSourceOptions } from './config/data-source';
import { DemoModule } from './demo/demo.module';
import { LiveShortageDemoModule } from './demo/live-shortage-demo';
import { EstablishmentsModule } from './establishments/establishments.module';
import { HealthModule } from './health/health.module';
import { MedicinesModule } from './medicines/medicines.module';
import { PatientsModule } from './patients/patients.module';
import { TreatmentsModule } from './treatments/treatments.module';
import { OrdersModule } from './orders/orders.module';
import { WebModule } from './web/web.module';
import { RecapsModule } from './recaps/recaps.module';
import { SupplyModule } from './supply/supply.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config), autoLoadEntities: true }),
        AuditModule,
        AuthModule,
        EstablishmentsModule,
        MedicinesModule,
        PatientsModule,
        HealthModule,
        DemoModule,
        // feature modules
        SupplyModule,
        NotificationsModule,
        LiveShortageDemoModule,
        TreatmentsModule,
        OrdersModule,
        AllocationModule,
        RecapsModule,
        WebModule,
        CompassionateAccessModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: MessageLanguageInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
