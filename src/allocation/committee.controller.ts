import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { PageQueryDto } from '../common/pagination/page';
import { CommitteeService } from './committee.service';

@ApiTags('committee')
@ApiBearerAuth()
@Controller('api/v1/committee')
export class CommitteeController {
  constructor(private readonly committee: CommitteeService) {}

  @Get('queue')
  @Roles('committee', 'agency')
  queue(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): ReturnType<CommitteeService['queue']> {
    return this.committee.queue(actor, query);
  }
}
