import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ListTreatmentsQueryDto, StartTreatmentDto, StopTreatmentDto, TransferTreatmentDto } from './dto/treatment.dto';
import { TreatmentsService } from './treatments.service';

@ApiTags('treatments')
@ApiBearerAuth()
@Controller('api/v1/treatments')
export class TreatmentsController {
  constructor(private readonly treatments: TreatmentsService) {}

  @Post()
  @Roles('pharmacist', 'prescriber')
  start(@CurrentActor() actor: Actor, @Body() body: StartTreatmentDto): ReturnType<TreatmentsService['start']> {
    return this.treatments.start(actor, body);
  }

  @Get()
  @Roles('pharmacist', 'prescriber', 'lab', 'agency')
  list(@CurrentActor() actor: Actor, @Query() query: ListTreatmentsQueryDto): ReturnType<TreatmentsService['list']> {
    return this.treatments.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'prescriber', 'lab', 'agency')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): ReturnType<TreatmentsService['get']> {
    return this.treatments.get(actor, id);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @Roles('pharmacist', 'prescriber')
  stop(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: StopTreatmentDto): ReturnType<TreatmentsService['stop']> {
    return this.treatments.stop(actor, id, body);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Roles('pharmacist')
  transfer(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: TransferTreatmentDto): ReturnType<TreatmentsService['transfer']> {
    return this.treatments.transfer(actor, id, body);
  }
}
