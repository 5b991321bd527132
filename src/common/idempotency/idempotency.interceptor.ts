import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { LessThan, Repository } from 'typeorm';
import type { AuthenticatedRequest } from '../contracts/authenticated-request';
import { canonicalJson } from '../domain/canonical-json';
import { Clock } from '../clock/clock';
import { isUniqueViolation } from '../database/database-errors';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainError } from '../domain/domain-error';
import { PROBLEM_CONTENT_TYPE } from '../problem-details/problem';
import { toProblem } from '../problem-details/problem-details.filter';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

const HEADER = 'idempotency-key';
const KEEP_MS = 48 * 3600 * 1000;
const STALE_IN_PROGRESS_MS = 120 * 1000;

/**
 * Idempotency-Key (IETF draft, SPEC §4 rule 8): a retry with the same key and body gets the first
 * answer (status and body); the same key with another body is a 422; a retry while the first
 * is running is a 409. Keys are per user and kept 48 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    @InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers[HEADER];
    if (typeof key !== 'string' || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) || !request.actor) return next.handle();
    return from(this.handle(context, next, request, key));
  }

  private async handle(context: ExecutionContext, next: CallHandler, request: AuthenticatedRequest, key: string): Promise<unknown> {
    if (key.length === 0 || key.length > 200) {
      throw new DomainError('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must have 1 to 200 characters.', 400, [{ field: 'Idempotency-Key', reason: 'must have 1 to 200 characters' }]);
    }
    const response = context.switchToHttp().getResponse<Response>();
    const userId = request.actor!.userId;
    const route = `${request.method} ${request.originalUrl ?? request.url}`;
    const requestHash = createHash('sha256').update(route).update(canonicalJson(request.body ?? null)).digest('hex');
    const now = this.clock.now();
    const claimed = await this.claim({ userId, key, route, requestHash, state: 'in_progress', responseStatus: null, responseBody: null, createdAt: now.toISOString() });
    if (!claimed) {
      const first = await this.keys.findOne({ where: { userId, key } });
      if (first && first.requestHash !== requestHash) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request body or route.', 422, [{ field: 'Idempotency-Key', reason: 'was used with another request' }]);
      }
      if (first && first.state === 'done') {
        response.status(first.responseStatus ?? 200);
        response.setHeader('Idempotent-Replayed', 'true');
        if ((first.responseStatus ?? 200) >= 400) response.type(PROBLEM_CONTENT_TYPE);
        return first.responseBody;
      }
      throw new DomainError('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later.', 409);
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.write((repo) => repo.update({ userId, key }, { state: 'done', responseStatus: response.statusCode, responseBody: (body ?? null) as object | null }));
      return body;
    } catch (error: unknown) {
      const problem = toProblem(error, request.originalUrl ?? request.url);
      if (problem.status >= 400 && problem.status < 500) {
        await this.write((repo) => repo.update({ userId, key }, { state: 'done', responseStatus: problem.status, responseBody: problem }));
      } else {
        await this.write((repo) => repo.delete({ userId, key }));
      }
      throw error;
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

  private async claim(row: IdempotencyKeyEntity): Promise<boolean> {
    try {
      await this.write((repo) => repo.insert(row));
      return true;
    } catch (error: unknown) {
      if (!isUniqueViolation(error)) throw error;
      // A first attempt that died half-way leaves a stale claim; take it over.
      const stale = new Date(Date.parse(row.createdAt) - STALE_IN_PROGRESS_MS).toISOString();
      const taken = await this.write((repo) =>
        repo.update({ userId: row.userId, key: row.key, state: 'in_progress', requestHash: row.requestHash, createdAt: LessThan(stale) }, { createdAt: row.createdAt }),
      );
      if (taken.affected) this.logger.warn('took over a stale idempotency claim');
      return (taken.affected ?? 0) > 0;
    }
  }
}
