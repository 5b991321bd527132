import { Module } from '@nestjs/common';
import { AuditVerifyCommand } from './audit-verify.command';
import { MigrateCommand } from './migrate.command';

/** Commands that need only a database connection; the replay command adds itself here. */
@Module({ providers: [MigrateCommand, AuditVerifyCommand] })
export class CliModule {}
