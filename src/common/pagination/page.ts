import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DomainError } from '../domain/domain-error';

/** `?limit=&cursor=` (SPEC §11). The cursor is opaque: base64url of the offset. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, example: 50, description: 'items per page (50 when absent)' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'must be an integer' }) @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ minLength: 1, maxLength: 20, example: 'NTA', description: "the previous page's nextCursor (opaque)" })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  // Only the plain decimal offsets encodeCursor writes: "1e21" or "0x10" would pass Number() and
  // reach the database as an offset it cannot take (#12.10).
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0 || encodeCursor(offset) !== cursor) {
    throw new DomainError('VALIDATION_FAILED', { fields: ['cursor'] }, 400, [{ field: 'cursor', reason: 'is not a valid cursor' }]);
  }
  return offset;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64url');
}

/** Skip/take for a page query; fetch one more row than asked to know whether there is a next page. */
export function pageWindow(query: PageQueryDto, defaultLimit = 50): { skip: number; take: number; limit: number } {
  const limit = query.limit ?? defaultLimit;
  const skip = decodeCursor(query.cursor);
  return { skip, take: limit + 1, limit };
}

export function toPage<T>(rows: T[], window: { skip: number; limit: number }): Page<T> {
  const more = rows.length > window.limit;
  return { items: more ? rows.slice(0, window.limit) : rows, nextCursor: more ? encodeCursor(window.skip + window.limit) : null };
}

/** Pages an array already in memory. */
export function pageOf<T>(all: T[], query: PageQueryDto, defaultLimit = 50): Page<T> {
  const w = pageWindow(query, defaultLimit);
  return toPage(all.slice(w.skip, w.skip + w.take), w);
}
