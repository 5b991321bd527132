import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeEstablishment, isEstablishmentBound } from '../common/domain/roles';
import { Clock } from '../common/clock/clock';
import { JobRegistry } from '../common/contracts/job-registry';
import { NOTIFIER, Notifier } from '../common/contracts/notifier';
import { TREATMENT_FACTS, TreatmentFacts } from '../common/contracts/treatment-facts';
import { newId } from '../common/database/ids';
import { passIdempotencyGate } from '../common/idempotency/idempotency-gate';
import { UnitOfWork } from '../common/database/unit-of-work';
import { FieldReason } from '../common/domain/domain-error';
import { addPeriods, periodBounds } from '../common/domain/period';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { JobsService } from '../jobs/jobs.service';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { PatientIdentity } from '../patients/patient-identity.service';
import { recapDeadline } from '../reconciliation/domain/reconcile';
import { RecapCsvSource, RecapValidation, validateRecapCsv } from './domain/recap-csv';
import { validateRecapJson } from './domain/recap-json';
import { DEFAULT_MAX_RECAP_ERRORS, PatientKeyFn, RecapLineError, RecapRow } from './domain/recap-rows';
import { RecapRefusal, recapError, recapRefusalOf, recapRefusalToError } from './domain/recaps.errors';
import { RecapLineResponse, RecapSubmitted, RecapSummary } from './dto/recap.dto';
import { RecapLineEntity } from './entities/recap-line.entity';
import { RecapEntity } from './entities/recap.entity';
import { RecapLimits } from './recap-limits';
import { RecapPatientCheck, ResolvedRecapLine } from './recap-patients';
import { RecapRowBuffer } from './recap-row-buffer';
import { UnsupportedUpload, readRecapUpload } from './recap-upload';
import { valuesList } from '../common/database/sql-values';

const CHECK_BATCH = 500;
const INSERT_ROWS = 500;

export interface RecapTarget {
  medicine?: string;
  period?: string;
}

/** A multipart request as the service reads it: headers and the body stream. */
export type RecapUploadRequest = Readable & { headers: IncomingHttpHeaders };

/** What reading a CSV gave: the checked file, the accepted lines by pseudonym, and the unknown patients. */
interface CsvRead {
  validation: RecapValidation;
  rows: RecapRowBuffer;
  unknown: RecapLineError[];
  unknownCount: number;
}

/**
 * Monthly recaps (SPEC §5, §11): JSON or a streamed CSV, checked whole, NIRs hashed on arrival;
 * stored in one transaction that replaces the establishment's previous recap for the medicine
 * and period. A recap after the deadline queues a re-run of the reconciliation.
 */
@Injectable()
export class RecapsService implements OnModuleInit {
  private readonly logger = new Logger(RecapsService.name);

  constructor(
    @InjectRepository(RecapEntity) private readonly recaps: Repository<RecapEntity>,
    @InjectRepository(RecapLineEntity) private readonly lines: Repository<RecapLineEntity>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly identity: PatientIdentity,
    private readonly medicines: MedicinesService,
    private readonly policies: PoliciesService,
    private readonly jobs: JobsService,
    private readonly registry: JobRegistry,
    private readonly limits: RecapLimits,
    @Optional() @Inject(TREATMENT_FACTS) private readonly facts?: TreatmentFacts,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('recaps.missing', (payload) => this.reportMissing(payload.date ?? this.clock.today()));
  }

  /** POST /recaps: JSON, or multipart/form-data with a CSV `file` (SPEC §11). */
  async submit(actor: Actor, request: RecapUploadRequest & { body?: unknown }, target: RecapTarget): Promise<RecapSubmitted> {
    const type = (request.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) return this.submitUpload(actor, request, target);
    if (/^application\/([a-z.+-]+\+)?json/.test(type)) return this.submitJson(actor, request.body, target);
    throw recapError('RECAP_UNSUPPORTED_MEDIA_TYPE', { contentType: type === '' ? null : (type.split(';')[0] ?? null) });
  }

