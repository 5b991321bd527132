import { EntityManager } from 'typeorm';
import { queryPrepared } from '../common/database/prepared-query';
import { returnedRows } from '../common/database/sql-values';
import { CheckedChain, ChainPoint, ChainVerifier, GENESIS_HASH, StoredAuditEvent, hashStoredAuditEvent } from './domain/audit-chain';
import { AuditHeadEntity } from './entities/audit-head.entity';
import { AuditPendingEntity } from './entities/audit-pending.entity';

/** Events chained per transaction: small batches keep the sequencer's transactions short. */
export const CHAIN_BATCH = 200;

const SEQUENCER_LOCK = 'audit-sequencer';

interface PendingRow {
  id: number | string;
  at: string;
  actor_id: string;
  actor_name: string;
  role: string;
  establishment: string | null;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}

/**
 * Chains one batch of committed events, in the order of their id: each gets the next sequence
 * number and its hash over the stored text, is inserted into `audit_events` and removed from
 * `audit_pending`, and the head moves on — all in one transaction, so a crash leaves each event
 * either pending or chained, never both, never twice. Sequencers of several instances take turns
 * on a lock only they take (writers never wait for it); the head's conditional update would refuse
 * a second sequencer anyway. Runs inside the caller's transaction; returns how many events were chained.
 */
export async function chainPendingBatch(manager: EntityManager, batch = CHAIN_BATCH): Promise<number> {
  const pg = isPostgres(manager);
  if (pg) await queryPrepared(manager, 'SELECT pg_advisory_xact_lock(hashtext($1))', [SEQUENCER_LOCK]);
  const p = (n: number): string => (pg ? `$${n}` : '?');
  const rows: PendingRow[] = await queryPrepared(
    manager,
    `SELECT id, at, actor_id, actor_name, role, establishment, action, entity, entity_id, before, after FROM audit_pending ORDER BY id LIMIT ${p(1)}`,
    [batch],
  );
  if (rows.length === 0) return 0;
  await appendToChain(manager, pg, await readHead(manager, pg), rows);
  const ids = rows.map((r) => Number(r.id));
  // One text whatever the batch on PostgreSQL (an array parameter), so one prepared statement.
  if (pg) await queryPrepared(manager, 'DELETE FROM audit_pending WHERE id = ANY($1::int[])', [ids]);
  else await manager.query(`DELETE FROM audit_pending WHERE id IN (${ids.map((_, i) => p(i + 1)).join(', ')})`, ids);
  return rows.length;
}

/** An event as `audit.record` writes it, not chained yet (its JSON already stored text). */
export type UnchainedEvent = Omit<PendingRow, 'id'>;

/** `rows` chained after `head`: each with the next sequence number and its hash over the stored text; the new head last. */
function chainAfter(head: Head, rows: readonly UnchainedEvent[]): { chained: StoredAuditEvent[]; head: Head } {
  let seq = head.seq;
  let prevHash = head.hash;
  const chained: StoredAuditEvent[] = [];
  for (const r of rows) {
    seq++;
    const content = {
      seq, at: r.at, actorId: r.actor_id, actorName: r.actor_name, role: r.role, establishment: r.establishment,
      action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after, prevHash,
    };
    const hash = hashStoredAuditEvent(content);
    chained.push({ ...content, hash });
    prevHash = hash;
  }
  return { chained, head: { exists: true, seq, hash: prevHash } };
}

/** Inserts chained events by multi-row inserts. */
async function insertChained(manager: EntityManager, pg: boolean, chained: readonly StoredAuditEvent[]): Promise<void> {
  const p = (n: number): string => (pg ? `$${n}` : '?');
  for (let i = 0; i < chained.length; i += 50) {
    const part = chained.slice(i, i + 50);
    const columns = ['seq', 'at', 'actor_id', 'actor_name', 'role', 'establishment', 'action', 'entity', 'entity_id', 'before', 'after', 'prev_hash', 'hash'];
    let n = 0;
    const values = part.map(() => `(${columns.map(() => p(++n)).join(', ')})`).join(', ');
    const params = part.flatMap((e) => [e.seq, e.at, e.actorId, e.actorName, e.role, e.establishment, e.action, e.entity, e.entityId, e.before, e.after, e.prevHash, e.hash]);
    await queryPrepared(manager, `INSERT INTO audit_events (${columns.join(', ')}) VALUES ${values}`, params);
  }
}

/** Moves the head from `from` to `to` by a conditional update (one parameterised statement, so one prepared form); false when it had moved. */
async function moveHead(manager: EntityManager, pg: boolean, from: Head, to: Head): Promise<boolean> {
  const p = (n: number): string => (pg ? `$${n}` : '?');
  const moved: unknown = await queryPrepared(manager, `UPDATE audit_head SET seq = ${p(1)}, hash = ${p(2)} WHERE id = 1 AND seq = ${p(3)} AND hash = ${p(4)} RETURNING seq`, [to.seq, to.hash, from.seq, from.hash]);
  return returnedRows(manager, moved).length === 1;
}

/**
 * Chains `rows` after `head`: the events are inserted by multi-row inserts and the head moves on by a conditional
 * update (which refuses a head that moved). Returns the new head.
 */
