import { EntityManager } from 'typeorm';

/** Multi-row inserts in chunks (never save() in a loop; SQLite caps bound parameters). */
export async function insertChunks<T extends object>(manager: EntityManager, entity: new () => T, rows: Partial<T>[], size = 200): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    await manager.getRepository(entity).insert(rows.slice(i, i + size) as never);
  }
}