  /** POST /recaps with a JSON body. */
  async submitJson(actor: Actor, body: unknown, target: RecapTarget): Promise<RecapSubmitted> {
    const establishment = establishmentOf(actor);
    const validation = validateRecapJson(body, { expectedMedicine: target.medicine, expectedPeriod: target.period, maxLines: this.limits.maxLines, patientKey: this.patientKey() });
    const refusal = recapRefusalOf(validation);
    if (refusal) throw recapRefusalToError(refusal);
    const medicine = validation.medicine as string;
    const period = validation.period as string;
    await this.checkTarget(medicine, period);
    const check = new RecapPatientCheck(this.unitOfWork.dataSource, establishment);
    const rows = new RecapRowBuffer();
    const unknown: FieldReason[] = [];
    const key = this.patientKey();
    for (let i = 0; i < validation.rows.length; i += CHECK_BATCH) {
      const batch = validation.rows.slice(i, i + CHECK_BATCH).map((row) => resolved(row, key, `patients[${row.line}]`));
      const errors = await check.unknown(batch);
      unknown.push(...errors.map(({ field, reason }) => ({ field, reason })));
      const bad = new Set(errors.map((e) => e.line));
      for (const line of batch) if (!bad.has(line.line)) rows.push(line);
    }
    if (unknown.length > 0) {
      throw recapError('RECAP_INVALID', { errorCount: unknown.length, lines: unknown.length, listed: Math.min(unknown.length, DEFAULT_MAX_RECAP_ERRORS) }, unknown.slice(0, DEFAULT_MAX_RECAP_ERRORS), { errorCount: unknown.length });
    }
    return this.store(actor, establishment, medicine, period, 'json', rows);
  }

  /** POST /recaps with multipart/form-data: the `file` part is read as it arrives. */
  async submitUpload(actor: Actor, request: RecapUploadRequest, target: RecapTarget): Promise<RecapSubmitted> {
    const establishment = establishmentOf(actor);
    let parts;
    try {
      parts = await readRecapUpload(request, this.limits.maxBytes, (chunks, fields) =>
        this.readCsv(establishment, chunks, { medicine: target.medicine ?? fields.get('medicine'), period: target.period ?? fields.get('period') }),
      );
    } catch (error: unknown) {
      if (error instanceof UnsupportedUpload) throw recapError('RECAP_UNSUPPORTED_MEDIA_TYPE', { contentType: null });
      throw error;
    }
    // The whole body is read and nothing written yet: the Idempotency-Key is checked against this upload here.
    await passIdempotencyGate(request, parts.digest);
    if (parts.truncated) {
      throw recapError('RECAP_TOO_LARGE', { limit: this.limits.maxBytes, unit: 'bytes' }, [{ field: 'file', reason: `must be at most ${this.limits.maxBytes} bytes` }]);
    }
    if (parts.unknownParts.length > 0) {
      throw recapError('RECAP_FORM_INVALID', { parts: parts.unknownParts }, parts.unknownParts.map((field) => ({ field, reason: 'is not a known field' })));
    }
    if (!parts.fileSeen || parts.result === null) throw recapError('RECAP_FILE_MISSING', {}, [{ field: 'file', reason: 'is required: the recap CSV' }]);
    const read = parts.result;
    const mismatches: RecapLineError[] = [];
    for (const name of ['medicine', 'period'] as const) {
      const field = parts.fields.get(name);
      const stated = target[name];
      const inFile = read.validation[name];
      if (field && stated !== undefined && field.value !== stated) mismatches.push({ line: 0, field: name, reason: `is ${JSON.stringify(field.value)} in the form but ${JSON.stringify(stated)} in the URL` });
      else if (field && !field.beforeFile && inFile !== null && field.value !== inFile) mismatches.push({ line: 0, field: name, reason: `is ${JSON.stringify(field.value)} in the form but the file says ${JSON.stringify(inFile)}` });
    }
    const refusal = csvRefusal(read, mismatches);
    if (refusal) throw recapRefusalToError(refusal);
    const medicine = read.validation.medicine as string;
    const period = read.validation.period as string;
    await this.checkTarget(medicine, period);
    return this.store(actor, establishment, medicine, period, 'csv', read.rows);
  }

