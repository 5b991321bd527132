import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata.js';
import { queryPrepared } from './prepared-query';
import type { SqlParams } from './sql-values';

/**
 * Entities read and written by their own column metadata (names, transformers, booleans as the driver stores them),
 * without a query builder: for the statements of the hot paths (a decision), where building the SQL of each find and
 * insert costs more than running it. The SQL text of an insert is built once per entity and column set.
 */
const insertSql = new WeakMap<EntityMetadata, Map<string, string>>();

/** The entity of a raw row (`SELECT *` or every column by its database name). */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  const driver = manager.connection.driver;
  for (const column of metadata.columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
  return entity;
}

/** Inserts one entity: every column it has a value for, in one parameterised statement. */
export async function insertEntity<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, entity: T): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => c.getEntityValue(entity) !== undefined);
  const key = columns.map((c) => c.databaseName).join(',');
  let byColumns = insertSql.get(metadata);
  if (!byColumns) insertSql.set(metadata, (byColumns = new Map<string, string>()));
  let sql = byColumns.get(key);
  if (sql === undefined) {
    const postgres = manager.connection.options.type === 'postgres';
    const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
    const values = columns.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
    sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES (${values})`;
    byColumns.set(key, sql);
  }
  await queryPrepared(manager, sql, columns.map((c) => driver.preparePersistentValue(c.getEntityValue(entity), c) as unknown));
}

/**
 * The insert of one entity as statement text, its parameters bound in `params`, with one column's value from SQL
 * rather than from the entity (`computed.expression`, which may read a WITH member of the same statement): for a
 * statement that writes several rows in one round trip (PostgreSQL).
 */
export function insertEntitySql<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, entity: T, params: SqlParams, computed: { column: string; expression: string }): string {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => c.databaseName !== computed.column && c.getEntityValue(entity) !== undefined);
  const names = [...columns.map((c) => driver.escape(c.databaseName)), driver.escape(computed.column)].join(', ');
  const values = [...columns.map((c) => params.bind(driver.preparePersistentValue(c.getEntityValue(entity), c))), computed.expression].join(', ');
  return `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES (${values})`;
}
