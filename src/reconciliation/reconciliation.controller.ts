import { Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { ReconciliationResponse, ReconciliationService } from './reconciliation.service';
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
  get(@CurrentActor() actor: Actor, @Param('medicine') medicine: string, @Param('period', PeriodPipe) period: string, @Headers('accept-language') lang?: string): Promise<ReconciliationResponse> {
    return this.reconciliation.get(actor, medicine, period, langFromAcceptLanguage(lang));
  }

  @Post(':medicine/:period/run')
  @Roles('agency')
  @HttpCode(200)
  @ApiPeriodParam()
  run(@CurrentActor() actor: Actor, @Param('medicine') medicine: string, @Param('period', PeriodPipe) period: string, @Headers('accept-language') lang?: string): Promise<ReconciliationResponse> {
    return this.reconciliation.run(actor, medicine, period, langFromAcceptLanguage(lang));
  }
}
