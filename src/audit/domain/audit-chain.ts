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

/** An event as its row stores it: `before` and `after` are the JSON text of the row, as written. */
export interface StoredAuditContent extends Omit<AuditEventContent, 'before' | 'after'> {
  before: string | null;
  after: string | null;
}

export interface StoredAuditEvent extends StoredAuditContent {
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous hash and the event's content. */
export function hashAuditEvent(event: AuditEventContent): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/**
 * SHA-256 over the event as stored: the canonical JSON of its fields with `before` and `after`
 * spliced in as the very text of the row, so that any change of that text (even one that parses to
 * the same value) breaks the hash. Writers store canonical JSON text, so this equals
 * `hashAuditEvent` of the parsed event.
 */
export function hashStoredAuditEvent(event: StoredAuditContent): string {
  const { before, after, ...fields } = event;
  const raw: Record<string, string> = { before: before ?? 'null', after: after ?? 'null' };
  const keys = [...Object.keys(fields), ...Object.keys(raw)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `{${keys.map((k) => `${JSON.stringify(k)}:${k in raw ? raw[k] : canonicalJson(fields[k as keyof typeof fields])}`).join(',')}}`;
  return createHash('sha256').update(text).digest('hex');
}

/** The JSON text a writer stores for `before`/`after` (canonical, so the stored text is what is hashed). */
export function storedJsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : canonicalJson(value);
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  firstBrokenAt: number | null;
  reason: string | null;
}

/** A signed point of the chain the verification must find again: event `seq` with hash `hash`. */
export interface ChainPoint {
  seq: number;
  hash: string;
}

export interface CheckpointVerification {
  seq: number;
  ok: boolean;
  reason: string | null;
}

export interface CheckedChain extends ChainVerification {
  /** Whether the chain still extends the checkpoint it was given (null without one). */
  checkpoint: CheckpointVerification | null;
}

/**
 * Verifies an append-only hash chain (SPEC §8) one event at a time, so a caller can stream it in
 * sequence order without holding it: an edited event breaks its own hash, a removed one breaks the
 * sequence and the next event's link, a reordered one breaks the links, a row whose text is not
 * JSON is reported as broken. `head` (kept apart) reveals a removed last event; a signed
 * checkpoint reveals a history rewritten with its hashes recomputed or truncated with its head.
 */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  private count = 0;
  private failure: { at: number; reason: string } | null = null;
  private checkpointFailure: string | null = null;
  private checkpointSeen = false;

  constructor(private readonly checkpoint: ChainPoint | null = null) {
    if (checkpoint && checkpoint.seq === 0) {
      this.checkpointSeen = true;
      if (checkpoint.hash !== GENESIS_HASH) this.checkpointFailure = 'the checkpoint signs an empty chain with a hash that is not the genesis hash';
    }
  }

  /** Whether the chain so far is intact; once false, later events change nothing. */
  get intact(): boolean {
    return this.failure === null;
  }

  /** Takes the next stored event in sequence order; returns false once the chain is broken. */
  push(event: StoredAuditEvent): boolean {
    if (this.failure) return false;
    this.count++;
    if (event.seq !== this.expectedSeq) return this.fail(event.seq, `event ${this.expectedSeq} is missing or out of order (found ${event.seq})`);
    if (event.prevHash !== this.prevHash) return this.fail(event.seq, `event ${event.seq} does not link to the event before it`);
    if (!isJsonText(event.before) || !isJsonText(event.after)) return this.fail(event.seq, `event ${event.seq} holds a before or after value that is not JSON`);
    const { hash, ...content } = event;
    if (hashStoredAuditEvent(content) !== hash) return this.fail(event.seq, `event ${event.seq} was changed after it was written`);
    if (this.checkpoint && event.seq === this.checkpoint.seq) {
      this.checkpointSeen = true;
      if (hash !== this.checkpoint.hash) this.checkpointFailure = `event ${event.seq} is not the event the checkpoint signed: the history was rewritten`;
    }
    this.prevHash = hash;
    this.expectedSeq++;
    return true;
  }

  /** The verdict once every event was pushed; `head` is the chain's last sequence number and hash as kept apart. */
  result(head: ChainPoint | null = null): CheckedChain {
    const lastSeq = this.expectedSeq - 1;
    let chain: ChainVerification;
    if (this.failure) chain = { ok: false, events: this.count, firstBrokenAt: this.failure.at, reason: this.failure.reason };
    else if (head && (head.seq !== lastSeq || head.hash !== this.prevHash)) {
      chain = { ok: false, events: this.count, firstBrokenAt: Math.min(head.seq, lastSeq + 1), reason: `the chain ends at event ${lastSeq} but its head records event ${head.seq}` };
    } else chain = { ok: true, events: this.count, firstBrokenAt: null, reason: null };
    if (!this.checkpoint) return { ...chain, checkpoint: null };
    const cp = this.checkpoint;
    let reason = this.checkpointFailure;
    if (!reason && !this.checkpointSeen) {
      reason = this.failure
        ? `the chain is broken at event ${this.failure.at}, before the checkpoint's event ${cp.seq}`
        : `the chain ends at event ${lastSeq}, before the checkpoint's event ${cp.seq}: events were removed`;
    }
    const checkpoint = { seq: cp.seq, ok: reason === null, reason };
    if (checkpoint.ok || !chain.ok) return { ...chain, checkpoint };
    return { ok: false, events: this.count, firstBrokenAt: Math.min(cp.seq, lastSeq + 1), reason, checkpoint };
  }

  private fail(at: number, reason: string): false {
    this.failure = { at, reason };
    return false;
  }
}

/**
 * Verifies a chain given whole, with parsed `before`/`after` values (as written by the writers:
 * their canonical JSON text is what the rows hold).
 */
export function verifyAuditChain(events: ChainedAuditEvent[], head: ChainPoint | null = null): ChainVerification {
  const verifier = new ChainVerifier();
  for (const event of events) {
    verifier.push({ ...event, before: storedJsonText(event.before), after: storedJsonText(event.after) });
  }
  const { ok, events: count, firstBrokenAt, reason } = verifier.result(head);
  return { ok, events: count, firstBrokenAt, reason };
}

function isJsonText(text: string | null): boolean {
  if (text === null) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
