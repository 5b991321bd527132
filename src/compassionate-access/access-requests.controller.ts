import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { AccessFormsService } from './access-forms.service';
import { AccessRequestsService } from './access-requests.service';
import { AgencyDecisionDto, CountersignDto, ListAccessRequestsDto, MeetingDecisionDto, SubmitAccessRequestDto, SubmitFormDto } from './dto/access-request.dto';

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
  submit(@CurrentActor() actor: Actor, @Body() body: SubmitAccessRequestDto): ReturnType<AccessRequestsService['submit']> {
    return this.requests.submit(actor, body);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListAccessRequestsDto): ReturnType<AccessRequestsService['list']> {
    return this.requests.list(actor, query);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): ReturnType<AccessRequestsService['get']> {
    return this.requests.get(actor, id);
  }

  @Post(':id/countersign')
  @HttpCode(200)
  @Roles('pharmacist')
  countersign(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CountersignDto): ReturnType<AccessRequestsService['countersign']> {
    return this.requests.countersign(actor, id, body);
  }

  @Post(':id/meeting')
  @HttpCode(200)
  @Roles('committee')
  meeting(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: MeetingDecisionDto): ReturnType<AccessRequestsService['meeting']> {
    return this.requests.meeting(actor, id, body);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('agency')
  decide(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AgencyDecisionDto): ReturnType<AccessRequestsService['decide']> {
    return this.requests.decide(actor, id, body);
  }

  @Post(':id/renew')
  @HttpCode(200)
  @Roles('agency')
  renew(@CurrentActor() actor: Actor, @Param('id') id: string): ReturnType<AccessRequestsService['renew']> {
    return this.requests.renew(actor, id);
  }

  @Post(':id/forms')
  @Roles('prescriber', 'pharmacist')
  submitForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SubmitFormDto): ReturnType<AccessFormsService['submit']> {
    return this.forms.submit(actor, id, body);
  }
}