  /**
   * Streams a CSV recap: each valid line's patient is hashed at once (a NIR goes no further),
   * checked against the known patients a batch at a time, and kept compactly until the whole
   * file is known to be good. Also used by the benchmark with a file of a million lines.
   */
  async readCsv(establishment: string, source: RecapCsvSource, target: RecapTarget, maxLines = this.limits.maxLines): Promise<CsvRead> {
    const check = new RecapPatientCheck(this.unitOfWork.dataSource, establishment);
    const rows = new RecapRowBuffer();
    const unknown: RecapLineError[] = [];
    let unknownCount = 0;
    let pending: ResolvedRecapLine[] = [];
    const key = this.patientKey();
    const flush = async (): Promise<void> => {
      const batch = pending;
      pending = [];
      const errors = await check.unknown(batch);
      unknownCount += errors.length;
      for (const error of errors) if (unknown.length < DEFAULT_MAX_RECAP_ERRORS) unknown.push(error);
      const bad = new Set(errors.map((e) => e.line));
      for (const line of batch) if (!bad.has(line.line)) rows.push(line);
    };
    const validation = await validateRecapCsv(source, {
      expectedMedicine: target.medicine,
      expectedPeriod: target.period,
      maxLines,
      patientKey: key,
      onRow: async (row) => {
        pending.push(resolved(row, key, null));
        if (pending.length >= CHECK_BATCH) await flush();
      },
    });
    await flush();
    return { validation, rows, unknown, unknownCount };
  }

  /** Replaces the establishment's recap for the medicine and period, in one transaction, audited. */
  async store(actor: Actor, establishment: string, medicine: string, period: string, source: 'json' | 'csv', rows: RecapRowBuffer): Promise<RecapSubmitted> {
    const late = this.clock.today() > recapDeadline(period, this.limits.deadlineDay);
    const recap: RecapEntity = {
      id: newId(), establishment, medicine, period, lines: rows.length, administrations: rows.administrations, vials: rows.vials,
      source, late, submittedAt: this.clock.now().toISOString(), submittedBy: actor.username,
    };
    const previous = await this.unitOfWork.run(async (manager) => {
      await this.unitOfWork.lock(manager, `recap:${establishment}:${medicine}:${period}`);
      const repo = manager.getRepository(RecapEntity);
      const before = await repo.findOneBy({ establishment, medicine, period });
      if (before) {
        await manager.getRepository(RecapLineEntity).delete({ recapId: before.id });
        await repo.delete({ id: before.id });
      }
      await repo.insert(recap);
      await insertLines(manager, recap.id, rows);
      await this.audit.record(manager, actor, {
        action: before ? 'recap.replaced' : 'recap.submitted', entity: 'recap', entityId: recap.id,
        before: before ? toSummary(before) : null, after: toSummary(recap), establishment,
      });
      return before;
    });
    const reconciliationJob = late ? await this.rerunReconciliation(recap) : null;
    return { id: recap.id, lines: recap.lines, accepted: recap.lines, establishment, medicine, period, late, replaced: previous?.id ?? null, reconciliationJob };
  }

  async list(actor: Actor, query: PageQueryDto & { medicine?: string; period?: string; establishment?: string }): Promise<Page<RecapSummary>> {
    const window = pageWindow(query);
    const establishment = isEstablishmentBound(actor) ? (actor.establishment ?? '') : query.establishment;
    if (establishment !== undefined && query.establishment !== undefined && establishment !== query.establishment) return { items: [], nextCursor: null };
    const where = { ...(query.medicine ? { medicine: query.medicine } : {}), ...(query.period ? { period: query.period } : {}), ...(establishment ? { establishment } : {}) };
    const rows = await this.recaps.find({ where, order: { period: 'DESC', medicine: 'ASC', establishment: 'ASC' }, skip: window.skip, take: window.take });
    return toPage(rows.map(toSummary), window);
  }

