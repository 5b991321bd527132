import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { apiDocument, createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import { AppConfig, loadConfig } from '../../src/config/config';
import { OpenApiCheck } from './openapi-check';

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DB_KIND: 'sqlite' | 'postgres' = process.env.DB === 'postgres' ? 'postgres' : 'sqlite';
export const DEMO_PASSWORD = 'contingent-demo';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  token: (username: string) => Promise<string>;
  /** The app's own OpenAPI document checker (every answer of http() goes through it). */
  openApi: OpenApiCheck;
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
  const check = new OpenApiCheck(apiDocument(app));
  const http = () => checkedAgainst(check, request(app.getHttpServer()));
  return {
    app,
    config,
    http,
    openApi: check,
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

/**
 * supertest whose every answer is checked against the app's OpenAPI document (#13): an undocumented path, method
 * or status, or a body off its schema, fails the awaiting test with the reasons.
 */
function checkedAgainst(check: OpenApiCheck, agent: ReturnType<typeof request>): ReturnType<typeof request> {
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    const original = agent[method].bind(agent);
    agent[method] = ((url: string) => {
      const test = original(url);
      const then = test.then.bind(test);
      test.then = ((onFulfilled, onRejected) =>
        then((res) => {
          const problems = check.problems({ method, url, status: res.status, contentType: res.headers['content-type'], text: res.text, body: res.body as unknown, headers: res.headers });
          if (problems.length > 0) throw new Error(`The answer is not what /api/docs-json documents:\n  ${problems.join('\n  ')}`);
          return res;
        }).then(onFulfilled, onRejected)) as typeof test.then;
      return test;
    });
  }
  return agent;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
