import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

/**
 * Work a caller wants done inside every transaction its use case commits, before the COMMIT
 * (e.g. the Idempotency-Key's answer, written with the effect). `open` turns it off once the
 * caller is done, so timers started meanwhile (in-process jobs) do not carry it on.
 */
export interface TransactionHook {
  open: boolean;
  beforeCommit(manager: EntityManager, result: unknown): Promise<void>;
}

export const transactionHooks = new AsyncLocalStorage<TransactionHook>();
