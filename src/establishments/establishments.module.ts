import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EstablishmentEntity } from './entities/establishment.entity';
import { FollowedPatientsDeclarationEntity } from './entities/followed-patients-declaration.entity';
import { FollowedPatientsEntity } from './entities/followed-patients.entity';
import { EstablishmentsController, FollowedPatientDeclarationsController } from './establishments.controller';
import { EstablishmentsService } from './establishments.service';

@Module({
  imports: [TypeOrmModule.forFeature([EstablishmentEntity, FollowedPatientsEntity, FollowedPatientsDeclarationEntity])],
  controllers: [EstablishmentsController, FollowedPatientDeclarationsController],
  providers: [EstablishmentsService],
  exports: [EstablishmentsService],
})
export class EstablishmentsModule {}
