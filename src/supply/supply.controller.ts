import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { explanationLang } from './domain/projection-explanation';
import { ProjectionQueryDto, ProjectionResponseDto, SupplyDeclarationDto, SupplyResponse } from './dto/supply.dto';
import { SupplyService } from './supply.service';

/** Supply and projection (SPEC §8b, §11): the lab declares, the lab and the agency read. */
@ApiTags('supply')
@ApiBearerAuth()
@Controller('api/v1/medicines/:code')
export class SupplyController {
  constructor(private readonly supply: SupplyService) {}

  @Post('supply')
  @Roles('lab')
  @ApiCreatedResponse({ type: SupplyResponse, description: 'the declaration, a new version' })
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND'], 422: ['SUPPLY_DECLARATION_INVALID'] })
  declare(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() dto: SupplyDeclarationDto): Promise<SupplyResponse> {
    return this.supply.declare(actor, code, dto);
  }

  @Get('supply')
  @Roles('lab', 'agency')
  @ApiOkResponse({ type: SupplyResponse })
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND', 'SUPPLY_NOT_DECLARED'] })
  current(@Param('code') code: string): Promise<SupplyResponse> {
    return this.supply.current(code);
  }

  @Get('supply/versions')
  @Roles('lab', 'agency')
  @ApiPageResponse(SupplyResponse, 'every declaration, the latest first')
  @ApiProblems({ 404: ['MEDICINE_NOT_FOUND'] })
  versions(@Param('code') code: string, @Query() query: PageQueryDto): Promise<Page<SupplyResponse>> {
    return this.supply.versions(code, query);
  }

  @Get('projection')
  @Roles('lab', 'agency')
  @ApiOkResponse({ type: ProjectionResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'PROJECTION_HORIZON_INVALID'], 404: ['MEDICINE_NOT_FOUND', 'SUPPLY_NOT_DECLARED'], 422: ['PROJECTION_NO_SCHEDULE'], 503: ['PROJECTION_TREATMENTS_UNAVAILABLE'] })
  projection(@Param('code') code: string, @Query() query: ProjectionQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<ProjectionResponseDto> {
    return this.supply.projection(code, query.horizon, explanationLang(acceptLanguage));
  }
}
