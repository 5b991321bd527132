import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditEventEntity } from './entities/audit-event.entity';
import { AuditHeadEntity } from './entities/audit-head.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity, AuditHeadEntity])],
  controllers: [AuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
