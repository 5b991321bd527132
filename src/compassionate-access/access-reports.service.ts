import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Actor } from '../common/domain/roles';
import { UnitOfWork } from '../common/database/unit-of-work';
import { EstablishmentsService } from '../establishments/establishments.service';
import { MedicinesService } from '../medicines/medicines.service';
import { accessQueries } from './access-queries';
import { compassionateAccessError } from './domain/compassionate-access.errors';
import type { StopReason } from './domain/follow-up';
import {
  buildPeriodicReport,
  type PeriodicReport,
  type ReportAdverseEventInput,
  type ReportFormInput,
  type ReportRequestInput,
} from './domain/periodic-report';
import { ReportQueryDto } from './dto/access-request.dto';
import { AccessSchemeEntity } from './entities/access-scheme.entity';

export type AccessReport = PeriodicReport & { medicine: string; medicineName: string; scheme: string };

interface RequestRow {
  id: string;
  patient: string;
  establishment: string;
  prescriber: string;
  submitted_on: string;
  decision_on: string | null;
  decision: 'authorise' | 'refuse' | 'exclude' | null;
  clinical: string;
  authorised_from: string | null;
  authorised_until: string | null;
  carried_from: string | null;
  ended_on: string | null;
  sex: string | null;
  derogation: string | null;
  specialty: string | null;
}

interface FormRow {
  patient: string;
  kind: ReportFormInput['kind'];
  due: string | null;
  date: string;
  administered: boolean | number;
  reason: StopReason | null;
  data: string | null;
}

/** A form's data as the report reads it (FOLLOW_UP_DATA_FORM). */
type FormData = Record<string, unknown> & { adverseEvents?: Omit<ReportAdverseEventInput, 'patient' | 'date'>[] };

/** The SQL of the periodic report: the requests of a period with their patient's sex, and the forms up to the cut-off. */
export const reportQueries = {
  requests(manager: EntityManager, code: string, from: string, lastDay: string): Promise<RequestRow[]> {
    return manager
      .createQueryBuilder()
      .select([
        'r.id AS id',
        'r.patient AS patient',
        'r.establishment AS establishment',
        'r.prescriber AS prescriber',
        'r.submitted_on AS submitted_on',
        'r.decision_on AS decision_on',
        'r.decision AS decision',
        'r.clinical AS clinical',
        'r.authorised_from AS authorised_from',
        'r.authorised_until AS authorised_until',
        'r.carried_from AS carried_from',
        's.decision_on AS ended_on',
        'p.sex AS sex',
        'r.derogation AS derogation',
        'u.specialty AS specialty',
      ])
      .from('access_requests', 'r')
      .leftJoin('access_requests', 's', 's.id = r.switched_to')
      .leftJoin('patients', 'p', 'p.pseudonym = r.patient')
      .leftJoin('users', 'u', 'u.username = r.prescriber')
      .where('r.medicine_code = :code', { code })
      .andWhere('r.submitted_on >= :from', { from })
      .andWhere('r.submitted_on <= :lastDay', { lastDay })
      .getRawMany<RequestRow>();
  },
  /** Each patient's first authorisation of the medicine, whatever the period (SPEC §9: excluded when before the protocol). */
  firstAuthorisations(manager: EntityManager, code: string, lastDay: string): Promise<{ patient: string; on: string }[]> {
    return manager
      .createQueryBuilder()
      .select(['r.patient AS patient', 'MIN(r.decision_on) AS "on"'])
      .from('access_requests', 'r')
      .where('r.medicine_code = :code', { code })
      .andWhere("r.decision = 'authorise'")
      .andWhere('r.carried_from IS NULL')
      .andWhere('r.decision_on <= :lastDay', { lastDay })
      .groupBy('r.patient')
      .getRawMany<{ patient: string; on: string }>();
  },
  forms(manager: EntityManager, codes: string[], cutoff: string): Promise<FormRow[]> {
    return manager
      .createQueryBuilder()
      .select(['f.patient AS patient', 'f.kind AS kind', 'f.due AS due', 'f.date AS date', 'f.administered AS administered', 'f.reason AS reason', 'f.data AS data'])
      .from('access_forms', 'f')
      .where('f.medicine_code IN (:...codes)', { codes })
      .andWhere('f.date <= :cutoff', { cutoff })
      .getRawMany<FormRow>();
  },
};

