import { EntityManager, QueryFailedError } from 'typeorm';

interface PgResult {
  command: string;
  rows: unknown[];
  rowCount: number | null;
}

interface PgClient {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<PgResult>;
}

/** The name of each statement prepared so far, by its text (the hot paths' few statements: a small, fixed set). */
const names = new Map<string, string>();

/**
 * `manager.query` for the statements every decision sends, prepared once per PostgreSQL connection: the server
 * parses and plans a statement the first times only (a decision's statements are short; their parse and plan cost
 * PostgreSQL about as much as running them). The answer is TypeORM's (rows; `[rows, count]` for UPDATE and DELETE),
 * a failure its QueryFailedError. Outside a transaction, and on SQLite (whose TypeORM driver already keeps each
 * statement prepared), it is `manager.query` itself. Only for statements of a fixed text: each is kept by every
 * connection of the pool.
 */
export async function queryPrepared<T = unknown>(manager: EntityManager, sql: string, params: readonly unknown[]): Promise<T> {
  const runner = manager.queryRunner;
  if (manager.connection.options.type !== 'postgres' || !runner || runner.isReleased) return manager.query<T>(sql, [...params]);
  const client = (await runner.connect()) as PgClient;
  let name = names.get(sql);
  if (name === undefined) names.set(sql, (name = `contingent_${names.size + 1}`));
  let raw: PgResult;
  try {
    raw = await client.query({ name, text: sql, values: params });
  } catch (error: unknown) {
    throw new QueryFailedError(sql, [...params], error as Error);
  }
  return (raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows) as T;
}