async function appendToChain(manager: EntityManager, pg: boolean, head: Head, rows: readonly UnchainedEvent[]): Promise<Head> {
  const { chained, head: next } = chainAfter(head, rows);
  await insertChained(manager, pg, chained);
  if (!head.exists) await manager.getRepository(AuditHeadEntity).insert({ id: 1, seq: next.seq, hash: next.hash });
  else if (!(await moveHead(manager, pg, head, next))) throw new Error('the audit head moved under the sequencer');
  return next;
}

/** A chain's head as a SQLite writer last left it: what `chainEventsIn` tries first. */
export type KnownHead = Head;

/**
 * Chains a SQLite transaction's own events last, before its COMMIT, without passing them through `audit_pending`:
 * the transaction is the only writer. With the head this process last wrote (`known`), two statements: the head
 * moves by its conditional update — which succeeds only if the head is still exactly that one, so the events
 * follow it — then the events are inserted. Otherwise (first write of the process, a group rolled back, events
 * left in `audit_pending` meanwhile) it reads the head and whether events wait in `audit_pending` (written by a
 * transaction opened outside UnitOfWork.run: those are older and chained first) in one statement, then inserts its
 * events and moves the head. Returns the new head, for the next transaction.
 */
export async function chainEventsIn(manager: EntityManager, events: readonly UnchainedEvent[], known: KnownHead | null = null): Promise<KnownHead | null> {
  if (events.length === 0) return known;
  if (known) {
    const { chained, head } = chainAfter(known, events);
    if (await moveHead(manager, false, known, head)) {
      await insertChained(manager, false, chained);
      return head;
    }
  }
  const [state] = await manager.query<{ seq: number | null; hash: string | null; pending: number }[]>(
    'SELECT (SELECT seq FROM audit_head WHERE id = 1) AS seq, (SELECT hash FROM audit_head WHERE id = 1) AS hash, EXISTS (SELECT 1 FROM audit_pending) AS pending',
  );
  let head: Head = state?.seq === null || state?.seq === undefined ? { exists: false, seq: 0, hash: GENESIS_HASH } : { exists: true, seq: Number(state.seq), hash: state.hash! };
  if (Number(state?.pending ?? 0) > 0) {
    await chainPendingIn(manager);
    head = await readHead(manager, false);
  }
  return appendToChain(manager, false, head, events);
}

/** Chains every committed event, batch after batch (one transaction each), until none is left; returns how many. */
export async function chainAllPending(transaction: <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>, batch = CHAIN_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await transaction((manager) => chainPendingBatch(manager, batch));
    total += n;
    if (n < batch) return total;
  }
}

/** Chains every pending event inside the caller's transaction, batch after batch (SQLite, where the caller is the only writer). */
export async function chainPendingIn(manager: EntityManager, batch = CHAIN_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await chainPendingBatch(manager, batch);
    total += n;
    if (n < batch) return total;
  }
}

/** Counts the events committed but not chained yet. */
export async function pendingCount(manager: EntityManager): Promise<number> {
  return manager.getRepository(AuditPendingEntity).count();
}

interface EventRow extends PendingRow {
  seq: number | string;
  prev_hash: string;
  hash: string;
}

/** Events read per query while verifying. */
const VERIFY_BATCH = 1000;

export interface StoredChainVerification extends CheckedChain {
  /** The last event verified (seq 0 and the genesis hash for an empty chain). */
  last: ChainPoint;
}

/**
 * Verifies the chain as stored, streamed by sequence number in batches (never the whole table in
 * memory), over the rows' own text: read without the entity's JSON transformer, so a row whose JSON
 * is corrupt is reported as broken rather than failing the read. The head is read first and the
 * events up to it are verified, so events chained meanwhile do not disturb the verdict.
 */
export async function verifyStoredChain(manager: EntityManager, checkpoint: ChainPoint | null): Promise<StoredChainVerification> {
  const pg = isPostgres(manager);
  const p = (n: number): string => (pg ? `$${n}` : '?');
  const head = await readHead(manager, false);
  const verifier = new ChainVerifier(checkpoint);
  let last: ChainPoint = { seq: 0, hash: GENESIS_HASH };
  const upTo = head.exists ? head.seq : Number.MAX_SAFE_INTEGER;
  for (let after = 0; verifier.intact; ) {
    const rows: EventRow[] = await manager.query(
      `SELECT seq, at, actor_id, actor_name, role, establishment, action, entity, entity_id, before, after, prev_hash, hash FROM audit_events WHERE seq > ${p(1)} AND seq <= ${p(2)} ORDER BY seq LIMIT ${VERIFY_BATCH}`,
      [after, upTo],
    );
    for (const r of rows) {
      const event: StoredAuditEvent = {
        seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, role: r.role, establishment: r.establishment,
        action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after, prevHash: r.prev_hash, hash: r.hash,
      };
      if (!verifier.push(event)) break;
      last = { seq: event.seq, hash: event.hash };
    }
    if (rows.length < VERIFY_BATCH) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  return { ...verifier.result(head.exists ? { seq: head.seq, hash: head.hash } : null), last };
}

function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}

interface Head {
  exists: boolean;
  seq: number;
  hash: string;
}

async function readHead(manager: EntityManager, pg: boolean): Promise<Head> {
  const rows: { seq: number | string; hash: string }[] = await queryPrepared(manager, `SELECT seq, hash FROM audit_head WHERE id = 1${pg ? ' FOR UPDATE' : ''}`, []);
  const row = rows[0];
  return row ? { exists: true, seq: Number(row.seq), hash: row.hash } : { exists: false, seq: 0, hash: GENESIS_HASH };
}
