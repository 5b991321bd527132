import type { EntityManager } from 'typeorm';

/**
 * Multipart bodies are part of the Idempotency-Key fingerprint (issue 12.3, SPEC §4 rule 8).
 *
 * The interceptor cannot fingerprint a multipart request up front: its file is streamed by the
 * handler, never parsed into `request.body`. So for multipart requests the interceptor defers the
 * claim: it leaves a gate on the request, and the handler that reads the upload passes the digest
 * of its parts (fields and file bytes, hashed as they stream) to the gate once the whole body is
 * read and before anything is written. The gate claims the key with the keyed HMAC of route and
 * digest: the same key with another file is the usual 422, the same file is replayed (the gate
 * throws `IdempotentReplay`, which the interceptor answers with the stored answer), nothing is
 * written in either case. The digest itself is never stored.
 *
 * A handler that streams the upload inside its transaction passes that transaction's manager
 * when the database has one connection (SQLite): the claim is then written in it, with the
 * effect, instead of waiting for a transaction of its own behind it.
 */
export type IdempotencyGate = (contentDigest: string, manager?: EntityManager) => Promise<void>;

const gates = new WeakMap<object, IdempotencyGate>();

export function setIdempotencyGate(request: object, gate: IdempotencyGate): void {
  gates.set(request, gate);
}

/** Passes the upload's digest to the request's Idempotency-Key gate, if it has one (a no-op otherwise). */
export async function passIdempotencyGate(request: object, contentDigest: string, manager?: EntityManager): Promise<void> {
  const gate = gates.get(request);
  if (gate) await gate(contentDigest, manager);
}

/** Thrown by the gate when the request is a replay: the interceptor answers it with the stored body. */
export class IdempotentReplay extends Error {
  constructor(readonly body: unknown) {
    super('idempotent replay');
  }
}
