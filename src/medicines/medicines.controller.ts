import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { IndicationResponseDto, MedicineResponseDto, PolicyResponseDto, ScheduleItemDto } from './dto/medicine-response.dto';
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
  @ApiPageResponse(MedicineResponseDto)
  async list(): Promise<Page<MedicineResponseDto>> {
    return pageOf(await this.medicines.list(), { limit: 500 });
  }

  @Get(':code')
  @ApiOkResponse({ type: MedicineResponseDto })
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND'] })
  get(@Param('code') code: string): Promise<MedicineResponseDto> {
    return this.medicines.get(code);
  }

  @Get(':code/indications')
  @ApiPageResponse(IndicationResponseDto, 'every indication (one page)')
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND'] })
  async indications(@Param('code') code: string): Promise<Page<IndicationResponseDto>> {
    return { items: (await this.medicines.get(code)).indications, nextCursor: null };
  }

  @Get(':code/policies')
  @ApiPageResponse(PolicyResponseDto, 'every version, oldest first (one page)')
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND'] })
  async listPolicies(@Param('code') code: string): Promise<Page<PolicyResponseDto>> {
    return { items: await this.policies.list(code), nextCursor: null };
  }

  @Post(':code/policies')
  @Roles('agency')
  @ApiCreatedResponse({ type: PolicyResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'POLICY_INVALID'], 404: ['MEDICINE_NOT_FOUND'], 409: ['POLICY_EFFECTIVE_DATE_CONFLICT'], 422: ['POLICY_EFFECTIVE_IN_PAST', 'UNKNOWN_INDICATION'] })
  publish(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: PublishPolicyDto): Promise<PolicyResponseDto> {
    return this.policies.publish(actor, code, body);
  }

  @Get(':code/schedules')
  @ApiPageResponse(ScheduleItemDto, 'every dosing schedule (one page)')
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND'] })
  async schedules(@Param('code') code: string): Promise<Page<ScheduleItemDto>> {
    return { items: await this.policies.schedules(code), nextCursor: null };
  }
}
