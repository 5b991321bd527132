import { Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { PageQueryDto } from '../common/pagination/page';
import { RecapTargetQueryDto, RecapsQueryDto, SubmitRecapJsonDoc } from './dto/recap.dto';
import { RecapDetailDto, RecapPageDto, RecapSubmittedDto } from './dto/recap.response';
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
  @ApiCreatedResponse({ type: RecapSubmittedDto, description: 'accepted whole (a recap of the same medicine and period replaces the earlier one)' })
  @ApiProblems({
    400: ['VALIDATION_FAILED', 'MALFORMED_JSON', 'MALFORMED_UPLOAD', 'RECAP_FILE_MISSING', 'RECAP_FORM_INVALID'],
    403: ['ROLE_NOT_ALLOWED'],
    404: ['MEDICINE_NOT_FOUND'],
    413: ['RECAP_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    415: ['RECAP_UNSUPPORTED_MEDIA_TYPE'],
    422: ['RECAP_INVALID', 'RECAP_EMPTY', 'RECAP_PERIOD_MISMATCH', 'RECAP_PERIOD_IN_FUTURE'],
    503: ['RECAP_CHECKER_UNAVAILABLE'],
  })
  submit(@CurrentActor() actor: Actor, @Req() request: Request, @Query() target: RecapTargetQueryDto): Promise<RecapSubmittedDto> {
    // HTTP is read here: the service takes a parsed JSON recap, or the multipart body as a stream.
    const type = (request.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) return this.recaps.submitUpload(actor, request, target);
    if (/^application\/([a-z.+-]+\+)?json/.test(type)) return this.recaps.submitJson(actor, request.body as unknown, target);
    throw recapError('RECAP_UNSUPPORTED_MEDIA_TYPE', { contentType: type === '' ? null : (type.split(';')[0] ?? null) });
  }

  @Get()
  @Roles('pharmacist', 'lab', 'agency')
  @ApiOkResponse({ type: RecapPageDto, description: 'scoped to the caller; newest period first' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'] })
  list(@CurrentActor() actor: Actor, @Query() query: RecapsQueryDto): Promise<RecapPageDto> {
    return this.recaps.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'lab', 'agency')
  @ApiParam({ name: 'id', description: 'the recap id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: RecapDetailDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['RECAP_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: PageQueryDto): Promise<RecapDetailDto> {
    return this.recaps.get(actor, id, query);
  }
}
