import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { FINESS_PATTERN } from '../common/validation/domain-validators';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { ApproveFollowedPatientsDto, CreateEstablishmentDto, EstablishmentResponse, FollowedPatientsAnswer, FollowedPatientsDto, PendingDeclaration, RejectFollowedPatientsDto } from './dto/establishment.dto';
import { EstablishmentsService } from './establishments.service';
import { ApiPeriodParam, PeriodPipe } from '../common/validation/domain-validators';

const ApiFinessParam = (): MethodDecorator => ApiParam({ name: 'finess', schema: { type: 'string', pattern: FINESS_PATTERN, minLength: 9, maxLength: 9, example: '759900012' } });

@ApiTags('establishments')
@ApiBearerAuth()
@Controller('api/v1/establishments')
export class EstablishmentsController {
  constructor(private readonly establishments: EstablishmentsService) {}

  @Get()
  @ApiPageResponse(EstablishmentResponse)
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<EstablishmentResponse>> {
    return this.establishments.list(actor, query);
  }

  @Get(':finess')
  @ApiFinessParam()
  @ApiOkResponse({ type: EstablishmentResponse })
  @ApiProblems({ 404: ['ESTABLISHMENT_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('finess') finess: string): Promise<EstablishmentResponse> {
    return this.establishments.get(actor, finess);
  }

  @Post()
  @Roles('agency')
  @ApiCreatedResponse({ type: EstablishmentResponse })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'FINESS_INVALID'], 409: ['ESTABLISHMENT_EXISTS'] })
  create(@CurrentActor() actor: Actor, @Body() body: CreateEstablishmentDto): Promise<EstablishmentResponse> {
    return this.establishments.create(actor, body);
  }

  @Put(':finess/followed-patients/:period')
  @Roles('agency', 'pharmacist', 'prescriber')
  @ApiPeriodParam()
  @ApiFinessParam()
  @ApiOkResponse({ type: FollowedPatientsAnswer, description: 'agency: approved at once; the establishment: a proposal' })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'PERIOD_INVALID'], 404: ['ESTABLISHMENT_NOT_FOUND'] })
  setFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period', PeriodPipe) period: string, @Body() body: FollowedPatientsDto): Promise<FollowedPatientsAnswer> {
    return this.establishments.setFollowedPatients(actor, finess, period, body.count);
  }

  @Post(':finess/followed-patients/:period/approve')
  @Roles('agency')
  @HttpCode(200)
  @ApiPeriodParam()
  @ApiFinessParam()
  @ApiOkResponse({ type: FollowedPatientsAnswer })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'PERIOD_INVALID'], 404: ['ESTABLISHMENT_NOT_FOUND'], 409: ['NO_PENDING_DECLARATION'] })
  approveFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period', PeriodPipe) period: string, @Body() body: ApproveFollowedPatientsDto): Promise<FollowedPatientsAnswer> {
    return this.establishments.approveFollowedPatients(actor, finess, period, body.count);
  }

  @Post(':finess/followed-patients/:period/reject')
  @Roles('agency')
  @HttpCode(200)
  @ApiPeriodParam()
  @ApiFinessParam()
  @ApiOkResponse({ type: FollowedPatientsAnswer })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'PERIOD_INVALID'], 404: ['ESTABLISHMENT_NOT_FOUND'], 409: ['NO_PENDING_DECLARATION'] })
  rejectFollowedPatients(@CurrentActor() actor: Actor, @Param('finess') finess: string, @Param('period', PeriodPipe) period: string, @Body() body: RejectFollowedPatientsDto): Promise<FollowedPatientsAnswer> {
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
  @ApiPageResponse(PendingDeclaration)
  pending(@Query() query: PageQueryDto): Promise<Page<PendingDeclaration>> {
    return this.establishments.pendingDeclarations(query);
  }
}
