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
import { insertChunks } from '../common/database/insert-chunks';
import { passIdempotencyGate } from '../common/idempotency/idempotency-gate';
import { UnitOfWork } from '../common/database/unit-of-work';
import { DomainError } from '../common/domain/domain-error';
import { addPeriods, periodBounds } from '../common/domain/period';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { JobsService } from '../jobs/jobs.service';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { PatientIdentity } from '../patients/patient-identity.service';
import { recapDeadline } from '../reconciliation/domain/reconcile';
import type { RecapCsvSource, RecapValidation } from './domain/recap-csv';
import { validateRecapJson } from './domain/recap-json';
import { DEFAULT_MAX_RECAP_ERRORS, PatientKeyFn, RecapLineError, RecapRow } from './domain/recap-rows';
import { RecapRefusal, recapError, recapRefusalOf, recapRefusalToError } from './domain/recaps.errors';
import { RecapLineResponse, RecapSubmitted, RecapSummary } from './dto/recap.dto';
import { RecapLineEntity } from './entities/recap-line.entity';
import { RecapEntity } from './entities/recap.entity';
import { BATCH_STRIDE, FLAG_AFTER_REFUSAL, FLAG_NIR, PSEUDONYM_CHARS, RowBatch } from './recap-csv-batch';
import { RecapCsvWorker } from './recap-csv-worker';
import { RecapLimits } from './recap-limits';
import { RecapLineWriter } from './recap-line-writer';
import { ResolvedRecapLine } from './recap-patients';
import { RecapUploadParts, UnsupportedUpload, readRecapUpload } from './recap-upload';

export interface RecapTarget {
  medicine?: string;
  period?: string;
}

/** A multipart request as the service reads it: headers and the body stream. */
export type RecapUploadRequest = Readable & { headers: IncomingHttpHeaders };

