import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { DB_KIND, DEMO_PASSWORD, TestApp, startTestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = '3';

/** #12.9: one login counter for the API and the page, per normalised username, shared through Redis. */
describe(`the login limit (${DB_KIND})`, () => {
  const login = (server: Parameters<typeof request>[0], username: string, headers: Record<string, string> = {}) =>
    request(server).post('/api/v1/auth/login').set(headers).send({ username, password: 'wrong-password' });

  describe('in one process, no proxy trusted', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ LOGIN_RATE_LIMIT: LIMIT });
    });
    afterAll(async () => t.close());

    it('shares one counter between the API and the sign-in page, whatever the username\'s case or spaces', async () => {
      expect((await login(t.app.getHttpServer(), 'lab')).status).toBe(401);
      expect((await login(t.app.getHttpServer(), ' LAB ')).status).toBe(401);
      const address = t.app.getHttpServer().address() as { address: string; port: number };
      const host = `${address.address}:${address.port}`;
      const page = await t.http().post('/connexion').set('Host', host).set('Origin', `http://${host}`).type('form').send({ username: 'Lab', password: 'wrong-password' });
      expect(page.status).toBe(401);
      const fourth = await login(t.app.getHttpServer(), 'lab\t');
      expect(fourth.status).toBe(429);
      expect(fourth.body.code).toBe('TOO_MANY_REQUESTS');
      // the right password does not get through either while the counter is full
      expect((await t.http().post('/api/v1/auth/login').send({ username: 'lab', password: DEMO_PASSWORD })).status).toBe(429);
    });

    it('validates the body before counting: a malformed login is a 400, not a 429', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'lab' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    });

    it('does not believe X-Forwarded-For without TRUST_PROXY: a new forged address is the same counter', async () => {
      for (let i = 0; i < 3; i++) await login(t.app.getHttpServer(), 'committee-1', { 'X-Forwarded-For': `203.0.113.${i}` });
      expect((await login(t.app.getHttpServer(), 'committee-1', { 'X-Forwarded-For': '198.51.100.7' })).status).toBe(429);
    });
  });

  describe('behind a trusted proxy, two instances sharing Redis', () => {
    let t: TestApp;
    let second: INestApplication;
    beforeAll(async () => {
      t = await startTestApp({ LOGIN_RATE_LIMIT: LIMIT, REDIS_URL, TRUST_PROXY: 'loopback' });
      const url = t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url;
      second = await createApp(loadConfig({ CONTINGENT_DEMO: 'true', DATABASE_URL: url, REDIS_URL, TRUST_PROXY: 'loopback', LOGIN_RATE_LIMIT: LIMIT, LOG_LEVEL: 'silent', JOBS_CRON: 'false', CONTINGENT_NOW: '2023-05-15T10:00:00+02:00', PATIENT_ID_SECRET: 'test-patient-secret-0123456789', JWT_SECRET: 'test-jwt-secret-0123456789abcdef' }), { logger: false });
      await second.listen(0, '127.0.0.1');
    });
    afterAll(async () => {
      await second.close();
      await t.close();
    });

    it('counts the attempts made on either instance together', async () => {
      const client = { 'X-Forwarded-For': '192.0.2.10' };
      expect((await login(t.app.getHttpServer(), 'agency', client)).status).toBe(401);
      expect((await login(second.getHttpServer(), 'agency', client)).status).toBe(401);
      expect((await login(t.app.getHttpServer(), 'AGENCY', client)).status).toBe(401);
      expect((await login(second.getHttpServer(), 'agency', client)).status).toBe(429);
    });

    it('believes the forwarded address from the trusted proxy: another client has its own counter', async () => {
      expect((await login(second.getHttpServer(), 'agency', { 'X-Forwarded-For': '192.0.2.99' })).status).toBe(401);
    });
  });
});
