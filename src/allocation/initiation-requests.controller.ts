import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { CommitteeService } from './committee.service';
import { CreateInitiationRequestDto, EmptyDto, ListInitiationRequestsDto, RankDto, VoteDto } from './dto/initiation-request.dto';
import { InitiationRequestPageDto, InitiationRequestResponseDto } from './dto/initiation-request.response';
import { InitiationRequestsService } from './initiation-requests.service';

const ApiRequestId = (): MethodDecorator => ApiParam({ name: 'id', description: 'the initiation request id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('initiation-requests')
@ApiBearerAuth()
@Controller('api/v1/initiation-requests')
export class InitiationRequestsController {
  constructor(
    private readonly requests: InitiationRequestsService,
    private readonly committee: CommitteeService,
  ) {}

  /** 201 with the decision: granted, waitlisted (with its reason) or pending_review. */
  @Post()
  @Roles('prescriber')
  @ApiCreatedResponse({ type: InitiationRequestResponseDto, description: 'the decision, with its reason code and sentence' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED', 'ESTABLISHMENT_REQUIRED'], 404: ['MEDICINE_NOT_FOUND', 'PATIENT_NOT_FOUND'], 409: ['PATIENT_ALREADY_REQUESTING', 'PATIENT_ALREADY_TREATED'], 422: ['NO_POLICY_IN_FORCE', 'INDICATION_NOT_ENABLED'] })
  submit(@CurrentActor() actor: Actor, @Body() body: CreateInitiationRequestDto): Promise<InitiationRequestResponseDto> {
    return this.requests.submit(actor, body);
  }

  @Get()
  @Roles('pharmacist', 'prescriber', 'committee', 'agency')
  @ApiOkResponse({ type: InitiationRequestPageDto, description: 'newest first, scoped to the caller' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'] })
  list(@CurrentActor() actor: Actor, @Query() query: ListInitiationRequestsDto): Promise<InitiationRequestPageDto> {
    return this.requests.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'prescriber', 'committee', 'agency')
  @ApiRequestId()
  @ApiOkResponse({ type: InitiationRequestResponseDto })
  @ApiProblems({ 403: ['ROLE_NOT_ALLOWED'], 404: ['REQUEST_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<InitiationRequestResponseDto> {
    return this.requests.get(actor, id);
  }

  @Post(':id/votes')
  @Roles('committee')
  @ApiRequestId()
  @ApiCreatedResponse({ type: InitiationRequestResponseDto, description: 'the request, decided once the policy\'s number of votes is reached' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['REQUEST_NOT_FOUND'], 409: ['ALREADY_VOTED', 'NOT_PENDING_REVIEW'], 422: ['RATIONALE_REQUIRED', 'NO_POLICY_IN_FORCE'] })
  vote(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: VoteDto): Promise<InitiationRequestResponseDto> {
    return this.committee.vote(actor, id, body);
  }

  @Put(':id/rank')
  @Roles('prescriber')
  @ApiRequestId()
  @ApiOkResponse({ type: InitiationRequestResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['REQUEST_NOT_FOUND'], 409: ['RANK_NOT_CHANGEABLE'] })
  rank(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RankDto): Promise<InitiationRequestResponseDto> {
    return this.requests.rank(actor, id, body.rank);
  }

  @Post(':id/withdraw')
  @Roles('prescriber', 'pharmacist')
  @HttpCode(200)
  @ApiRequestId()
  @ApiOkResponse({ type: InitiationRequestResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['REQUEST_NOT_FOUND'], 409: ['REQUEST_NOT_WITHDRAWABLE'] })
  withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() _body: EmptyDto): Promise<InitiationRequestResponseDto> {
    return this.requests.withdraw(actor, id);
  }
}