  /** A recap with its lines (paginated); another establishment's recap is a 404. */
  async get(actor: Actor, id: string, query: PageQueryDto): Promise<RecapSummary & { patients: Page<RecapLineResponse> }> {
    const recap = await this.recaps.findOneBy({ id });
    if (!recap || !canSeeEstablishment(actor, recap.establishment)) {
      throw recapError('RECAP_NOT_FOUND', { recapId: id }, [{ field: 'id', reason: 'is not a recap of your establishment' }]);
    }
    const window = pageWindow(query, 500);
    const lines = await this.lines.find({ where: { recapId: id }, order: { line: 'ASC' }, skip: window.skip, take: window.take });
    const patients = toPage(lines.map((l) => ({ line: l.line, patient: l.patient, administrations: l.administrations, administrationDates: l.administrationDates, vials: l.vials })), window);
    return { ...toSummary(recap), patients };
  }

  /**
   * The daily report of missing recaps (SPEC §7): once the deadline of the previous period has
   * passed, the establishments expected to send one and that did not. Expected: those that sent
   * one for the period before, and those with a treatment running at the end of the period.
   */
  async reportMissing(date: string): Promise<{ period: string; deadline: string; due: boolean; medicines: { medicine: string; expected: number; received: number; missing: string[] }[] }> {
    const period = addPeriods(date.slice(0, 7), -1);
    const deadline = recapDeadline(period, this.limits.deadlineDay);
    if (date <= deadline) return { period, deadline, due: false, medicines: [] };
    const { last } = periodBounds(period);
    const medicines: { medicine: string; expected: number; received: number; missing: string[] }[] = [];
    for (const medicine of await this.medicines.list()) {
      if (!(await this.policies.inForce(medicine.code, last))) continue;
      const sent = await this.recaps.find({ select: { establishment: true, period: true }, where: { medicine: medicine.code, period: In([addPeriods(period, -1), period]) } });
      const expected = new Set(sent.filter((r) => r.period !== period).map((r) => r.establishment));
      if (this.facts) {
        for (const treatment of await this.facts.treatmentsInPeriod(medicine.code, period)) {
          if (treatment.stopDate === null || treatment.stopDate > last) expected.add(treatment.establishment);
        }
      }
      const received = new Set(sent.filter((r) => r.period === period).map((r) => r.establishment));
      const missing = [...expected].filter((e) => !received.has(e)).sort();
      if (expected.size === 0 && received.size === 0) continue;
      medicines.push({ medicine: medicine.code, expected: expected.size, received: received.size, missing });
      if (missing.length > 0) this.logger.log(`${missing.length} ${medicine.code} recap(s) missing for ${period} (due ${deadline})`);
      if (missing.length > 0 && this.notifier) await this.unitOfWork.run(async (m) => { for (const e of missing) await this.notifier?.notify(m, { code: 'RECAP_MISSING', subject: `${medicine.code}:${period}:${e}`, establishment: e, params: { medicine: medicine.code, period, deadlineOn: deadline } }); });
    }
    return { period, deadline, due: true, medicines };
  }

  private async checkTarget(medicine: string, period: string): Promise<void> {
    await this.medicines.require(medicine);
    const current = this.clock.period();
    if (period > current) {
      throw recapError('RECAP_PERIOD_IN_FUTURE', { period, current }, [{ field: 'period', reason: `must be ${current} or earlier` }]);
    }
  }