/** A recap as the demo writes it, received as is (no checks, no audit: demo data in the seeding transaction). */
export interface DemoRecap {
  establishment: string;
  medicine: string;
  period: string;
  source: 'csv' | 'json';
  submittedAt: string;
  submittedBy: string;
  lines: readonly { patient: string; administrations: number; vials: number }[];
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
    private readonly csvWorker: RecapCsvWorker,
    @Optional() @Inject(TREATMENT_FACTS) private readonly facts?: TreatmentFacts,
    @Optional() @Inject(NOTIFIER) private readonly notifier?: Notifier,
  ) {}

  onModuleInit(): void {
    this.registry.register('recaps.missing', (payload) => this.reportMissing(payload.date ?? this.clock.today()));
  }

  /** POST /recaps with a JSON body, parsed by the framework; checked whole, then stored in one transaction. */
  /** Demo data: recaps and their lines (numbered from 2, after the header) in the caller's transaction. */
  async addDemoRecaps(manager: EntityManager, recaps: readonly DemoRecap[]): Promise<void> {
    const rows: RecapEntity[] = [];
    const lines: RecapLineEntity[] = [];
    for (const r of recaps) {
      const recap: RecapEntity = {
        id: newId(), establishment: r.establishment, medicine: r.medicine, period: r.period, lines: r.lines.length,
        administrations: r.lines.reduce((n, l) => n + l.administrations, 0), vials: r.lines.reduce((n, l) => n + l.vials, 0),
        source: r.source, late: false, submittedAt: r.submittedAt, submittedBy: r.submittedBy,
      };
      r.lines.forEach((l, n) => lines.push({ recapId: recap.id, patient: l.patient, line: n + 2, administrations: l.administrations, administrationDates: null, vials: l.vials }));
      rows.push(recap);
    }
    await insertChunks(manager, RecapEntity, rows);
    await insertChunks(manager, RecapLineEntity, lines);
  }

  async submitJson(actor: Actor, body: unknown, target: RecapTarget): Promise<RecapSubmitted> {
    const establishment = establishmentOf(actor);
    const validation = validateRecapJson(body, { expectedMedicine: target.medicine, expectedPeriod: target.period, maxLines: this.limits.maxLines, patientKey: this.patientKey() });
    const refusal = recapRefusalOf(validation);
    if (refusal) throw recapRefusalToError(refusal);
    const medicine = validation.medicine as string;
    const period = validation.period as string;
    await this.checkTarget(medicine, period);
    const key = this.patientKey();
    const recapId = newId();
    const { recap, previous } = await this.unitOfWork.run(async (manager) => {
      const writer = new RecapLineWriter(manager, recapId, establishment);
      for (const row of validation.rows) await writer.push(resolved(row, key, `patients[${row.line}]`));
      await writer.finish();
      if (writer.errorCount > 0) {
        const n = writer.errorCount;
        throw recapError('RECAP_INVALID', { errorCount: n, lines: n, listed: Math.min(n, writer.errors.length) }, writer.errors.map(({ field, reason }) => ({ field, reason })), { errorCount: n });
      }
      return this.replace(manager, actor, { id: recapId, establishment, medicine, period, source: 'json' }, writer);
    }, { alone: true });
    return this.submitted(recap, previous);
  }

  /**
   * POST /recaps with multipart/form-data, as a stream: the `file` part is split into lines as it
   * arrives, each line checked and its NIR hashed at once, and the lines written a chunk at a time
   * (prepared multi-row INSERTs, awaited: back-pressure on the upload) inside ONE transaction.
   * Duplicates are found by the table's primary key, unknown pseudonyms a chunk at a time; a bad
   * line anywhere refuses the whole file, rolled back with nothing written, every bad line listed.
   * Memory holds one chunk, whatever the size of the file.
   */
  async submitUpload(actor: Actor, request: RecapUploadRequest, target: RecapTarget): Promise<RecapSubmitted> {
    const establishment = establishmentOf(actor);
    const recapId = newId();
    const postgres = this.unitOfWork.isPostgres;
    try {
      const { recap, previous } = await this.unitOfWork.run((manager) => withImportCache(manager, postgres, async () => {
        // A CSV line has no JSON field: its pseudonyms are checked once, all lines stored.
        const writer = new RecapLineWriter(manager, recapId, establishment, DEFAULT_MAX_RECAP_ERRORS, true);
        let parts: RecapUploadParts<RecapValidation>;
        try {
          parts = await readRecapUpload(request, this.limits.maxBytes, (chunks, fields) =>
            this.readCsv(writer, chunks, { medicine: target.medicine ?? fields.get('medicine'), period: target.period ?? fields.get('period') }),
          );
        } catch (error: unknown) {
          if (error instanceof UnsupportedUpload) throw recapError('RECAP_UNSUPPORTED_MEDIA_TYPE', { contentType: null });
          throw error;
        }
        const validation = parts.result;
        const refusal = uploadRefusal(parts, writer, target, this.limits.maxBytes);
        if (refusal !== null || validation === null) throw new RefusedUpload(parts.digest, refusal ?? recapError('RECAP_FILE_MISSING', {}));
        const medicine = validation.medicine as string;
        const period = validation.period as string;
        try {
          await this.checkTarget(medicine, period);
        } catch (error: unknown) {
          throw new RefusedUpload(parts.digest, error);
        }
        // The whole body is read and the file is good: the Idempotency-Key is checked against this upload
        // before anything commits (on SQLite, whose one connection is this transaction's, inside it).
        await passIdempotencyGate(request, parts.digest, postgres ? undefined : manager);
        return this.replace(manager, actor, { id: recapId, establishment, medicine, period, source: 'csv' }, writer);
      }), { alone: true });
      return await this.submitted(recap, previous);
    } catch (error: unknown) {
      if (!(error instanceof RefusedUpload)) throw error;
      // Refused and rolled back: the key is claimed now, outside the transaction, so that a retry gets the same refusal.
      await passIdempotencyGate(request, error.digest);
      throw error.refusal;
    }
  }

  /**
   * Streams a CSV recap into `writer`: each valid line's patient is hashed at once (a NIR goes no
   * further) and the line handed to the writer, which stores it a chunk at a time. Lines after a
   * refused one are still written (the transaction is rolled back anyway), so that every
   * duplicate of the file is reported, as the rules alone did when they kept every patient in memory.
   */
  async readCsv(writer: RecapLineWriter, source: RecapCsvSource, target: RecapTarget, maxLines = this.limits.maxLines): Promise<RecapValidation> {
    try {
      const validation = await this.csvWorker.validate(source, { expectedMedicine: target.medicine, expectedPeriod: target.period, maxLines }, (batch) => pushBatch(writer, batch));
      await writer.finish();
      return validation;
    } finally {
      await writer.settled();
    }
  }

  /** Replaces the establishment's recap for the medicine and period, inside the import's transaction, audited. */
  private async replace(
    manager: EntityManager,
    actor: Actor,
    target: Pick<RecapEntity, 'id' | 'establishment' | 'medicine' | 'period' | 'source'>,
    lines: { length: number; administrations: number; vials: number },
  ): Promise<{ recap: RecapEntity; previous: RecapEntity | null }> {
    const { establishment, medicine, period } = target;
    const recap: RecapEntity = {
      ...target, lines: lines.length, administrations: lines.administrations, vials: lines.vials,
      late: this.clock.today() > recapDeadline(period, this.limits.deadlineDay), submittedAt: this.clock.now().toISOString(), submittedBy: actor.username,
    };
    await this.unitOfWork.lock(manager, `recap:${establishment}:${medicine}:${period}`);
    const repo = manager.getRepository(RecapEntity);
    const before = await repo.findOneBy({ establishment, medicine, period });
    if (before) {
      await manager.getRepository(RecapLineEntity).delete({ recapId: before.id });
      await repo.delete({ id: before.id });
    }
    await repo.insert(recap);
    await this.audit.record(manager, actor, {
      action: before ? 'recap.replaced' : 'recap.submitted', entity: 'recap', entityId: recap.id,
      before: before ? toSummary(before) : null, after: toSummary(recap), establishment,
    });
    return { recap, previous: before };
  }

  /** The answer of a stored recap; a late one queues a re-run of the reconciliation (SPEC §5). */
  private async submitted(recap: RecapEntity, previous: RecapEntity | null): Promise<RecapSubmitted> {
    const reconciliationJob = recap.late ? await this.rerunReconciliation(recap) : null;
    const { id, lines, establishment, medicine, period, late } = recap;
    return { id, lines, accepted: lines, establishment, medicine, period, late, replaced: previous?.id ?? null, reconciliationJob };
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

  /**
   * Duplicates are found by person: a NIR is keyed by its pseudonym (the last one is remembered, as lines are keyed then handed over).
   * The NIR is the one the recap rules checked and normalised with `checkNir`: it is hashed without being checked again.
   */
  private patientKey(): PatientKeyFn {
    let lastNir = '';
    let lastPseudonym = '';
    return (patient, kind) => {
      if (kind === 'pseudonym') return patient;
      if (patient === lastNir) return lastPseudonym;
      lastNir = patient;
      lastPseudonym = this.identity.pseudonymOfChecked(patient);
      return lastPseudonym;
    };
  }
}

