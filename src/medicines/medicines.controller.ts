import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { Page, pageOf } from '../common/pagination/page';
import { PublishPolicyDto } from './dto/policy.dto';
import { MedicinesService } from './medicines.service';
import { PoliciesService } from './policies.service';

@ApiTags('medicines')
@ApiBearerAuth()
@Controller('api/v1/medicines')
export class MedicinesController {
  constructor(
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
  ) {}

  @Get()
  async list(): Promise<Page<Awaited<ReturnType<MedicinesService['list']>>[number]>> {
    return pageOf(await this.medicines.list(), { limit: 500 });
  }

  @Get(':code')
  get(@Param('code') code: string): ReturnType<MedicinesService['get']> {
    return this.medicines.get(code);
  }

  @Get(':code/indications')
  async indications(@Param('code') code: string): Promise<{ items: Awaited<ReturnType<MedicinesService['get']>>['indications']; nextCursor: null }> {
    return { items: (await this.medicines.get(code)).indications, nextCursor: null };
  }

  @Get(':code/policies')
  async listPolicies(@Param('code') code: string): Promise<{ items: Awaited<ReturnType<PoliciesService['list']>>; nextCursor: null }> {
    return { items: await this.policies.list(code), nextCursor: null };
  }

  @Post(':code/policies')
  @Roles('agency')
  publish(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: PublishPolicyDto): ReturnType<PoliciesService['publish']> {
    return this.policies.publish(actor, code, body);
  }

  @Get(':code/schedules')
  async schedules(@Param('code') code: string): Promise<{ items: Awaited<ReturnType<PoliciesService['schedules']>>; nextCursor: null }> {
    return { items: await this.policies.schedules(code), nextCursor: null };
  }
}
