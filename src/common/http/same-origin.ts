import type { Request } from 'express';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A safe method, or a state change whose `Origin` (or `Referer`) is this site (also used by the queue dashboard). */
export function isSameOriginOrSafe(req: Request): boolean {
  if (SAFE.has(req.method)) return true;
  const host = req.headers.host;
  const source = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  return Boolean(host && source && source.host === host);
}

function originOf(value: string | undefined): URL | null {
  if (!value || value === 'null') return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
