import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Actor } from '../common/domain/roles';
import { UnitOfWork } from '../common/database/unit-of-work';
import { EstablishmentsService } from '../establishments/establishments.service';
import { MedicinesService } from '../medicines/medicines.service';
import { accessQueries } from './access-queries';
import { compassionateAccessError } from './domain/compassionate-access.errors';
import type { StopReason } from './domain/follow-up';
import type { CompassionateAccessError } from './domain/compassionate-access.errors';
import {
  PeriodicReportBuilder,
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
  id: string;
  patient: string;
  kind: ReportFormInput['kind'];
  due: string | null;
  date: string;
  administered: boolean | number;
  reason: StopReason | null;
  data: string | null;
}

/** Rows of forms read at a time by the report. */
const FORM_PAGE = 5000;
const REQUEST_PAGE = 2000;

/** A form's data as the report reads it (FOLLOW_UP_DATA_FORM). */
type FormData = Record<string, unknown> & { adverseEvents?: Omit<ReportAdverseEventInput, 'patient' | 'date'>[] };

/** The SQL of the periodic report: the requests of a period with their patient's sex, and the forms up to the cut-off. */
export const reportQueries = {
  /** The requests of the period with their patient's sex, `size` at a time in (submitted_on, id) order (keyset pagination). */
  async *requests(manager: EntityManager, code: string, from: string, lastDay: string, size = REQUEST_PAGE): AsyncGenerator<RequestRow[]> {
    let after: RequestRow | null = null;
    for (;;) {
      const query = manager
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
        .andWhere('r.submitted_on <= :lastDay', { lastDay });
      if (after !== null) query.andWhere('(r.submitted_on, r.id) > (:afterOn, :afterId)', { afterOn: after.submitted_on, afterId: after.id });
      const rows = await query.orderBy('r.submitted_on', 'ASC').addOrderBy('r.id', 'ASC').limit(size).getRawMany<RequestRow>();
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      after = rows[rows.length - 1] as RequestRow;
    }
  },
  /**
   * Each patient's first authorisation of the medicine, whatever the period (SPEC §9: excluded when before the
   * protocol), of the patients first authorised before `before` only when given: a later first authorisation never
   * makes a request excluded, and the report need not hold one row per patient for it.
   */
  firstAuthorisations(manager: EntityManager, code: string, lastDay: string, before?: string): Promise<{ patient: string; on: string }[]> {
    const query = manager
      .createQueryBuilder()
      .select(['r.patient AS patient', 'MIN(r.decision_on) AS "on"'])
      .from('access_requests', 'r')
      .where('r.medicine_code = :code', { code })
      .andWhere("r.decision = 'authorise'")
      .andWhere('r.carried_from IS NULL')
      .andWhere('r.decision_on <= :lastDay', { lastDay });
    if (before !== undefined) query.andWhere('r.decision_on < :before', { before });
    return query.groupBy('r.patient').getRawMany<{ patient: string; on: string }>();
  },
  /**
   * The forms up to the cut-off, medicine by medicine, `size` rows at a time in (date, id) order: keyset pagination,
   * each page starting after the last row of the previous one, along the index on (medicine_code, date, id). The
   * report never holds more than one page of rows.
   */
  async *forms(manager: EntityManager, codes: string[], cutoff: string, size = FORM_PAGE): AsyncGenerator<FormRow[]> {
    for (const code of codes) {
      let after: FormRow | null = null;
      for (;;) {
        const query = manager
          .createQueryBuilder()
          .select(['f.id AS id', 'f.patient AS patient', 'f.kind AS kind', 'f.due AS due', 'f.date AS date', 'f.administered AS administered', 'f.reason AS reason', 'f.data AS data'])
          .from('access_forms', 'f')
          .where('f.medicine_code = :code', { code })
          .andWhere('f.date <= :cutoff', { cutoff });
        if (after !== null) query.andWhere('(f.date, f.id) > (:afterDate, :afterId)', { afterDate: after.date, afterId: after.id });
        const rows = await query.orderBy('f.date', 'ASC').addOrderBy('f.id', 'ASC').limit(size).getRawMany<FormRow>();
        if (rows.length > 0) yield rows;
        if (rows.length < size) break;
        after = rows[rows.length - 1] as FormRow;
      }
    }
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
    const [establishments, versions] = await Promise.all([this.establishments.profiles(manager), accessQueries.criteriaVersions(manager, scheme.scheme)]);
    const protocolFrom = versions[0]?.effectiveFrom;
    const started = PeriodicReportBuilder.start(
      {
        establishments: establishments.map((e) => ({ finess: e.finess, region: e.region, category: e.category })),
        // only a first authorisation before the protocol's start matters (PeriodicReportBuilder.beforeProtocol)
        firstAuthorisations: protocolFrom === undefined ? [] : await reportQueries.firstAuthorisations(manager, code, query.cutoff, protocolFrom),
      },
      {
        from: query.from,
        to: query.to,
        cutoff: query.cutoff,
        numericVariables: scheme.reportVariables.numeric,
        categoricalVariables: scheme.reportVariables.categorical,
        everyMonths: scheme.followUpEveryMonths,
        ...(protocolFrom === undefined ? {} : { protocolFrom }),
      },
    );
    if (!started.ok) throw reportError(started.error);
    const builder = started.value;
    // requests, then forms, stream by page into the report's aggregates: no page outlives its loop
    for await (const page of reportQueries.requests(manager, code, query.from, lastDay)) {
      for (const r of page) builder.addRequest(toRequestInput(r));
    }
    // the forms stream by page into the report's aggregates: only the included patients' rows are parsed
    for await (const page of reportQueries.forms(manager, [code, ...predecessors.map((p) => p.medicineCode)], query.cutoff)) {
      for (const f of page) {
        if (!builder.includes(f.patient)) continue;
        // jsonText stores a null value as the text `null`
        const data = f.data === null ? null : (JSON.parse(f.data) as FormData | null);
        builder.addForm({ patient: f.patient, kind: f.kind, due: f.due, date: f.date, administered: f.administered === true || f.administered === 1, reason: f.reason, data });
        for (const e of data?.adverseEvents ?? []) builder.addAdverseEvent({ ...e, patient: f.patient, date: f.date });
      }
    }
    return { medicine: code, medicineName: medicine.name, scheme: scheme.scheme, ...builder.finish() };
  }
}

function toRequestInput(r: RequestRow): ReportRequestInput {
  return {
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
    sex: r.sex,
  };
}

function reportError(error: CompassionateAccessError): Error {
  const cutoff = error.code === 'REPORT_CUTOFF_BEFORE_START';
  return compassionateAccessError(error.code, error.params, [{ field: cutoff ? 'cutoff' : 'to', reason: cutoff ? 'must not be before from' : 'must be a date on or after from' }]);
}
