import { Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page, PageQueryDto } from '../common/pagination/page';
import { RecapLineResponse, RecapSubmitted, RecapSummary, RecapTargetQueryDto, RecapsQueryDto, SubmitRecapJsonDoc } from './dto/recap.dto';
import { recapError } from './domain/recaps.errors';
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
    // HTTP is read here: the service takes a parsed JSON recap, or the multipart body as a stream.
    const type = (request.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) return this.recaps.submitUpload(actor, request, target);
    if (/^application\/([a-z.+-]+\+)?json/.test(type)) return this.recaps.submitJson(actor, request.body as unknown, target);
    throw recapError('RECAP_UNSUPPORTED_MEDIA_TYPE', `Send the recap as application/json or as multipart/form-data with a CSV file part named "file" (got ${type === '' ? 'no content type' : type.split(';')[0]}).`);
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
