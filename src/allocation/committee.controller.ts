import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { PageQueryDto } from '../common/pagination/page';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { CommitteeService } from './committee.service';
import { CommitteeQueuePageDto } from './dto/initiation-request.response';

@ApiTags('committee')
@ApiBearerAuth()
@Controller('api/v1/committee')
export class CommitteeController {
  constructor(private readonly committee: CommitteeService) {}

  @Get('queue')
  @Roles('committee', 'agency')
  @ApiOkResponse({ type: CommitteeQueuePageDto, description: "urgent requests awaiting review, oldest first, the member's own establishment left out" })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'] })
  queue(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<CommitteeQueuePageDto> {
    return this.committee.queue(actor, query);
  }
}