/** The periodic report of a scheme (SPEC §9, §11 reports row), for the agency and the medicine's supplier. */
@Injectable()
export class AccessReportsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly medicines: MedicinesService,
    private readonly establishments: EstablishmentsService,
  ) {}

  async build(actor: Actor, code: string, query: ReportQueryDto): Promise<AccessReport> {
    const manager = this.unitOfWork.dataSource.manager;
    const scheme = await accessQueries.visibleScheme(manager, actor, code);
    const medicine = await this.medicines.require(code, manager);
    const predecessors = await manager.getRepository(AccessSchemeEntity).find({ where: { replacedBy: code } });
    const lastDay = query.to < query.cutoff ? query.to : query.cutoff;
    const [requestRows, formRows, establishments, firstAuthorisations, versions] = await Promise.all([
      reportQueries.requests(manager, code, query.from, lastDay),
      reportQueries.forms(manager, [code, ...predecessors.map((p) => p.medicineCode)], query.cutoff),
      this.establishments.profiles(manager),
      reportQueries.firstAuthorisations(manager, code, query.cutoff),
      accessQueries.criteriaVersions(manager, scheme.scheme),
    ]);
    const requests: ReportRequestInput[] = requestRows.map((r) => ({
      id: r.id,
      patient: r.patient,
      establishment: r.establishment,
      prescriber: r.prescriber,
      submittedOn: r.submitted_on,
      decision: r.decision_on === null || r.decision === null ? null : { on: r.decision_on, decision: r.decision },
      clinical: JSON.parse(r.clinical) as Record<string, unknown>,
      ...(r.authorised_from === null ? {} : { authorisedOn: r.authorised_from }),
      carriedOver: r.carried_from !== null,
      // the follow-up of this medicine ends at a switch, or with an authorisation that was not renewed
      endedOn: [r.ended_on, r.authorised_until].filter((d): d is string => d !== null).sort()[0] ?? null,
      derogation: r.derogation !== null && r.derogation !== 'null',
      specialty: r.specialty,
    }));
    const forms: ReportFormInput[] = new Array<ReportFormInput>(formRows.length);
    const adverseEvents: ReportAdverseEventInput[] = [];
    formRows.forEach((f, i) => {
      // jsonText stores a null value as the text `null`
      const data = f.data === null ? null : (JSON.parse(f.data) as FormData | null);
      forms[i] = { patient: f.patient, kind: f.kind, due: f.due, date: f.date, administered: f.administered === true || f.administered === 1, reason: f.reason, data };
      for (const e of data?.adverseEvents ?? []) adverseEvents.push({ ...e, patient: f.patient, date: f.date });
    });
    const report = buildPeriodicReport(
      {
        requests,
        forms,
        establishments: establishments.map((e) => ({ finess: e.finess, region: e.region, category: e.category })),
        adverseEvents,
        patients: requestRows.map((r) => ({ patient: r.patient, sex: r.sex })),
        firstAuthorisations,
      },
      {
        from: query.from,
        to: query.to,
        cutoff: query.cutoff,
        numericVariables: scheme.reportVariables.numeric,
        categoricalVariables: scheme.reportVariables.categorical,
        everyMonths: scheme.followUpEveryMonths,
        ...(versions[0] === undefined ? {} : { protocolFrom: versions[0].effectiveFrom }),
      },
    );
    if (!report.ok) throw compassionateAccessError(report.error.code, report.error.params, [{ field: report.error.code === 'REPORT_CUTOFF_BEFORE_START' ? 'cutoff' : 'to', reason: report.error.code === 'REPORT_CUTOFF_BEFORE_START' ? 'must not be before from' : 'must be a date on or after from' }]);
    return { medicine: code, medicineName: medicine.name, scheme: scheme.scheme, ...report.value };
  }
}
