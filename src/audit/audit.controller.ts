import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/pagination/page';
import { AuditService } from './audit.service';

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
  list(@Query() query: AuditQueryDto) {
    return this.audit.list(query);
  }

  @Post('verify')
  @HttpCode(200)
  async verify() {
    const { ok, events, firstBrokenAt, reason } = await this.audit.verify();
    return { ok, events, firstBrokenAt, reason };
  }
}
