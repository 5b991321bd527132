import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterPatientDto, @Res({ passthrough: true }) res: Response) {
    const { created, patient } = await this.patients.register(actor, body);
    res.status(created ? 201 : 200);
    return patient;
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto) {
    return this.patients.list(actor, query);
  }

  @Get(':pseudonym')
  get(@CurrentActor() actor: Actor, @Param('pseudonym') pseudonym: string) {
    return this.patients.get(actor, pseudonym);
  }
}
