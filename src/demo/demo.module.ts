import { Global, Module } from '@nestjs/common';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { PatientsModule } from '../patients/patients.module';
import { DemoSeeder } from './demo-seeder.service';

/** The demo's seeder and its registry: the core data through the owning modules' services (users through the global USER_DIRECTORY). */
@Global()
@Module({ imports: [EstablishmentsModule, MedicinesModule, PatientsModule], providers: [DemoSeeder, DemoSeedRegistry], exports: [DemoSeeder, DemoSeedRegistry] })
export class DemoModule {}
