import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import { AppConfig, loadConfig } from '../../src/config/config';

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DB_KIND: 'sqlite' | 'postgres' = process.env.DB === 'postgres' ? 'postgres' : 'sqlite';
export const DEMO_PASSWORD = 'contingent-demo';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  token: (username: string) => Promise<string>;
  dataSource: DataSource;
  clock: Clock;
  close: () => Promise<void>;
}

/** A fresh database for one test file: an SQLite file, or a new PostgreSQL database when DB=postgres. */
export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (DB_KIND === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'contingent-test-'));
    return { url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `contingent_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The whole app on a fresh database with the demo data, the clock fixed at `now`. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabaseUrl();
  const config = loadConfig({
    CONTINGENT_DEMO: 'true',
    CONTINGENT_DEMO_LIVE: 'false',
    DATABASE_URL: db.url,
    CONTINGENT_NOW: '2023-05-15T10:00:00+02:00',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    JOBS_CRON: 'false',
    PATIENT_ID_SECRET: 'test-patient-secret-0123456789',
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
    ...env,
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const tokens = new Map<string, string>();
  const http = () => request(app.getHttpServer());
  return {
    app,
    config,
    http,
    dataSource: app.get(DataSource),
    clock: app.get(Clock),
    token: async (username: string) => {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await http().post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.accessToken);
      return res.body.accessToken as string;
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
