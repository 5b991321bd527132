import { Global, Module } from '@nestjs/common';
import { DemoSeedRegistry } from './demo-seed.registry';
import { DemoSeeder } from './demo-seeder.service';

@Global()
@Module({ providers: [DemoSeeder, DemoSeedRegistry], exports: [DemoSeeder, DemoSeedRegistry] })
export class DemoModule {}
