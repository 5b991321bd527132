import { randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** Instants are stored as ISO 8601 UTC strings: portable across SQLite and PostgreSQL, sortable. */
export function isoNow(now: Date): string {
  return now.toISOString();
}