/**
 * SQLite's page cache during a file import, in KiB. The lines go into recap_lines' primary key
 * (recap_id, patient) in file order, that is at random places of an index of about 60 bytes a
 * line, and each pseudonym is looked up in patient_links' primary key: with SQLite's default
 * cache of 2 MB nearly every row evicts a page, dirty pages spill into the WAL in the middle of
 * the transaction and are read back (system time, not SQL). 48 MB keeps the pages of a
 * million-line import in memory and stays a bound whatever the file (a larger file spills, as
 * before, past it); it is the import's only, restored once its transaction ends, which frees the
 * pages above the usual cache. The memory goal (under 256 MB at 10 M lines) leaves room for it.
 */
export const IMPORT_CACHE_KIB = 48 * 1024;

/** Runs `work` with the import's page cache on SQLite (one connection: this transaction's), then puts the cache size back. */
async function withImportCache<T>(manager: EntityManager, postgres: boolean, work: () => Promise<T>): Promise<T> {
  if (postgres) return work();
  const [current] = await manager.query<{ cache_size: number }[]>('PRAGMA cache_size');
  await manager.query(`PRAGMA cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    await manager.query(`PRAGMA cache_size = ${Number(current?.cache_size ?? -2000)}`);
  }
}

function establishmentOf(actor: Actor): string {
  if (!actor.establishment) throw recapError('RECAP_NOT_FOUND', { recapId: null }, [{ field: 'establishment', reason: 'the caller has no establishment' }]);
  return actor.establishment;
}

/** Hands the valid lines of one batch from the CSV worker to the writer, in file order (awaited when a chunk is written). */
async function pushBatch(writer: RecapLineWriter, batch: RowBatch): Promise<void> {
  const { count, ints, patients, dates } = batch;
  let next = 0;
  for (let i = 0; i < count; i++) {
    const at = i * BATCH_STRIDE;
    const flags = ints[at + 1] as number;
    let administrationDates: string[] | null = null;
    if (dates !== null && dates[next]?.[0] === i) administrationDates = (dates[next++] as [number, string[]])[1];
    const pending = writer.push(
      {
        line: ints[at] as number, field: null, patient: patients.slice(i * PSEUDONYM_CHARS, (i + 1) * PSEUDONYM_CHARS), kind: (flags & FLAG_NIR) !== 0 ? 'nir' : 'pseudonym',
        administrations: ints[at + 2] as number, administrationDates, vials: ints[at + 3] as number,
      },
      (flags & FLAG_AFTER_REFUSAL) === 0,
    );
    if (pending !== undefined) await pending;
  }
}

function resolved(row: RecapRow, key: PatientKeyFn, field: string | null): ResolvedRecapLine {
  return {
    line: row.line, field, patient: key(row.patient, row.patientKind), kind: row.patientKind,
    administrations: row.administrations, administrationDates: row.administrationDates, vials: row.vials,
  };
}

/** A refused upload, carried out of the transaction (rolled back) with the digest its Idempotency-Key is checked against. */
class RefusedUpload extends Error {
  constructor(
    readonly digest: string,
    readonly refusal: unknown,
  ) {
    super('recap upload refused');
  }
}

/** Why a read upload is refused (size, form, the file's own errors, unknown or repeated patients), or null. */
function uploadRefusal(parts: RecapUploadParts<RecapValidation>, writer: RecapLineWriter, target: RecapTarget, maxBytes: number): DomainError | null {
  if (parts.truncated) {
    return recapError('RECAP_TOO_LARGE', { limit: maxBytes, unit: 'bytes' }, [{ field: 'file', reason: `must be at most ${maxBytes} bytes` }]);
  }
  if (parts.unknownParts.length > 0) {
    return recapError('RECAP_FORM_INVALID', { parts: parts.unknownParts }, parts.unknownParts.map((field) => ({ field, reason: 'is not a known field' })));
  }
  const validation = parts.result;
  if (!parts.fileSeen || validation === null) return recapError('RECAP_FILE_MISSING', {}, [{ field: 'file', reason: 'is required: the recap CSV' }]);
  const mismatches: RecapLineError[] = [];
  for (const name of ['medicine', 'period'] as const) {
    const field = parts.fields.get(name);
    const stated = target[name];
    const inFile = validation[name];
    if (field && stated !== undefined && field.value !== stated) mismatches.push({ line: 0, field: name, reason: `is ${JSON.stringify(field.value)} in the form but ${JSON.stringify(stated)} in the URL` });
    else if (field && !field.beforeFile && inFile !== null && field.value !== inFile) mismatches.push({ line: 0, field: name, reason: `is ${JSON.stringify(field.value)} in the form but the file says ${JSON.stringify(inFile)}` });
  }
  const refusal = csvRefusal(validation, writer, mismatches);
  return refusal ? recapRefusalToError(refusal) : null;
}

/** The refusal of a CSV recap: the file's own errors, the unknown and repeated patients, and form fields that contradict the file. */
function csvRefusal(validation: RecapValidation, writer: RecapLineWriter, mismatches: RecapLineError[]): RecapRefusal | null {
  if (validation.tooLarge || validation.empty) return recapRefusalOf(validation);
  const total = validation.errorCount + writer.errorCount + mismatches.length;
  if (total === 0) return null;
  const errors = [...mismatches, ...validation.errors, ...writer.errors].sort((a, b) => a.line - b.line).slice(0, DEFAULT_MAX_RECAP_ERRORS);
  const mismatchOnly = writer.errorCount === 0 && (validation.errorCount === 0 || validation.periodMismatchOnly);
  return mismatchOnly
    ? { code: 'RECAP_PERIOD_MISMATCH', params: { errorCount: total, listed: errors.length }, errors, errorCount: total }
    : { code: 'RECAP_INVALID', params: { errorCount: total, lines: validation.lines, listed: errors.length }, errors, errorCount: total };
}

export function toSummary(r: RecapEntity): RecapSummary {
  return {
    id: r.id, establishment: r.establishment, medicine: r.medicine, period: r.period, lines: r.lines, administrations: r.administrations, vials: r.vials,
    source: r.source, late: r.late, submittedAt: r.submittedAt, submittedBy: r.submittedBy,
  };
}
