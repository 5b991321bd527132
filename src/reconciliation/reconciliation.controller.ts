import { Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ReconciliationResponseDto } from './dto/reconciliation.response';
import { ReconciliationService } from './reconciliation.service';
import { ApiPeriodParam, PeriodPipe } from '../common/validation/domain-validators';
import { langFromAcceptLanguage } from '../common/messages/formatter';

@ApiTags('reconciliations')
@ApiBearerAuth()
@Controller('api/v1/reconciliations')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get(':medicine/:period')
  @Roles('pharmacist', 'lab', 'agency')
  @ApiPeriodParam()
  @ApiOkResponse({ type: ReconciliationResponseDto, description: "the last run's discrepancies; an establishment's users see their own" })
  @ApiProblems({ 400: ['PERIOD_INVALID'], 403: ['ROLE_NOT_ALLOWED'], 404: ['RECONCILIATION_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('medicine') medicine: string, @Param('period', PeriodPipe) period: string, @Headers('accept-language') lang?: string): Promise<ReconciliationResponseDto> {
    return this.reconciliation.get(actor, medicine, period, langFromAcceptLanguage(lang));
  }

  @Post(':medicine/:period/run')
  @Roles('agency')
  @HttpCode(200)
  @ApiPeriodParam()
  @ApiOkResponse({ type: ReconciliationResponseDto, description: 'a re-run gives the same result and creates no duplicate' })
  @ApiProblems({ 400: ['PERIOD_INVALID'], 403: ['ROLE_NOT_ALLOWED'], 404: ['MEDICINE_NOT_FOUND'], 422: ['RECONCILIATION_PERIOD_NOT_ENDED'], 503: ['RECONCILIATION_FACTS_UNAVAILABLE'] })
  run(@CurrentActor() actor: Actor, @Param('medicine') medicine: string, @Param('period', PeriodPipe) period: string, @Headers('accept-language') lang?: string): Promise<ReconciliationResponseDto> {
    return this.reconciliation.run(actor, medicine, period, langFromAcceptLanguage(lang));
  }
}
