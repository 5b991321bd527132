import { Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { RecapLineResponse, RecapSubmitted, RecapSummary, RecapTargetQueryDto, RecapsQueryDto, SubmitRecapJsonDoc } from './dto/recap.dto';
import { RecapsService } from './recaps.service';

@ApiTags('recaps')
@ApiBearerAuth()
@Controller('api/v1/recaps')
export class RecapsController {
  constructor(private readonly recaps: RecapsService) {}

  @Post()
  @Roles('pharmacist')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: SubmitRecapJsonDoc, description: 'JSON, or multipart/form-data with a CSV part `file` (columns medicine,period,patient,administrations,vials; `,` or `;`) and optional `medicine` and `period` fields' })
  submit(@CurrentActor() actor: Actor, @Req() request: Request, @Query() target: RecapTargetQueryDto): Promise<RecapSubmitted> {
    return this.recaps.submit(actor, request, target);
  }

  @Get()
  @Roles('pharmacist', 'lab', 'agency')
  list(@CurrentActor() actor: Actor, @Query() query: RecapsQueryDto): Promise<Page<RecapSummary>> {
    return this.recaps.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'lab', 'agency')
  get(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: PageQueryDto): Promise<RecapSummary & { patients: Page<RecapLineResponse> }> {
    return this.recaps.get(actor, id, query);
  }
}