  /** A late recap changes a period that may be reconciled already: its reconciliation runs again (SPEC §5). */
  private async rerunReconciliation(recap: RecapEntity): Promise<string | null> {
    if (!this.jobs.isRegistered('reconciliation.run')) return null;
    try {
      const run = await this.jobs.enqueue('reconciliation.run', { medicine: recap.medicine, period: recap.period }, 'late-recap', `recap-${recap.id}`);
      return run.id;
    } catch (error: unknown) {
      this.logger.error(`the re-run of the ${recap.medicine} ${recap.period} reconciliation after late recap ${recap.id} could not be queued: ${(error as Error).message}`);
      return null;
    }
  }

  /** Duplicates are found by person: a NIR is keyed by its pseudonym (the last one is remembered, as lines are keyed then handed over). */
  private patientKey(): PatientKeyFn {
    let lastNir = '';
    let lastPseudonym = '';
    return (patient, kind) => {
      if (kind === 'pseudonym') return patient;
      if (patient === lastNir) return lastPseudonym;
      const identified = this.identity.identify(patient);
      if (!identified.ok) throw new Error('a NIR the recap rules accepted was refused by PatientIdentity');
      lastNir = patient;
      lastPseudonym = identified.pseudonym;
      return lastPseudonym;
    };
  }
}

function establishmentOf(actor: Actor): string {
  if (!actor.establishment) throw recapError('RECAP_NOT_FOUND', { recapId: null }, [{ field: 'establishment', reason: 'the caller has no establishment' }]);
  return actor.establishment;
}

function resolved(row: RecapRow, key: PatientKeyFn, field: string | null): ResolvedRecapLine {
  return {
    line: row.line, field, patient: key(row.patient, row.patientKind), kind: row.patientKind,
    administrations: row.administrations, administrationDates: row.administrationDates, vials: row.vials,
  };
}

/** The refusal of a CSV recap: the file's own errors, the unknown patients, and form fields that contradict the file. */
function csvRefusal(read: CsvRead, mismatches: RecapLineError[]): RecapRefusal | null {
  const { validation } = read;
  if (validation.tooLarge || validation.empty) return recapRefusalOf(validation);
  const total = validation.errorCount + read.unknownCount + mismatches.length;
  if (total === 0) return null;
  const errors = [...mismatches, ...validation.errors, ...read.unknown].sort((a, b) => a.line - b.line).slice(0, DEFAULT_MAX_RECAP_ERRORS);
  const mismatchOnly = read.unknownCount === 0 && (validation.errorCount === 0 || validation.periodMismatchOnly);
  return mismatchOnly
    ? { code: 'RECAP_PERIOD_MISMATCH', params: { errorCount: total, listed: errors.length }, errors, errorCount: total }
    : { code: 'RECAP_INVALID', params: { errorCount: total, lines: validation.lines, listed: errors.length }, errors, errorCount: total };
}

/** Multi-row inserts of a fixed size (one prepared statement reused), inside the caller's transaction. */
async function insertLines(manager: EntityManager, recapId: string, rows: RecapRowBuffer): Promise<void> {
  const postgres = manager.connection.options.type === 'postgres';
  const head = 'INSERT INTO recap_lines (recap_id, patient, line, administrations, administration_dates, vials) VALUES ';
  const full = head + valuesList(postgres, INSERT_ROWS, 6);
  for (let start = 0; start < rows.length; start += INSERT_ROWS) {
    const end = Math.min(start + INSERT_ROWS, rows.length);
    const params: unknown[] = [];
    for (let i = start; i < end; i++) {
      const row = rows.at(i);
      params.push(recapId, row.patient, row.line, row.administrations, row.administrationDates === null ? null : JSON.stringify(row.administrationDates), row.vials);
    }
    await manager.query(end - start === INSERT_ROWS ? full : head + valuesList(postgres, end - start, 6), params);
  }
}

export function toSummary(r: RecapEntity): RecapSummary {
  return {
    id: r.id, establishment: r.establishment, medicine: r.medicine, period: r.period, lines: r.lines, administrations: r.administrations, vials: r.vials,
    source: r.source, late: r.late, submittedAt: r.submittedAt, submittedBy: r.submittedBy,
  };
}
