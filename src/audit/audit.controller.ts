import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { AuditService } from './audit.service';
import { AuditEventDto, AuditVerificationDto, CheckpointResponseDto } from './dto/audit-response.dto';
import { VerifyAuditDto } from './dto/checkpoint.dto';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 50, example: 'policy' }) @IsOptional() @IsString() @MaxLength(50) entity?: string;
  @ApiPropertyOptional({ maxLength: 100, example: 'NULOJIX/v7' }) @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @ApiPropertyOptional({ maxLength: 80, example: 'policy.published' }) @IsOptional() @IsString() @MaxLength(80) action?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('agency')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiPageResponse(AuditEventDto)
  list(@Query() query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    return this.audit.list(query);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOkResponse({ type: AuditVerificationDto })
  async verify(@Body() body: VerifyAuditDto): Promise<AuditVerificationDto> {
    const { ok, events, firstBrokenAt, reason, checkpoint } = await this.audit.verify(body.checkpoint ?? null);
    return { ok, events, firstBrokenAt, reason, checkpoint };
  }

  @Get('checkpoint')
  @ApiOkResponse({ type: CheckpointResponseDto })
  @ApiProblems({ 404: ['AUDIT_CHECKPOINT_NOT_FOUND'] })
  checkpoint(): Promise<CheckpointResponseDto> {
    return this.audit.latestCheckpoint();
  }

  @Post('checkpoints')
  @ApiCreatedResponse({ type: CheckpointResponseDto })
  @ApiProblems({ 409: ['AUDIT_CHAIN_BROKEN'] })
  takeCheckpoint(@CurrentActor() actor: Actor): Promise<CheckpointResponseDto> {
    return this.audit.takeCheckpoint(actor);
  }
}
