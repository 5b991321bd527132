/** True when a driver error is a unique-constraint violation, on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e.driverError?.code ?? e.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** An infrastructure component that did not answer: the 503 problem names it (SPEC §11 errors, issue 13). */
export interface Outage {
  component: 'database';
  code: 'DATABASE_UNAVAILABLE';
  /** `full`: no space left; `io`: the disk failed a read or write; `unreachable`: no connection. */
  reason: 'full' | 'io' | 'unreachable' | 'busy';
}

const SQLITE_OUTAGES: Record<string, Outage['reason']> = {
  SQLITE_FULL: 'full',
  SQLITE_IOERR: 'io',
  SQLITE_CANTOPEN: 'io',
  SQLITE_READONLY: 'io',
  SQLITE_NOMEM: 'io',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
};
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
/** PostgreSQL SQLSTATEs of an unavailable server: connection exceptions (08), shutdown (57P01-03), insufficient resources (53). */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53...)$/;
const PG_MESSAGES = /Connection terminated|connection error|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/**
 * Whether an error means the database is out of service rather than the request being wrong:
 * SQLite's disk full or I/O errors (extended codes such as SQLITE_IOERR_WRITE included), a refused
 * or lost PostgreSQL connection, a server shutting down or out of space.
 */
export function classifyOutage(error: unknown): Outage | null {
  if (error === null || typeof error !== 'object') return null;
  const e = error as { code?: unknown; errno?: unknown; driverError?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const codes = [e.code, (e.driverError as { code?: unknown } | undefined)?.code].filter((c): c is string => typeof c === 'string');
  for (const code of codes) {
    // Extended SQLite codes (SQLITE_IOERR_WRITE) belong to their primary code.
    const sqlite = SQLITE_OUTAGES[code.split('_').slice(0, 2).join('_')];
    if (sqlite) return { component: 'database', code: 'DATABASE_UNAVAILABLE', reason: sqlite };
    if (NETWORK_CODES.has(code)) return { component: 'database', code: 'DATABASE_UNAVAILABLE', reason: 'unreachable' };
    if (PG_UNAVAILABLE.test(code)) return { component: 'database', code: 'DATABASE_UNAVAILABLE', reason: code.startsWith('53100') ? 'full' : 'unreachable' };
  }
  if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return { component: 'database', code: 'DATABASE_UNAVAILABLE', reason: 'unreachable' };
  // Node's AggregateError (a refused connection on IPv4 and IPv6) and wrapped causes.
  if (Array.isArray(e.errors)) for (const inner of e.errors as unknown[]) { const found = classifyOutage(inner); if (found) return found; }
  if (e.cause && e.cause !== error) return classifyOutage(e.cause);
  if (e.driverError && e.driverError !== error) return classifyOutage(e.driverError);
  return null;
}

/** Seconds a client should wait before retrying after an outage of this kind. */
export function retryAfterSeconds(outage: Outage): number {
  return outage.reason === 'busy' ? 1 : outage.reason === 'unreachable' ? 5 : 30;
}
