import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { AllocationsService } from './allocations.service';
import { AllocationResponseDto, SupplyDeclaredDto } from './dto/allocation.response';
import { DeclareSupplyDto } from './dto/allocation.dto';
import { EmptyDto } from './dto/initiation-request.dto';
import { ApiPeriodParam, PeriodPipe } from '../common/validation/domain-validators';

@ApiTags('allocations')
@ApiBearerAuth()
@Controller('api/v1/medicines')
export class AllocationsController {
  constructor(private readonly allocations: AllocationsService) {}

  @Get(':code/allocations/:period')
  @ApiPeriodParam()
  @ApiOkResponse({ type: AllocationResponseDto, description: "the period's allocation; an establishment's users see their own centre only" })
  @ApiProblems({ 400: ['PERIOD_INVALID'], 404: ['MEDICINE_NOT_FOUND', 'ALLOCATION_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('code') code: string, @Param('period', PeriodPipe) period: string): Promise<AllocationResponseDto> {
    return this.allocations.get(actor, code, period);
  }

  @Post(':code/allocations/:period/compute')
  @Roles('agency')
  @HttpCode(200)
  @ApiPeriodParam()
  @ApiOkResponse({ type: AllocationResponseDto, description: 'computed once; a second call answers the same allocation' })
  @ApiProblems({ 400: ['PERIOD_INVALID', 'VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['MEDICINE_NOT_FOUND'], 422: ['NO_POLICY_IN_FORCE'] })
  compute(@CurrentActor() actor: Actor, @Param('code') code: string, @Param('period', PeriodPipe) period: string, @Body() _body: EmptyDto): Promise<AllocationResponseDto> {
    return this.allocations.compute(actor, code, period);
  }

  /** Initiations the lab's freed stock allows in a period (freed-stock mode); the stock itself is declared at …/supply. */
  @Post(':code/initiation-supply')
  @Roles('lab')
  @ApiCreatedResponse({ type: SupplyDeclaredDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['MEDICINE_NOT_FOUND'] })
  declareSupply(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: DeclareSupplyDto): Promise<SupplyDeclaredDto> {
    return this.allocations.declareSupply(actor, code, body);
  }
}
