import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { explanationLang } from './domain/projection-explanation';
import { DeclareSupplyDto, ProjectionQueryDto, SupplyResponse } from './dto/supply.dto';
import { ProjectionResponse, SupplyService } from './supply.service';

/** Supply and projection (SPEC §8b, §11): the lab declares, the lab and the agency read. */
@ApiTags('supply')
@ApiBearerAuth()
@Controller('api/v1/medicines/:code')
export class SupplyController {
  constructor(private readonly supply: SupplyService) {}

  @Post('supply')
  @Roles('lab')
  declare(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() dto: DeclareSupplyDto): Promise<SupplyResponse> {
    return this.supply.declare(actor, code, dto);
  }

  @Get('supply')
  @Roles('lab', 'agency')
  current(@Param('code') code: string): Promise<SupplyResponse> {
    return this.supply.current(code);
  }

  @Get('supply/versions')
  @Roles('lab', 'agency')
  versions(@Param('code') code: string, @Query() query: PageQueryDto): Promise<Page<SupplyResponse>> {
    return this.supply.versions(code, query);
  }

  @Get('projection')
  @Roles('lab', 'agency')
  projection(@Param('code') code: string, @Query() query: ProjectionQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<ProjectionResponse> {
    return this.supply.projection(code, query.horizon, explanationLang(acceptLanguage));
  }
}
