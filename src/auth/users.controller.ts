import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { Page, PageQueryDto } from '../common/pagination/page';
import { CurrentActor, Roles } from './auth.decorators';
import type { Actor } from '../common/domain/roles';
import { MeResponseDto, UserResponseDto } from './dto/user.dto';
import { UsersService } from './users.service';

/** The caller (`GET /api/v1/me`, with their notification choices) and the users the agency manages (`GET /api/v1/users`). */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOkResponse({ type: MeResponseDto })
  @ApiProblems({ 404: ['USER_NOT_FOUND'] })
  me(@CurrentActor() actor: Actor): Promise<MeResponseDto> {
    return this.users.me(actor);
  }

  @Get('users')
  @Roles('agency')
  @ApiPageResponse(UserResponseDto)
  list(@Query() query: PageQueryDto): Promise<Page<UserResponseDto>> {
    return this.users.list(query);
  }
}
