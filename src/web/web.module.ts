import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CompassionateAccessModule } from '../compassionate-access/compassionate-access.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { MedicinesModule } from '../medicines/medicines.module';
import { JobsModule } from '../jobs/jobs.module';
import { PatientsModule } from '../patients/patients.module';
import { RecapsModule } from '../recaps/recaps.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { OrdersModule } from '../orders/orders.module';
import { TreatmentsModule } from '../treatments/treatments.module';
import { AgencyController } from './agency/agency.controller';
import { AgencyPages } from './agency/agency.pages';
import { AllocationPages } from './agency/allocation.pages';
import { JobsPages } from './agency/jobs.pages';
import { FollowedPatientsController } from './agency/followed-patients.controller';
import { FollowedPatientsPages } from './agency/followed-patients.pages';
import { CommitteeController } from './committee/committee.controller';
import { CommitteePages } from './committee/committee.pages';
import { LabController } from './lab/lab.controller';
import { LabOrdersPages } from './lab/lab-orders.pages';
import { PeriodPages } from './lab/lab.pages';
import { OrdersPages } from './pharmacy/orders.pages';
import { TreatmentsPages } from './pharmacy/treatments.pages';
import { EstablishmentRecapsPages } from './pharmacy/recaps.pages';
import { RequestsPages } from './pharmacy/requests.pages';
import { EstablishmentController } from './pharmacy/establishment.controller';
import { EstablishmentPages } from './pharmacy/establishment.pages';
import { PageExceptionFilter } from './page-exception.filter';
import { SameOriginGuard } from './same-origin.guard';
import { SessionController } from './session/session.controller';
import { SessionPages } from './session/session.pages';
import { AccessReportController } from './agency/access-report.controller';
import { AccessReportPages } from './agency/access-report.pages';
import { AccessReportsController } from './shared/access-reports.controller';
import { AccessReportsPages } from './shared/access-reports.pages';
import { StaticController } from './session/static.controller';
import { Views } from './views.service';
import { SupplyModule } from '../supply/supply.module';
import { AgencySupplyController } from './agency/supply.controller';
import { LabSupplyController } from './lab/supply.controller';
import { SupplyPages } from './lab/supply.pages';
import { InboxController } from './notifications/inbox.controller';
import { InboxPages } from './notifications/inbox.pages';

/** The pages of each user group (SPEC §10), on the same services, roles and scoping as the API. */
@Module({
  imports: [AuthModule, EstablishmentsModule, MedicinesModule, PatientsModule, CompassionateAccessModule, JobsModule, RecapsModule, ReconciliationModule, TreatmentsModule, OrdersModule, SupplyModule],
  controllers: [StaticController, SessionController, AgencyController, EstablishmentController, LabController, CommitteeController, AccessReportsController, LabSupplyController, AgencySupplyController, FollowedPatientsController, AccessReportController, InboxController],
  providers: [Views, PageExceptionFilter, SameOriginGuard, SessionPages, AgencyPages, EstablishmentPages, AccessReportsPages, EstablishmentRecapsPages, PeriodPages, JobsPages, RequestsPages, CommitteePages, AllocationPages, TreatmentsPages, OrdersPages, LabOrdersPages, SupplyPages, FollowedPatientsPages, AccessReportPages, InboxPages],
})
export class WebModule {}
