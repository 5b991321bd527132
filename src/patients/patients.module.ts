import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PatientLinkEntity } from './entities/patient-link.entity';
import { PatientEntity } from './entities/patient.entity';
import { PatientDetailsRegistry } from './patient-details.registry';
import { PatientIdentity } from './patient-identity.service';
import { PatientsController } from './patients.controller';
import { PatientsService } from './patients.service';

@Module({
  imports: [TypeOrmModule.forFeature([PatientEntity, PatientLinkEntity])],
  controllers: [PatientsController],
  providers: [PatientsService, PatientIdentity, PatientDetailsRegistry],
  exports: [PatientsService, PatientIdentity, PatientDetailsRegistry],
})
export class PatientsModule {}
