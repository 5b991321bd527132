import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { AllocationsService } from './allocations.service';
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
  get(@CurrentActor() actor: Actor, @Param('code') code: string, @Param('period', PeriodPipe) period: string): ReturnType<AllocationsService['get']> {
    return this.allocations.get(actor, code, period);
  }

  @Post(':code/allocations/:period/compute')
  @Roles('agency')
  @HttpCode(200)
  @ApiPeriodParam()
  compute(@CurrentActor() actor: Actor, @Param('code') code: string, @Param('period', PeriodPipe) period: string, @Body() _body: EmptyDto): ReturnType<AllocationsService['compute']> {
    return this.allocations.compute(actor, code, period);
  }

  /** Initiations the lab's freed stock allows in a period (freed-stock mode); the stock itself is declared at …/supply. */
  @Post(':code/initiation-supply')
  @Roles('lab')
  declareSupply(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: DeclareSupplyDto): ReturnType<AllocationsService['declareSupply']> {
    return this.allocations.declareSupply(actor, code, body);
  }
}
