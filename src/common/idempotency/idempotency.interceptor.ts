import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { EntityManager, In, IsNull, LessThan, Or, Repository } from 'typeorm';
import type { AuthenticatedRequest } from '../contracts/authenticated-request';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { Clock } from '../clock/clock';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionHook, transactionHooks } from '../database/transaction-hooks';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainError } from '../domain/domain-error';
import { PROBLEM_CONTENT_TYPE } from '../problem-details/problem';
import { toProblem } from '../problem-details/problem-details.filter';
import { IdempotencyCrypto } from './idempotency-crypto';
import { IdempotentReplay, setIdempotencyGate } from './idempotency-gate';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

const HEADER = 'idempotency-key';
const KEEP_MS = 48 * 3600 * 1000;
const LEASE_MS = 120 * 1000;

/**
 * Idempotency-Key (IETF draft, SPEC §4 rule 8): a retry with the same key and body gets the first
 * answer (status and body); the same key with another body is a 422; a retry while the first
 * is running is a 409. Keys are per user and kept 48 hours.
 *
 * The answer is written in the same transaction as the effect (a transaction hook), then
 * rewritten with the exact response: after a crash a retry replays the committed answer, or runs
 * once if nothing committed. A claim whose process died is taken over once its lease has passed,
 * in real time.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    @InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.crypto = new IdempotencyCrypto(config.patientIdSecret);
  }

  private readonly crypto: IdempotencyCrypto;

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers[HEADER];
    if (typeof key !== 'string' || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) || !request.actor) return next.handle();
    return from(this.handle(context, next, request, key));
  }

  private async handle(context: ExecutionContext, next: CallHandler, request: AuthenticatedRequest, key: string): Promise<unknown> {
    if (key.length === 0 || key.length > 200) {
      throw new DomainError('IDEMPOTENCY_KEY_INVALID', {}, 400, [{ field: 'Idempotency-Key', reason: 'must have 1 to 200 characters' }]);
    }
    const response = context.switchToHttp().getResponse<Response>();
    const userId = request.actor!.userId;
    const route = `${request.method} ${request.originalUrl ?? request.url}`;
    const where = { userId, key };
    if (isMultipart(request)) {
      // The file is streamed by the handler: the key is claimed at its gate, with the upload's digest (idempotency-gate.ts).
      let claimed = false;
      const hook = this.answerHook(where, response, false);
      setIdempotencyGate(request, async (contentDigest, manager) => {
        const requestHash = this.crypto.fingerprint(route, { body: (request.body as unknown) ?? null, upload: contentDigest });
        const replay = await this.admit(response, { userId, key, route, requestHash }, manager);
        if (replay) throw new IdempotentReplay(replay.body);
        claimed = true;
        hook.open = true;
      });
      return this.run(next, request, response, where, hook, () => claimed);
    }
    const requestHash = this.crypto.fingerprint(route, request.body);
    const replay = await this.admit(response, { userId, key, route, requestHash });
    if (replay) return replay.body;
    return this.run(next, request, response, where, this.answerHook(where, response, true), () => true);
  }

  /**
   * Claims the key for this request (null); or, when another request has it, sets up the replay
   * of its answer (returned), or throws the 422 (another body) or the 409 (still running).
   */
  private async admit(response: Response, claim: { userId: string; key: string; route: string; requestHash: string }, manager?: EntityManager): Promise<{ body: unknown } | null> {
    const { userId, key, requestHash } = claim;
    const claimed = await this.claim({ ...claim, state: 'in_progress', responseStatus: null, responseBody: null, createdAt: this.clock.now().toISOString(), leaseUntil: leaseFromNow() }, manager);
    if (claimed) return null;
    const first = await (manager ? manager.getRepository(IdempotencyKeyEntity) : this.keys).findOne({ where: { userId, key } });
    if (first && first.requestHash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', {}, 422, [{ field: 'Idempotency-Key', reason: 'was used with another request' }]);
    }
    if (first && first.state === 'done') {
      response.status(first.responseStatus ?? 200);
      response.setHeader('Idempotent-Replayed', 'true');
      if ((first.responseStatus ?? 200) >= 400) response.type(PROBLEM_CONTENT_TYPE);
      return { body: this.crypto.open(first.responseBody) };
    }
    throw new DomainError('IDEMPOTENCY_REQUEST_IN_PROGRESS', {}, 409);
  }

  /** Status is set by Nest before interceptors run; each transaction of the handler writes its result as the answer. */
  private answerHook(where: { userId: string; key: string }, response: Response, open: boolean): TransactionHook {
    return {
      open,
      beforeCommit: async (manager: EntityManager, result: unknown) => {
        await manager.getRepository(IdempotencyKeyEntity).update(where, { state: 'done', responseStatus: response.statusCode, responseBody: this.crypto.seal(result) });
      },
    };
  }

  /** Runs the handler and records its answer, if this request holds the claim. */
  private async run(next: CallHandler, request: AuthenticatedRequest, response: Response, where: { userId: string; key: string }, hook: TransactionHook, claimed: () => boolean): Promise<unknown> {
    try {
      const body: unknown = await transactionHooks.run(hook, () => lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined }).finally(() => (hook.open = false)));
      if (!claimed()) return body;
      await this.settle(() => this.write((repo) => repo.update(where, { state: 'done', responseStatus: response.statusCode, responseBody: this.crypto.seal(body ?? null) })));
      return body;
    } catch (error: unknown) {
      if (error instanceof IdempotentReplay) return error.body;
      // A multipart request refused before its body was read (no claim) leaves nothing behind.
      if (!claimed()) throw error;
      const problem = toProblem(error, request.originalUrl ?? request.url);
      if (problem.status >= 400 && problem.status < 500) {
        await this.settle(() => this.write((repo) => repo.update(where, { state: 'done', responseStatus: problem.status, responseBody: this.crypto.seal(problem) })));
      } else {
        // Only a claim no transaction answered is forgotten: a committed effect keeps its answer for the retry.
        await this.settle(() => this.write((repo) => repo.delete({ ...where, state: 'in_progress' })));
      }
      throw error;
    }
  }

  /** The effect is committed and answered already: failing to rewrite its stored answer must not turn it into an error. */
  private async settle(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error: unknown) {
      this.logger.warn(`the idempotency answer could not be rewritten: ${(error as { code?: string }).code ?? 'error'}`);
    }
  }

  /** Writes go through the unit of work: on SQLite they must not slip into another request's open transaction. */
  private write<T>(work: (repo: Repository<IdempotencyKeyEntity>) => Promise<T>): Promise<T> {
    return this.unitOfWork.run((manager) => work(manager.getRepository(IdempotencyKeyEntity)));
  }

  /** Forgets keys older than 48 hours (the daily job `idempotency-keys.purge`, not every request). */
  async purgeExpired(): Promise<{ purged: number }> {
    const before = new Date(this.clock.now().getTime() - KEEP_MS).toISOString();
    const result = await this.write((repo) => repo.delete({ createdAt: LessThan(before) }));
    return { purged: result.affected ?? 0 };
  }

  /** Claims the key in a transaction of its own, or in the caller's `manager` (see IdempotencyGate). */
  private async claim(row: IdempotencyKeyEntity, manager?: EntityManager): Promise<boolean> {
    const write = <T>(work: (repo: Repository<IdempotencyKeyEntity>) => Promise<T>): Promise<T> => (manager ? work(manager.getRepository(IdempotencyKeyEntity)) : this.write(work));
    try {
      await write((repo) => repo.insert(row));
      return true;
    } catch (error: unknown) {
      if (!isUniqueViolation(error)) throw error;
      // A first attempt that died half-way leaves a claim whose lease (real time) has passed; take it over.
      const now = new Date().toISOString();
      const taken = await write((repo) =>
        repo.update({ userId: row.userId, key: row.key, state: In(['in_progress']), requestHash: row.requestHash, leaseUntil: Or(IsNull(), LessThan(now)) }, { leaseUntil: leaseFromNow() }),
      );
      if (taken.affected) this.logger.warn('took over a stale idempotency claim');
      return (taken.affected ?? 0) > 0;
    }
  }
}

/** The end of a claim's lease, by the real clock (issue 12.12: not the business clock). */
function leaseFromNow(): string {
  return new Date(Date.now() + LEASE_MS).toISOString();
}

function isMultipart(request: AuthenticatedRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('multipart/form-data');
}
