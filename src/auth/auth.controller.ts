import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public } from './auth.decorators';
import { Authenticator } from './authenticator';
import { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly authenticator: Authenticator,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems({ 401: ['INVALID_CREDENTIALS'], 429: ['TOO_MANY_REQUESTS'] })
  async login(@Body() body: LoginDto, @Ip() address: string): Promise<LoginResponseDto> {
    const { accessToken, role, establishment, user } = await this.auth.login(body.username, body.password, address);
    return { accessToken, role, establishment, email: user.email ?? null };
  }

  /** Signs out: every token of the caller stops working (#12.6). */
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'signed out: every token of the caller stops working' })
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.authenticator.revoke(actor);
  }
}
