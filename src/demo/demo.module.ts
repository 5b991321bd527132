import { Global, Module } from '@nestjs/common';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { DemoSeeder } from './demo-seeder.service';

@Global()
@Module({ providers: [DemoSeeder, DemoSeedRegistry], exports: [DemoSeeder, DemoSeedRegistry] })
export class DemoModule {}
