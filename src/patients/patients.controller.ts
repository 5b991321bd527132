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
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterPatientDto, @Res({ passthrough: true }) res: Response): Promise<Awaited<ReturnType<PatientsService['register']>>['patient']> {
    const { created, patient } = await this.patients.register(actor, body);
    res.status(created ? 201 : 200);
    return patient;
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): ReturnType<PatientsService['list']> {
    return this.patients.list(actor, query);
  }

  @Get(':pseudonym')
  get(@CurrentActor() actor: Actor, @Param('pseudonym') pseudonym: string): ReturnType<PatientsService['get']> {
    return this.patients.get(actor, pseudonym);
  }
}
