import { Module } from '@nestjs/common';
import { AuditVerifyCommand } from './audit-verify.command';
import { MigrateCommand } from './migrate.command';
import { ReplayCommand } from './replay.command';

/** Commands that need only a database connection; the replay command adds itself here. */
@Module({ providers: [MigrateCommand, AuditVerifyCommand, ReplayCommand] })
export class CliModule {}
