import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { AccessFormsService } from './access-forms.service';
import { AccessRequestsService } from './access-requests.service';
import { AgencyDecisionDto, CountersignDto, ListAccessRequestsDto, MeetingDecisionDto, SubmitAccessRequestDto, SubmitFormDto } from './dto/access-request.dto';
import { AccessFormSubmittedDto, AccessRequestPageDto, AccessRequestResponseDto } from './dto/access-request.response';

const ApiAccessRequestId = (): MethodDecorator => ApiParam({ name: 'id', description: 'the access request id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('access-requests')
@ApiBearerAuth()
@Controller('api/v1/access-requests')
export class AccessRequestsController {
  constructor(
    private readonly requests: AccessRequestsService,
    private readonly forms: AccessFormsService,
  ) {}

  /** Prescribers only (any other role: 403); a prescriber whose specialty the scheme does not name: 422 PRESCRIBER_SPECIALTY_NOT_ALLOWED. */
  @Post()
  @Roles('prescriber')
  @ApiCreatedResponse({ type: AccessRequestResponseDto, description: '`submitted`, judged by the criteria version in force today' })
  @ApiProblems({
    400: ['VALIDATION_FAILED', 'CLINICAL_FORM_INVALID'],
    403: ['ROLE_NOT_ALLOWED'],
    404: ['MEDICINE_NOT_FOUND', 'ACCESS_SCHEME_NOT_FOUND', 'PATIENT_NOT_FOUND'],
    409: ['ACCESS_REQUEST_ALREADY_OPEN'],
    422: ['MEDICINE_NOT_COMPASSIONATE', 'INDICATION_NOT_IN_SCHEME', 'PRESCRIBER_SPECIALTY_NOT_ALLOWED', 'NO_CRITERIA_IN_FORCE', 'MEDICINE_NOT_YET_AVAILABLE', 'MEDICINE_REPLACED'],
  })
  submit(@CurrentActor() actor: Actor, @Body() body: SubmitAccessRequestDto): Promise<AccessRequestResponseDto> {
    return this.requests.submit(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: AccessRequestPageDto, description: 'scoped to the caller' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'] })
  list(@CurrentActor() actor: Actor, @Query() query: ListAccessRequestsDto): Promise<AccessRequestPageDto> {
    return this.requests.list(actor, query);
  }

  @Get(':id')
  @ApiAccessRequestId()
  @ApiOkResponse({ type: AccessRequestResponseDto, description: 'with its follow-up forms' })
  @ApiProblems({ 404: ['ACCESS_REQUEST_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AccessRequestResponseDto> {
    return this.requests.get(actor, id);
  }

  @Post(':id/countersign')
  @HttpCode(200)
  @Roles('pharmacist')
  @ApiAccessRequestId()
  @ApiOkResponse({ type: AccessRequestResponseDto, description: 'the request, `countersigned` (or `meeting_review` where the scheme requires the meeting)' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ACCESS_REQUEST_NOT_FOUND'], 409: ['ACCESS_REQUEST_NOT_COUNTERSIGNABLE'], 422: ['ACCESS_ACTION_BEFORE_SUBMISSION'] })
  countersign(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CountersignDto): Promise<AccessRequestResponseDto> {
    return this.requests.countersign(actor, id, body);
  }

  @Post(':id/meeting')
  @HttpCode(200)
  @Roles('committee')
  @ApiAccessRequestId()
  @ApiOkResponse({ type: AccessRequestResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ACCESS_REQUEST_NOT_FOUND'], 409: ['ACCESS_REQUEST_NOT_IN_MEETING_REVIEW', 'ACCESS_REQUEST_MEETING_ALREADY_DECIDED'], 422: ['MEETING_MEMBER_OWN_ESTABLISHMENT', 'ACCESS_ACTION_BEFORE_SUBMISSION'] })
  meeting(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: MeetingDecisionDto): Promise<AccessRequestResponseDto> {
    return this.requests.meeting(actor, id, body);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('agency')
  @ApiAccessRequestId()
  @ApiOkResponse({ type: AccessRequestResponseDto, description: 'the request, `authorised`, `refused` or `excluded`' })
  @ApiProblems({
    400: ['VALIDATION_FAILED'],
    403: ['ROLE_NOT_ALLOWED'],
    404: ['ACCESS_REQUEST_NOT_FOUND'],
    409: ['ACCESS_REQUEST_NOT_COUNTERSIGNED', 'ACCESS_REQUEST_AWAITING_MEETING', 'ACCESS_REQUEST_ALREADY_DECIDED'],
    422: ['ACCESS_REQUEST_NOT_ELIGIBLE', 'ACCESS_DECISION_REASON_REQUIRED', 'ACCESS_DEROGATION_NOT_NEEDED', 'ACCESS_ACTION_BEFORE_SUBMISSION'],
  })
  decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AgencyDecisionDto): Promise<AccessRequestResponseDto> {
    return this.requests.decide(actor, id, body);
  }

  @Post(':id/renew')
  @HttpCode(200)
  @Roles('agency')
  @ApiAccessRequestId()
  @ApiOkResponse({ type: AccessRequestResponseDto, description: 'the authorisation extended by the scheme validity' })
  @ApiProblems({ 403: ['ROLE_NOT_ALLOWED'], 404: ['ACCESS_REQUEST_NOT_FOUND'], 409: ['AUTHORISATION_NOT_RENEWABLE'] })
  renew(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AccessRequestResponseDto> {
    return this.requests.renew(actor, id);
  }

  @Post(':id/forms')
  @Roles('prescriber', 'pharmacist')
  @ApiAccessRequestId()
  @ApiCreatedResponse({ type: AccessFormSubmittedDto })
  @ApiProblems({
    400: ['VALIDATION_FAILED', 'FORM_DATA_INVALID', 'FORM_INCOMPLETE'],
    403: ['ROLE_NOT_ALLOWED'],
    404: ['ACCESS_REQUEST_NOT_FOUND'],
    409: ['FORM_REQUEST_NOT_AUTHORISED', 'FORM_REQUEST_SWITCHED', 'FORM_ALREADY_RECEIVED', 'FORM_AFTER_STOP'],
    422: ['FORM_DUE_INVALID', 'FORM_DATE_BEFORE_AUTHORISATION', 'FORM_DATE_IN_FUTURE', 'STOP_REASON_REQUIRED', 'AUTHORISATION_EXPIRED'],
  })
  submitForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SubmitFormDto): Promise<AccessFormSubmittedDto> {
    return this.forms.submit(actor, id, body);
  }
}
