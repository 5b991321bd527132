import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { AuditService, CheckpointResponse } from './audit.service';
import type { CheckpointVerification } from './domain/audit-chain';
import { VerifyAuditDto } from './dto/checkpoint.dto';
import { AuditEventEntity } from './entities/audit-event.entity';

class AuditQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(50) entity?: string;
  @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @IsOptional() @IsString() @MaxLength(80) action?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('agency')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query() query: AuditQueryDto): Promise<Page<AuditEventEntity>> {
    return this.audit.list(query);
  }

  @Post('verify')
  @HttpCode(200)
  async verify(@Body() body: VerifyAuditDto): Promise<{ ok: boolean; events: number; firstBrokenAt: number | null; reason: string | null; checkpoint: CheckpointVerification | null }> {
    const { ok, events, firstBrokenAt, reason, checkpoint } = await this.audit.verify(body.checkpoint ?? null);
    return { ok, events, firstBrokenAt, reason, checkpoint };
  }

  @Get('checkpoint')
  checkpoint(): Promise<CheckpointResponse> {
    return this.audit.latestCheckpoint();
  }

  @Post('checkpoints')
  takeCheckpoint(@CurrentActor() actor: Actor): Promise<CheckpointResponse> {
    return this.audit.takeCheckpoint(actor);
  }
}
