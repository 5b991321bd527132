import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ACTIVE_TREATMENTS, ActiveTreatments } from '../common/contracts/active-treatments';
import { queryPrepared } from '../common/database/prepared-query';
import { SqlParams, sqlTrue } from '../common/database/sql-values';
import { Actor } from '../common/domain/roles';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
import { PoliciesService } from '../medicines/policies.service';
import { PatientsService } from '../patients/patients.service';
import { AllocationCounters, DECISION_COLUMNS, DecisionCounters, DecisionRow } from './allocation-counters.repository';
import { OPEN_STATUSES_SQL } from './entities/initiation-request.entity';

/** Everything a new request's decision reads, from one statement. */
export interface DecisionFacts {
  /** The policy version in force today, null before the first. */
  policy: PolicyEntity | null;
  /** The actor may act for the patient (`PatientsService.checkVisible` answers it). */
  visible: boolean;
  /** The patient's open request for the medicine, if any. */
  openRequestId: string | null;
  /** A request of the patient for the medicine started a treatment that still runs, or the treatments module knows of one active. */
  treated: boolean;
  /** The period's counters and the centre's, null when the period has no allocation yet. */
  counters: DecisionCounters | null;
}

/**
 * Reads what a decision needs by key in one statement, inside the caller's transaction: each module writes the
 * fragment over its own tables (the policy in force from medicines, the patient's visibility from patients, an
 * active treatment from treatments; the requests and counters are allocation's own), this composes them.
 */
@Injectable()
export class DecisionFactsReader {
  constructor(
    private readonly policies: PoliciesService,
    private readonly patients: PatientsService,
    private readonly counters: AllocationCounters,
    @Optional() @Inject(ACTIVE_TREATMENTS) private readonly activeTreatments?: ActiveTreatments,
  ) {}

  async read(manager: EntityManager, actor: Actor, input: { medicine: string; patient: string; today: string; period: string; finess: string }): Promise<DecisionFacts> {
    const { medicine, patient, today, period, finess } = input;
    const params = new SqlParams(manager);
    // SQLite binds `?` in the order the text names them: each fragment is built where it stands in the statement.
    const policy = this.policies.inForceSource(params, medicine, today);
    const visible = this.patients.visibleCondition(actor, params, patient);
    const openRequest = `(SELECT r.id FROM initiation_requests r WHERE r.patient = ${params.bind(patient)} AND r.medicine = ${params.bind(medicine)} AND r.status IN (${OPEN_STATUSES_SQL}) LIMIT 1)`;
    const started = `EXISTS (SELECT 1 FROM initiation_requests r WHERE r.patient = ${params.bind(patient)} AND r.medicine = ${params.bind(medicine)} AND r.status = 'started' AND r.treatment_stopped_on IS NULL)`;
    const active = this.activeTreatments ? this.activeTreatments.activeTreatmentCondition(params, medicine, patient) : '1 = 0';
    const counters = this.counters.decisionJoin(params, medicine, period, finess);
    const rows = await queryPrepared<(DecisionRow & { d_policy_id: string | null; d_visible: unknown; d_open_request: string | null; d_started: unknown; d_active: unknown })[]>(
      manager,
      `SELECT ${policy} AS d_policy_id, ${visible} AS d_visible, ${openRequest} AS d_open_request, ${started} AS d_started, ${active} AS d_active, ${DECISION_COLUMNS}
         FROM (SELECT 1 AS one) k ${counters}`,
      params.values,
    );
    const row = rows[0]!;
    return {
      policy: await this.policies.inForceOf(manager, row.d_policy_id),
      visible: sqlTrue(row.d_visible),
      openRequestId: row.d_open_request,
      treated: sqlTrue(row.d_started) || sqlTrue(row.d_active),
      counters: this.counters.decisionOf(row, period, finess),
    };
  }
}
