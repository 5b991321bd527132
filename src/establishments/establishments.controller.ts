import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { PageQueryDto } from '../common/pagination/page';
import { CreateEstablishmentDto, FollowedPatientsDto } from './dto/establishment.dto';
import { EstablishmentsService } from './establishments.service';
import { ApiPeriodParam, PeriodPipe } from '../common/validation/domain-validators';

@ApiTags('establishments')
@ApiBearerAuth()
@Controller('api/v1/establishments')
export class EstablishmentsController {
  constructor(private readonly establishments: EstablishmentsService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto) {
    return this.establishments.list(actor, query);
  }

  @Get(':finess')
  get(@CurrentActor() actor: Actor, @Param('finess') finess: string) {
    return this.establishments.get(actor, finess);
  }

  @Post()
  @Roles('agency')
  create(@CurrentActor() actor: Actor, @Body() body: CreateEstablishmentDto) {
    return this.establishments.create(actor, body);
  }

  @Put(':finess/followed-patients/:period')
  @Roles('agency', 'pharmacist', 'prescriber')
  @ApiPeriodParam()
  setFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period', PeriodPipe) period: string, @Body() body: FollowedPatientsDto) {
    return this.establishments.setFollowedPatients(actor, finess, period, body.count);
  }
}
