import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Clock } from './clock/clock';
import { JobRegistry } from './contracts/job-registry';
import { ScheduleSources } from './contracts/schedule-sources';
import { UnitOfWork } from './database/unit-of-work';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';

/** Config, clock, transactions and idempotency, for every module. */
@Global()
@Module({})
export class CommonModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly idempotency: IdempotencyInterceptor,
  ) {}

  onModuleInit(): void {
    this.jobs.register('idempotency-keys.purge', () => this.idempotency.purgeExpired());
  }

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      imports: [TypeOrmModule.forFeature([IdempotencyKeyEntity])],
      providers: [{ provide: APP_CONFIG, useValue: config }, Clock, UnitOfWork, IdempotencyInterceptor, JobRegistry, ScheduleSources],
      exports: [APP_CONFIG, Clock, UnitOfWork, IdempotencyInterceptor, JobRegistry, ScheduleSources, TypeOrmModule],
    };
  }
}
