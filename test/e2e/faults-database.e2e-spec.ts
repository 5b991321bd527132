import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, Server, Socket, createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, freshDatabaseUrl, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const nirOf = (i: number): string => withNirKey(`1850575${String(500000 + i).padStart(6, '0')}`);
const patient = (i: number) => ({ nir: nirOf(i), birthDate: '1985-05-01', sex: 'M', weightKg: 70 });

/** Registers patient i; returns its status (and pseudonym when answered 2xx). */
async function register(t: TestApp, token: string, i: number): Promise<{ status: number; pseudonym?: string; body: Record<string, unknown>; retryAfter?: string }> {
  const res = await t.http().post('/api/v1/patients').set(bearer(token)).send(patient(i));
  return { status: res.status, pseudonym: res.status < 300 ? (res.body.pseudonym as string) : undefined, body: res.body as Record<string, unknown>, retryAfter: res.headers['retry-after'] };
}

if (DB_KIND === 'sqlite') {
  describe('database faults (sqlite): disk full on a small filesystem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contingent-full-'));
    const file = join(dir, 'db.sqlite');
    const filler = join(dir, 'filler');
    let t: TestApp;

    beforeAll(() => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', dir]);
    });
    afterAll(async () => {
      await t?.close().catch(() => undefined);
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After while full, says so in health, loses no answered write, and is durable again once space is freed', async () => {
      t = await startTestApp({ DATABASE_URL: `sqlite:${file}` });
      const token = await t.token(`pui-${NECKER}`);
      const answered = new Map<number, string>();
      const refused: number[] = [];
      let i = 0;
      expect((await register(t, token, i++)).status).toBe(201);
      // Fill the filesystem: dd stops at ENOSPC.
      try {
        execSync(`dd if=/dev/zero of=${filler} bs=256k status=none`, { stdio: 'ignore' });
      } catch {
        // expected: no space left on device
      }
      let firstRefusal: Awaited<ReturnType<typeof register>> | undefined;
      for (; i < 4000 && refused.length < 20; i++) {
        const r = await register(t, token, i);
        if (r.status === 201) answered.set(i, r.pseudonym!);
        else {
          refused.push(i);
          firstRefusal ??= r;
        }
      }
      expect(refused.length).toBeGreaterThan(0);
      expect(firstRefusal).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), body: { status: 503, code: 'DATABASE_UNAVAILABLE', component: 'database' } });
      // Health reports the outage the last transaction met: a small background commit (the audit sequencer's sweep)
      // may still fit in the crumbs of space and clear it, so a refused write just before is what it is read after.
      let health = await t.http().get('/api/v1/health');
      for (let tries = 0; health.status !== 503 && tries < 10; tries++, i++) {
        const r = await register(t, token, i);
        if (r.status === 201) answered.set(i, r.pseudonym!);
        else refused.push(i);
        health = await t.http().get('/api/v1/health');
      }
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'error', info: { database: { status: 'down', code: 'DATABASE_UNAVAILABLE', reason: 'full' }, queue: { status: 'up' } } });

      // Space freed: the next writes commit and health is back.
      rmSync(filler);
      const after: number[] = [];
      for (let k = 0; k < 20; k++, i++) {
        const r = await register(t, token, i);
        expect(r.status).toBe(201);
        answered.set(i, r.pseudonym!);
        after.push(i);
      }
      expect((await t.http().get('/api/v1/health')).body.status).toBe('ok');
      await t.close();

      // Restart on the same file: every answered 201 is there, no refused one is, the audit chain holds.
      t = await startTestApp({ DATABASE_URL: `sqlite:${file}` });
      const rows: { pseudonym: string }[] = await t.dataSource.query('SELECT pseudonym FROM patients');
      const stored = new Set(rows.map((r) => r.pseudonym));
      const lost = [...answered.values()].filter((p) => !stored.has(p));
      expect(lost).toEqual([]);
      const again = await t.token(`pui-${NECKER}`);
      for (const k of refused.slice(0, 5)) expect((await register(t, again, k)).status).toBe(201);
      for (const k of after.slice(0, 3)) expect((await register(t, again, k)).status).toBe(200);
      const verify = await t.http().post('/api/v1/audit/verify').set(bearer(await t.token('agency'))).send({});
      expect(verify.body.ok).toBe(true);
    });
  });
} else {
  /** A TCP proxy to PostgreSQL that the test can cut: the database "goes down" for this app only. */
  class CuttableProxy {
    private server: Server | null = null;
    private readonly sockets = new Set<Socket>();
    port = 0;
    async start(port = 0): Promise<void> {
      this.server = createServer((client) => {
        const upstream = connect(5432, '127.0.0.1');
        for (const s of [client, upstream]) {
          this.sockets.add(s);
          s.on('close', () => this.sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
      this.port = (this.server.address() as AddressInfo).port;
    }
    async cut(): Promise<void> {
      for (const s of this.sockets) s.destroy();
      await new Promise((resolve) => this.server!.close(resolve));
    }
  }

  describe('database faults (postgres): the server stops answering', () => {
    const proxy = new CuttableProxy();
    let t: TestApp;
    let drop: () => Promise<void>;
    afterAll(async () => {
      await t?.close().catch(() => undefined);
      await proxy.cut().catch(() => undefined);
      await drop?.();
    });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After while down, says so in health, and writes again once it is back', async () => {
      const db = await freshDatabaseUrl();
      drop = db.drop;
      await proxy.start();
      t = await startTestApp({ DATABASE_URL: db.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`) });
      const token = await t.token(`pui-${NECKER}`);
      expect((await register(t, token, 1)).status).toBe(201);
      await proxy.cut();
      const down = await register(t, token, 2);
      expect(down).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), body: { code: 'DATABASE_UNAVAILABLE', component: 'database' } });
      const health = await t.http().get('/api/v1/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'error', info: { database: { status: 'down', code: 'DATABASE_UNAVAILABLE' } } });
      await proxy.start(proxy.port);
      let back = await register(t, token, 2);
      for (let k = 0; k < 20 && back.status !== 201; k++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        back = await register(t, token, 2);
      }
      expect(back.status).toBe(201);
      expect((await t.http().get('/api/v1/health')).body.status).toBe('ok');
      const rows: { n: string }[] = await t.dataSource.query('SELECT COUNT(*) AS n FROM patients WHERE pseudonym = ANY($1)', [[back.pseudonym]]);
      expect(Number(rows[0]!.n)).toBe(1);
    });
  });
}
