import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashStoredAuditEvent } from '../../src/audit/domain/audit-chain';
import { AuditVerifyCommand, AuditVerifyOptions } from '../../src/cli/audit-verify.command';
import { JobRegistry } from '../../src/common/contracts/job-registry';
import { withFinessKey } from '../../src/common/domain/finess';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');

interface Row {
  seq: number;
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
  prev_hash: string;
  hash: string;
}

async function runCli(databaseUrl: string, options: AuditVerifyOptions = {}): Promise<{ out: Record<string, unknown> | null; err: string; exitCode: number }> {
  const previous = { url: process.env.DATABASE_URL, exit: process.exitCode };
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.env.DATABASE_URL = databaseUrl;
  process.exitCode = 0;
  (process.stdout as { write: unknown }).write = (chunk: string) => out.push(String(chunk));
  (process.stderr as { write: unknown }).write = (chunk: string) => err.push(String(chunk));
  try {
    await new AuditVerifyCommand().run([], options);
  } finally {
    (process.stdout as { write: unknown }).write = write.out;
    (process.stderr as { write: unknown }).write = write.err;
    process.env.DATABASE_URL = previous.url;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = previous.exit;
  return { out: out.length > 0 ? (JSON.parse(out.join('')) as Record<string, unknown>) : null, err: err.join(''), exitCode };
}

/** SPEC §8 / issue 12 item 8: signed checkpoints catch what a self-consistent rewrite of the chain hides. */
describe(`signed audit checkpoints (${DB_KIND})`, () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'contingent-checkpoint-'));
  const url = () => (t.config.database.type === 'sqlite' ? `sqlite:${t.config.database.path}` : t.config.database.url);
  const p = (n: number) => (DB_KIND === 'postgres' ? `$${n}` : '?');
  const agency = async () => bearer(await t.token('agency'));
  let month = 0;
  const change = async (n: number) => {
    for (let i = 0; i < n; i++) {
      month++;
      const period = `20${String(24 + Math.floor((month - 1) / 12))}-${String(((month - 1) % 12) + 1).padStart(2, '0')}`;
      const res = await t.http().put(`/api/v1/establishments/${NECKER}/followed-patients/${period}`).set(await agency()).send({ count: 3000 + month });
      expect(res.status).toBe(200);
    }
  };
  const verify = async (body: object = {}) => t.http().post('/api/v1/audit/verify').set(await agency()).send(body);
  const lastSeq = async () => Number((await t.dataSource.query('SELECT MAX(seq) AS seq FROM audit_events'))[0].seq);
  /** What someone with write access to the database does to hide it: the chain rehashed from `from` on, the head moved, the stored checkpoints gone. */
  const rewriteFrom = async (from: number) => {
    const rows: Row[] = await t.dataSource.query(`SELECT * FROM audit_events WHERE seq >= ${p(1)} ORDER BY seq`, [from - 1]);
    let prevHash = rows[0]!.seq === from - 1 ? rows[0]!.hash : '0'.repeat(64);
    for (const r of rows.filter((row) => row.seq >= from)) {
      const hash = hashStoredAuditEvent({
        seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, role: r.role, establishment: r.establishment,
        action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after, prevHash,
      });
      await t.dataSource.query(`UPDATE audit_events SET prev_hash = ${p(1)}, hash = ${p(2)} WHERE seq = ${p(3)}`, [prevHash, hash, r.seq]);
      prevHash = hash;
    }
    const end = await lastSeq();
    await t.dataSource.query(`UPDATE audit_head SET seq = ${p(1)}, hash = ${p(2)} WHERE id = 1`, [end, prevHash]);
    await t.dataSource.query('DELETE FROM audit_checkpoints');
  };
  const exported = (checkpoint: object, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(checkpoint, null, 2));
    return file;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await change(3);
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes a checkpoint on demand (agency only), answers the latest one and verifies against it', async () => {
    expect((await t.http().get('/api/v1/audit/checkpoint').set(await agency())).status).toBe(404);
    expect((await t.http().post('/api/v1/audit/checkpoints').set(bearer(await t.token('lab')))).status).toBe(403);
    const taken = await t.http().post('/api/v1/audit/checkpoints').set(await agency());
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String), signature: expect.any(String), publicKey: expect.any(String) });
    expect(taken.body.seq).toBeGreaterThan(3);
    expect(taken.body.note).toContain(`\n${taken.body.seq}\n${taken.body.hash}\n`);
    const latest = await t.http().get('/api/v1/audit/checkpoint').set(await agency());
    expect(latest.body).toEqual(taken.body);
    const audited = await t.http().get(`/api/v1/audit?entityId=${taken.body.seq}&action=audit.checkpointed`).set(await agency());
    expect(audited.body.items).toHaveLength(1);
    await change(2);
    expect((await verify({ checkpoint: taken.body })).body).toMatchObject({ ok: true, firstBrokenAt: null, checkpoint: { seq: taken.body.seq, ok: true } });
    expect(await runCli(url(), { checkpoint: exported(taken.body, 'intact.json') })).toMatchObject({ out: { ok: true }, exitCode: 0 });
  });

  it('refuses a checkpoint altered after signing and names a malformed one', async () => {
    const latest = (await t.http().get('/api/v1/audit/checkpoint').set(await agency())).body;
    const altered = await verify({ checkpoint: { ...latest, seq: latest.seq - 1 } });
    expect(altered.body).toMatchObject({ ok: false, checkpoint: { ok: false, reason: expect.stringMatching(/signature does not match/) } });
    const malformed = await verify({ checkpoint: { ...latest, hash: 'xyz' } });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.errors)).toContain('checkpoint.hash');
  });

  it('detects the last events deleted and the head moved back, which verify as intact without the checkpoint', async () => {
    await change(2);
    const checkpoint = (await t.http().post('/api/v1/audit/checkpoints').set(await agency())).body;
    await change(1);
    // Remove the checkpoint's event, those after it, and the one before; move the head back.
    await t.dataSource.query(`DELETE FROM audit_events WHERE seq >= ${p(1)}`, [checkpoint.seq - 1]);
    await rewriteFrom(checkpoint.seq - 1);
    expect((await verify()).body).toMatchObject({ ok: true, checkpoint: null });
    expect(await runCli(url())).toMatchObject({ out: { ok: true }, exitCode: 0 });
    const api = await verify({ checkpoint });
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ ok: false, firstBrokenAt: checkpoint.seq - 1, checkpoint: { seq: checkpoint.seq, ok: false, reason: expect.stringMatching(/events were removed/) } });
    expect(await runCli(url(), { checkpoint: exported(checkpoint, 'truncated.json') })).toMatchObject({ out: { ok: false }, exitCode: 1 });
  });

  it('detects an event edited with the chain recomputed after it', async () => {
    await change(2);
    const checkpoint = (await t.http().post('/api/v1/audit/checkpoints').set(await agency())).body;
    await change(2);
    const target = checkpoint.seq - 2;
    await t.dataSource.query(`UPDATE audit_events SET after = ${p(1)} WHERE seq = ${p(2)}`, ['{"count":1}', target]);
    await rewriteFrom(target);
    expect((await verify()).body).toMatchObject({ ok: true });
    const api = await verify({ checkpoint });
    expect(api.body).toMatchObject({ ok: false, firstBrokenAt: checkpoint.seq, checkpoint: { ok: false, reason: expect.stringMatching(/history was rewritten/) } });
    expect(await runCli(url(), { checkpoint: exported(checkpoint, 'rewritten.json') })).toMatchObject({ out: { ok: false, firstBrokenAt: checkpoint.seq }, exitCode: 1 });
    // Taking a checkpoint over a history that does not extend the latest one is refused too.
    await t.dataSource.query(`INSERT INTO audit_checkpoints (id, seq, hash, at, signature, public_key, taken_by) VALUES (${[1, 2, 3, 4, 5, 6, 7].map(p).join(', ')})`, [
      'c-restored', checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.signature, checkpoint.publicKey, 'agency',
    ]);
    const refused = await t.http().post('/api/v1/audit/checkpoints').set(await agency());
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('AUDIT_CHAIN_BROKEN');
    await t.dataSource.query('DELETE FROM audit_checkpoints');
  });

  it('reports a row whose JSON is corrupt as broken, never a 500, and the command exits 1', async () => {
    const seq = (await lastSeq()) - 1;
    await t.dataSource.query(`UPDATE audit_events SET after = ${p(1)} WHERE seq = ${p(2)}`, ['{"count":', seq]);
    const api = await verify();
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ ok: false, firstBrokenAt: seq, reason: `event ${seq} holds a before or after value that is not JSON` });
    expect(await runCli(url())).toMatchObject({ out: { ok: false, firstBrokenAt: seq }, exitCode: 1 });
    // The trail itself still reads: the edited value shows as unreadable, the other events as they were.
    const trail = await t.http().get('/api/v1/audit?limit=200').set(await agency());
    expect(trail.status).toBe(200);
    const events = trail.body.items as { seq: number; after: unknown }[];
    expect(events.find((e) => e.seq === seq)?.after).toEqual({ unreadable: true });
    expect(events.filter((e) => e.seq !== seq).every((e) => typeof e.after === 'object')).toBe(true);
  });

  it('exits 2 with a sentence when the checkpoint file cannot be used', async () => {
    const missing = await runCli(url(), { checkpoint: join(dir, 'nowhere.json') });
    expect(missing).toMatchObject({ out: null, exitCode: 2 });
    expect(missing.err).toMatch(/cannot read the checkpoint file .*ENOENT/);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ seq: 1');
    expect((await runCli(url(), { checkpoint: notJson })).err).toMatch(/it is not JSON/);
    const wrong = await runCli(url(), { checkpoint: exported({ seq: -1, hash: 'h' }, 'wrong.json') });
    expect(wrong).toMatchObject({ out: null, exitCode: 2 });
    expect(wrong.err).toMatch(/is not a checkpoint: seq .*; hash/);
  });

  it('is taken by the daily job audit.checkpoint', async () => {
    // A fresh chain (the one above was tampered with on purpose).
    await t.dataSource.query('DELETE FROM audit_events');
    await t.dataSource.query('DELETE FROM audit_head');
    await change(1);
    await t.app.get(JobRegistry).get('audit.checkpoint')!({ date: '2023-05-15' });
    const latest = await t.http().get('/api/v1/audit/checkpoint').set(await agency());
    expect(latest.status).toBe(200);
    expect(latest.body.seq).toBe(1);
    const rows: { taken_by: string }[] = await t.dataSource.query('SELECT taken_by FROM audit_checkpoints');
    expect(rows).toEqual([{ taken_by: 'system' }]);
  });
});
