import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ListTreatmentsQueryDto, StartTreatmentDto, StopTreatmentDto, TransferTreatmentDto } from './dto/treatment.dto';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { TreatmentPageDto, TreatmentResponseDto } from './dto/treatment.response';
import { TreatmentsService } from './treatments.service';

const ApiTreatmentId = (): MethodDecorator => ApiParam({ name: 'id', description: 'the treatment id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('treatments')
@ApiBearerAuth()
@Controller('api/v1/treatments')
export class TreatmentsController {
  constructor(private readonly treatments: TreatmentsService) {}

  @Post()
  @Roles('pharmacist', 'prescriber')
  @ApiCreatedResponse({ type: TreatmentResponseDto, description: 'the treatment, `active`' })
  @ApiProblems({
    400: ['VALIDATION_FAILED'],
    403: ['ROLE_NOT_ALLOWED'],
    404: ['REQUEST_NOT_FOUND', 'MEDICINE_NOT_FOUND', 'PATIENT_NOT_FOUND'],
    409: ['TREATMENT_ALREADY_ACTIVE', 'REQUEST_NOT_GRANTED', 'GRANT_EXPIRED'],
    422: ['REQUEST_REQUIRED', 'INDICATION_UNKNOWN', 'INDICATION_NOT_ENABLED', 'POLICY_NOT_IN_FORCE', 'TREATMENT_DATE_INVALID', 'TREATMENT_DATE_IN_FUTURE', 'TREATMENT_WEIGHT_INVALID'],
  })
  start(@CurrentActor() actor: Actor, @Body() body: StartTreatmentDto): Promise<TreatmentResponseDto> {
    return this.treatments.start(actor, body);
  }

  @Get()
  @Roles('pharmacist', 'prescriber', 'lab', 'agency')
  @ApiOkResponse({ type: TreatmentPageDto, description: 'scoped to the caller' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'] })
  list(@CurrentActor() actor: Actor, @Query() query: ListTreatmentsQueryDto): Promise<TreatmentPageDto> {
    return this.treatments.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'prescriber', 'lab', 'agency')
  @ApiTreatmentId()
  @ApiOkResponse({ type: TreatmentResponseDto })
  @ApiProblems({ 403: ['ROLE_NOT_ALLOWED'], 404: ['TREATMENT_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TreatmentResponseDto> {
    return this.treatments.get(actor, id);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @Roles('pharmacist', 'prescriber')
  @ApiTreatmentId()
  @ApiOkResponse({ type: TreatmentResponseDto, description: 'the treatment, `stopped`' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['TREATMENT_NOT_FOUND'], 409: ['TREATMENT_NOT_ACTIVE'], 422: ['TREATMENT_DATE_INVALID', 'TREATMENT_DATE_IN_FUTURE', 'STOP_BEFORE_START', 'STOP_BEFORE_TRANSFER', 'STOP_REASON_INVALID'] })
  stop(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: StopTreatmentDto): Promise<TreatmentResponseDto> {
    return this.treatments.stop(actor, id, body);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Roles('pharmacist')
  @ApiTreatmentId()
  @ApiOkResponse({ type: TreatmentResponseDto, description: 'the treatment after the transfer, as the caller now sees it' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['TREATMENT_NOT_FOUND'], 409: ['TREATMENT_NOT_ACTIVE'], 422: ['TREATMENT_DATE_INVALID', 'TREATMENT_DATE_IN_FUTURE', 'TRANSFER_BEFORE_START', 'TRANSFER_TO_SAME_ESTABLISHMENT', 'TRANSFER_ESTABLISHMENT_UNKNOWN'] })
  transfer(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: TransferTreatmentDto): Promise<TreatmentResponseDto> {
    return this.treatments.transfer(actor, id, body);
  }
}
