import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { ApproveFollowedPatientsDto, CreateEstablishmentDto, EstablishmentResponse, FollowedPatientsAnswer, FollowedPatientsDto, PendingDeclaration, RejectFollowedPatientsDto } from './dto/establishment.dto';
import { EstablishmentsService } from './establishments.service';
import { ApiPeriodParam, PeriodPipe } from '../common/validation/domain-validators';

@ApiTags('establishments')
@ApiBearerAuth()
@Controller('api/v1/establishments')
export class EstablishmentsController {
  constructor(private readonly establishments: EstablishmentsService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<EstablishmentResponse>> {
    return this.establishments.list(actor, query);
  }

  @Get(':finess')
  get(@CurrentActor() actor: Actor, @Param('finess') finess: string): Promise<EstablishmentResponse> {
    return this.establishments.get(actor, finess);
  }

  @Post()
  @Roles('agency')
  create(@CurrentActor() actor: Actor, @Body() body: CreateEstablishmentDto): Promise<EstablishmentResponse> {
    return this.establishments.create(actor, body);
  }

  @Put(':finess/followed-patients/:period')
  @Roles('agency', 'pharmacist', 'prescriber')
  @ApiPeriodParam()
  setFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period', PeriodPipe) period: string, @Body() body: FollowedPatientsDto): Promise<FollowedPatientsAnswer> {
    return this.establishments.setFollowedPatients(actor, finess, period, body.count);
  }

  @Post(':finess/followed-patients/:period/approve')
  @Roles('agency')
  @HttpCode(200)
  approveFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period') period: string, @Body() body: ApproveFollowedPatientsDto): Promise<FollowedPatientsAnswer> {
    return this.establishments.approveFollowedPatients(actor, finess, period, body.count);
  }

  @Post(':finess/followed-patients/:period/reject')
  @Roles('agency')
  @HttpCode(200)
  rejectFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period') period: string, @Body() body: RejectFollowedPatientsDto): Promise<FollowedPatientsAnswer> {
    return this.establishments.rejectFollowedPatients(actor, finess, period, body.reason);
  }
}

/** Followed-patient declarations waiting for the agency (#12.7). */
@ApiTags('establishments')
@ApiBearerAuth()
@Controller('api/v1/followed-patient-declarations')
export class FollowedPatientDeclarationsController {
  constructor(private readonly establishments: EstablishmentsService) {}

  @Get()
  @Roles('agency')
  pending(@Query() query: PageQueryDto): Promise<Page<PendingDeclaration>> {
    return this.establishments.pendingDeclarations(query);
  }
}
