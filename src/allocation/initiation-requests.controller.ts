import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { CommitteeService } from './committee.service';
import { CreateInitiationRequestDto, EmptyDto, ListInitiationRequestsDto, RankDto, VoteDto } from './dto/initiation-request.dto';
import { InitiationRequestsService } from './initiation-requests.service';

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
  submit(@CurrentActor() actor: Actor, @Body() body: CreateInitiationRequestDto): ReturnType<InitiationRequestsService['submit']> {
    return this.requests.submit(actor, body);
  }

  @Get()
  @Roles('pharmacist', 'prescriber', 'committee', 'agency')
  list(@CurrentActor() actor: Actor, @Query() query: ListInitiationRequestsDto): ReturnType<InitiationRequestsService['list']> {
    return this.requests.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'prescriber', 'committee', 'agency')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): ReturnType<InitiationRequestsService['get']> {
    return this.requests.get(actor, id);
  }

  @Post(':id/votes')
  @Roles('committee')
  vote(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: VoteDto): ReturnType<CommitteeService['vote']> {
    return this.committee.vote(actor, id, body);
  }

  @Put(':id/rank')
  @Roles('prescriber')
  rank(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RankDto): ReturnType<InitiationRequestsService['rank']> {
    return this.requests.rank(actor, id, body.rank);
  }

  @Post(':id/withdraw')
  @Roles('prescriber', 'pharmacist')
  @HttpCode(200)
  withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() _body: EmptyDto): ReturnType<InitiationRequestsService['withdraw']> {
    return this.requests.withdraw(actor, id);
  }
}
