import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/domain/canonical-json';

/** The fields of an audit event that its hash covers (SPEC §8). */
export interface AuditEventContent {
  seq: number;
  at: string;
  actorId: string;
  actorName: string;
  role: string;
  establishment: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
}

export interface ChainedAuditEvent extends AuditEventContent {
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous hash and the event's content. */
export function hashAuditEvent(event: AuditEventContent): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  firstBrokenAt: number | null;
  reason: string | null;
}

/**
 * Verifies an append-only hash chain (SPEC §8): an edited event breaks its own hash, a removed
 * one breaks the sequence and the next event's link, a reordered one breaks the links.
 * `events` must be given in stored sequence order; `head` (kept apart, updated with each append)
 * reveals a removed last event.
 */
export function verifyAuditChain(events: ChainedAuditEvent[], head: { seq: number; hash: string } | null = null): ChainVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const event of events) {
    if (event.seq !== expectedSeq) return broken(events.length, event.seq, `event ${expectedSeq} is missing or out of order (found ${event.seq})`);
    if (event.prevHash !== prevHash) return broken(events.length, event.seq, `event ${event.seq} does not link to the event before it`);
    const { hash, ...content } = event;
    if (hashAuditEvent(content) !== hash) return broken(events.length, event.seq, `event ${event.seq} was changed after it was written`);
    prevHash = hash;
    expectedSeq++;
  }
  const lastSeq = expectedSeq - 1;
  if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
    return broken(events.length, Math.min(head.seq, lastSeq + 1), `the chain ends at event ${lastSeq} but its head records event ${head.seq}`);
  }
  return { ok: true, events: events.length, firstBrokenAt: null, reason: null };
}

function broken(events: number, at: number, reason: string): ChainVerification {
  return { ok: false, events, firstBrokenAt: at, reason };
}
