import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from './config';

const MIGRATIONS = join(__dirname, '..', 'migrations', '*.{ts,js}');

/** TypeORM options for SQLite (embedded default) or PostgreSQL; migrations own the schema. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  if (config.database.type === 'sqlite') {
    if (config.database.path !== ':memory:') mkdirSync(dirname(config.database.path), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: config.database.path,
      migrations: [MIGRATIONS],
      migrationsRun: false,
      synchronize: false,
      enableWAL: true,
      prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    type: 'postgres',
    url: config.database.url,
    migrations: [MIGRATIONS],
    migrationsRun: false,
    synchronize: false,
    // A refused connection fails at once (a 503); the timeout bounds a server that stops answering, not the OS's TCP
    // timeout. It also bounds the wait for a pooled client, so it outlasts a burst queued for the pool (no 503 when busy).
    extra: { max: 10, connectionTimeoutMillis: 30_000 },
  };
}

/** A bare DataSource for the command line (migrations, audit verification). */
export function createDataSource(config: AppConfig, entities: DataSourceOptions['entities'] = []): DataSource {
  return new DataSource({ ...dataSourceOptions(config), entities });
}
