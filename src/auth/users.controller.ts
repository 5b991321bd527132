import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { NotificationChoice } from '../common/contracts/notifier';
import { Page, PageQueryDto } from '../common/pagination/page';
import { CurrentActor, Roles } from './auth.decorators';
import type { Actor } from '../common/domain/roles';
import { UserResponse, UsersService } from './users.service';

/** The caller (`GET /api/v1/me`, with their notification choices) and the users the agency manages (`GET /api/v1/users`). */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentActor() actor: Actor): Promise<UserResponse & { notifications: NotificationChoice[] }> {
    return this.users.me(actor);
  }

  @Get('users')
  @Roles('agency')
  list(@Query() query: PageQueryDto): Promise<Page<UserResponse>> {
    return this.users.list(query);
  }
}
