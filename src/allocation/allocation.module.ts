import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthService } from '../auth/auth.service';
import { SYSTEM_ACTOR } from '../common/domain/roles';
import { ALLOCATION_HOOKS } from '../common/contracts/allocation-hooks';
import { JobRegistry } from '../common/contracts/job-registry';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { MedicinesService } from '../medicines/medicines.service';
import { PatientDetailsRegistry } from '../patients/patient-details.registry';
import { PatientsModule } from '../patients/patients.module';
import { seedAllocationDemo } from './allocation-demo';
import { AllocationHooksService } from './allocation-hooks.service';
import { AllocationCounters } from './allocation-counters.repository';
import { AllocationsController } from './allocations.controller';
import { AllocationsService } from './allocations.service';
import { CommitteeController } from './committee.controller';
import { CommitteeService } from './committee.service';
import { DecisionFactsReader } from './decision-facts';
import { CapacityEventEntity } from './entities/capacity-event.entity';
import { CentreAllocationEntity } from './entities/centre-allocation.entity';
import { CommitteeVoteEntity } from './entities/committee-vote.entity';
import { InitiationRequestEntity } from './entities/initiation-request.entity';
import { PeriodAllocationEntity } from './entities/period-allocation.entity';
import { INITIATION_REQUEST_FACTS_PROVIDERS } from './initiation-request-facts.provider';
import { InitiationRequestsController } from './initiation-requests.controller';
import { INITIATION_REQUEST_FACTS } from '../common/contracts/initiation-request-facts';
import { InitiationRequestsService } from './initiation-requests.service';
import { PeriodLifecycle } from './period-lifecycle.service';
import { SlotDecisions } from './slot-decisions.service';
import { WaitingQueue } from './waiting-queue.service';

/** Initiation requests, the committee, period allocations and centre quotas (SPEC §3–5). ALLOCATION_HOOKS is global for the treatments module. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([InitiationRequestEntity, CommitteeVoteEntity, PeriodAllocationEntity, CentreAllocationEntity, CapacityEventEntity]),
    MedicinesModule,
    PatientsModule,
    EstablishmentsModule,
  ],
  controllers: [InitiationRequestsController, CommitteeController, AllocationsController],
  providers: [
    AllocationCounters,
    DecisionFactsReader,
    SlotDecisions,
    WaitingQueue,
    PeriodLifecycle,
    InitiationRequestsService,
    CommitteeService,
    AllocationsService,
    AllocationHooksService,
    { provide: ALLOCATION_HOOKS, useExisting: AllocationHooksService },
    ...INITIATION_REQUEST_FACTS_PROVIDERS,
  ],
  exports: [ALLOCATION_HOOKS, AllocationsService, InitiationRequestsService, INITIATION_REQUEST_FACTS],
})
export class AllocationModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly details: PatientDetailsRegistry,
    private readonly demo: DemoSeedRegistry,
    private readonly requests: InitiationRequestsService,
    private readonly committee: CommitteeService,
    private readonly allocations: AllocationsService,
    private readonly auth: AuthService,
    private readonly medicines: MedicinesService,
  ) {
    // createApp seeds the demo data before app.init(), so before any onModuleInit: register the step here.
    this.demo.register('initiation requests', 10, (manager, ctx) => seedAllocationDemo(manager, ctx, this.requests, this.committee, this.auth, this.medicines));
  }

  onModuleInit(): void {
    this.jobs.register('allocation.compute', (payload) => this.allocations.computeJob(SYSTEM_ACTOR, payload));
    this.jobs.register('allocation.start-period', (payload, job) => this.allocations.startPeriodJob(SYSTEM_ACTOR, payload, job));
    this.jobs.register('committee.overdue', () => this.committee.reportOverdue(SYSTEM_ACTOR));
    this.jobs.register('grants.expire', () => this.requests.expireGrants(SYSTEM_ACTOR));
    this.jobs.register('freed-stock.serve-queue', (payload) => this.allocations.serveQueueJob(SYSTEM_ACTOR, payload));
    this.jobs.register('quota.redistribute', (payload) => this.allocations.redistributeJob(SYSTEM_ACTOR, payload));
    this.details.register('requests', (pseudonym, actor) => this.requests.ofPatient(pseudonym, actor));
  }
}
