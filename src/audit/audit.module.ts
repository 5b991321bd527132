import { Global, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUDIT_TRAIL } from '../common/contracts/audit-trail';
import { JobRegistry } from '../common/contracts/job-registry';
import { SYSTEM_ACTOR } from '../common/domain/roles';
import { AuditController } from './audit.controller';
import { AuditSequencer } from './audit-sequencer.service';
import { AuditService } from './audit.service';
import { AuditCheckpointEntity } from './entities/audit-checkpoint.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { AuditHeadEntity } from './entities/audit-head.entity';
import { AuditPendingEntity } from './entities/audit-pending.entity';

/** The audit module's tables, for a bare DataSource (the command line). */
export const AUDIT_ENTITIES = [AuditEventEntity, AuditHeadEntity, AuditPendingEntity, AuditCheckpointEntity];

/** The audit trail (SPEC §8): events appended without a lock, chained by the sequencer, signed checkpoints taken daily and on demand. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(AUDIT_ENTITIES)],
  controllers: [AuditController],
  providers: [AuditService, AuditSequencer, { provide: AUDIT_TRAIL, useExisting: AuditService }],
  exports: [AuditService, AUDIT_TRAIL],
})
export class AuditModule implements OnModuleInit {
  constructor(
    private readonly audit: AuditService,
    private readonly jobs: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.jobs.register('audit.checkpoint', () => this.audit.takeCheckpoint(SYSTEM_ACTOR));
  }
}
