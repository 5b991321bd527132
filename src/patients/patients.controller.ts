import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { Page } from '../common/pagination/page';
import { PatientDetailResponse, PatientResponse } from './dto/register-patient.dto';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { PageQueryDto } from '../common/pagination/page';
import { RegisterPatientDto } from './dto/register-patient.dto';
import { PatientsService } from './patients.service';

@ApiTags('patients')
@ApiBearerAuth()
@Controller('api/v1/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  /** 201 for a new patient, 200 with the same pseudonym for one already registered. */
  @Post()
  @Roles('pharmacist', 'prescriber')
  @ApiCreatedResponse({ type: PatientResponse, description: 'a new patient' })
  @ApiOkResponse({ type: PatientResponse, description: 'the same NIR again: the same pseudonym' })
  @ApiProblems({ 400: ['VALIDATION_FAILED', 'NIR_INVALID', 'NIR_MISMATCH', 'BIRTH_DATE_INVALID'], 403: ['ROLE_NOT_ALLOWED', 'PATIENT_REGISTRATION_FORBIDDEN'] })
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterPatientDto, @Res({ passthrough: true }) res: Response): Promise<PatientResponse> {
    const { created, patient } = await this.patients.register(actor, body);
    res.status(created ? 201 : 200);
    return patient;
  }

  @Get()
  @ApiPageResponse(PatientResponse, 'the patients the caller may see (an establishment: those it registered or treats)')
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<PatientResponse>> {
    return this.patients.list(actor, query);
  }

  @Get(':pseudonym')
  @ApiParam({ name: 'pseudonym', schema: { type: 'string', pattern: '^P-[A-Z2-9]{10}$', example: 'P-7KQ2M9XW4T' } })
  @ApiOkResponse({ type: PatientDetailResponse })
  @ApiProblems({ 404: ['PATIENT_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('pseudonym') pseudonym: string): Promise<PatientDetailResponse> {
    return this.patients.get(actor, pseudonym);
  }
}
