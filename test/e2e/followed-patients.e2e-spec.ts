import { withFinessKey } from '../../src/common/domain/finess';
import { SESSION_COOKIE } from '../../src/auth/authenticator';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');

describe(`followed-patient declarations are proposals (#12.7, ${DB_KIND})`, () => {
  let t: TestApp;
  let pui: string;
  let agency: string;
  let approved: number;
  const q = (sql: string): string => (DB_KIND === 'postgres' ? sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`) : sql);
  const audits = async (action: string): Promise<{ before: string; after: string }[]> =>
    t.dataSource.query(q('SELECT before, after FROM audit_events WHERE action = ? ORDER BY seq'), [action]);
  const followedOf = async (finess: string): Promise<number> => (await t.http().get(`/api/v1/establishments/${finess}`).set(bearer(agency))).body.followedPatients as number;

  beforeAll(async () => {
    t = await startTestApp();
    pui = await t.token(`pui-${NECKER}`);
    agency = await t.token('agency');
    approved = await followedOf(NECKER);
    expect(approved).toBeGreaterThan(100);
  });
  afterAll(async () => t.close());

  it('keeps a pharmacist\'s 1,000,000 pending: the approved count and the allocation do not move', async () => {
    const res = await t.http().put(`/api/v1/establishments/${NECKER}/followed-patients/2023-06`).set(bearer(pui)).send({ count: 1_000_000 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ finess: NECKER, period: '2023-06', status: 'proposed', count: 1_000_000, approvedCount: approved });
    t.clock.set(new Date('2023-06-01T08:00:00+02:00'));
    expect(await followedOf(NECKER)).toBe(approved);
    const allocation = await t.http().post('/api/v1/medicines/NULOJIX/allocations/2023-06/compute').set(bearer(agency)).send({});
    expect(allocation.status).toBeLessThan(300);
    const necker = (allocation.body.centres as { finess: string; followedPatients: number; slots: number }[]).find((c) => c.finess === NECKER);
    expect(necker?.followedPatients).toBe(approved);
    expect(necker?.slots ?? 0).toBeLessThan(5);
    const [audit] = await audits('establishment.followed-patients.proposed');
    expect(JSON.parse(audit!.after)).toMatchObject({ declared: 1_000_000, status: 'proposed', approvedCount: approved, rule: 'OUTSIDE_TOLERANCE' });
  });

  it('lists the pending declaration for the agency only', async () => {
    const list = await t.http().get('/api/v1/followed-patient-declarations').set(bearer(agency));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ finess: NECKER, period: '2023-06', count: 1_000_000, approvedCount: approved })]);
    expect((await t.http().get('/api/v1/followed-patient-declarations').set(bearer(pui))).status).toBe(403);
  });

  it('lets the agency approve it with a corrected count, audited with both numbers', async () => {
    expect((await t.http().post(`/api/v1/establishments/${NECKER}/followed-patients/2023-06/approve`).set(bearer(pui)).send({})).status).toBe(403);
    const res = await t.http().post(`/api/v1/establishments/${NECKER}/followed-patients/2023-06/approve`).set(bearer(agency)).send({ count: approved + 500 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ finess: NECKER, period: '2023-06', status: 'approved', count: 1_000_000, approvedCount: approved + 500 });
    expect(await followedOf(NECKER)).toBe(approved + 500);
    const [audit] = await audits('establishment.followed-patients.approved');
    expect(JSON.parse(audit!.before)).toMatchObject({ declared: 1_000_000, approvedCount: approved });
    expect(JSON.parse(audit!.after)).toEqual({ approvedCount: approved + 500, corrected: true });
    expect((await t.http().get('/api/v1/followed-patient-declarations').set(bearer(agency))).body.items).toEqual([]);
    const again = await t.http().post(`/api/v1/establishments/${NECKER}/followed-patients/2023-06/approve`).set(bearer(agency)).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('NO_PENDING_DECLARATION');
  });

  it('applies a declaration within ±10 % of the last approved count at once', async () => {
    const base = approved + 500;
    const within = Math.floor(base * 1.1);
    const res = await t.http().put(`/api/v1/establishments/${NECKER}/followed-patients/2023-07`).set(bearer(pui)).send({ count: within });
    expect(res.body).toEqual({ finess: NECKER, period: '2023-07', status: 'approved', count: within, approvedCount: within });
    const [audit] = await audits('establishment.followed-patients.set');
    expect(JSON.parse(audit!.after)).toMatchObject({ declared: within, status: 'approved', rule: 'WITHIN_TOLERANCE' });
  });

  it('lets the agency reject a declaration: the approved count stays', async () => {
    const lyon = await t.token(`pui-${LYON}`);
    const before = await followedOf(LYON);
    const proposed = await t.http().put(`/api/v1/establishments/${LYON}/followed-patients/2023-08`).set(bearer(lyon)).send({ count: before * 3 });
    expect(proposed.body.status).toBe('proposed');
    const res = await t.http().post(`/api/v1/establishments/${LYON}/followed-patients/2023-08/reject`).set(bearer(agency)).send({ reason: 'no evidence' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', count: before * 3, approvedCount: before });
    t.clock.set(new Date('2023-08-02T08:00:00+02:00'));
    expect(await followedOf(LYON)).toBe(before);
    const [audit] = await audits('establishment.followed-patients.rejected');
    expect(JSON.parse(audit!.after)).toEqual({ approvedCount: before, reason: 'no evidence' });
  });

  it('approves the agency\'s own count at once', async () => {
    const res = await t.http().put(`/api/v1/establishments/${LYON}/followed-patients/2023-09`).set(bearer(agency)).send({ count: 5 });
    expect(res.body).toEqual({ finess: LYON, period: '2023-09', status: 'approved', count: 5, approvedCount: 5 });
  });

  it('shows the agency its pending declarations on a page, in French, and decides them from it', async () => {
    const lyon = await t.token(`pui-${LYON}`);
    await t.http().put(`/api/v1/establishments/${LYON}/followed-patients/2023-10`).set(bearer(lyon)).send({ count: 99_999 });
    const address = t.app.getHttpServer().address() as { address: string; port: number };
    const host = `${address.address}:${address.port}`;
    const cookie = `${SESSION_COOKIE}=${agency}`;
    const page = await t.http().get('/agence/effectifs-suivis').set('Cookie', cookie).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Déclarations d’effectifs suivis en attente');
    expect(page.text).toContain(LYON);
    expect(page.text).toContain('99');
    expect((await t.http().get('/agence/effectifs-suivis').set('Cookie', `${SESSION_COOKIE}=${pui}`).set('Accept', 'text/html')).status).toBe(403);
    const decided = await t.http().post(`/agence/effectifs-suivis/${LYON}/2023-10`).set('Cookie', cookie).set('Host', host).set('Origin', `http://${host}`).type('form').send({ decision: 'approve', count: '1234' });
    expect(decided.status).toBe(200);
    expect(decided.text).toContain('approuvé');
    expect(decided.text).toContain('Aucune déclaration en attente.');
    t.clock.set(new Date('2023-10-02T08:00:00+02:00'));
    expect(await followedOf(LYON)).toBe(1234);
  });
});
