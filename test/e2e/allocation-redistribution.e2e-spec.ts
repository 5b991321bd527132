import { JobRegistry } from '../../src/common/contracts/job-registry';
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

const GUADELOUPE = withFinessKey('97199001');
const M = 'NULOJIX';

interface CentreRow { finess: string; slots: number; used: number; creditAfter: number }

describe(`allocation: unused slots redistributed in the period's last days (${DB_KIND})`, () => {
  let t: TestApp;
  const as = async (user: string) => bearer(await t.token(user));

  async function allocation(period: string): Promise<{ quotaGranted: number; quotaPool: number; centres: CentreRow[] }> {
    const res = await t.http().get(`/api/v1/medicines/${M}/allocations/${period}`).set(await as('agency'));
    expect(res.status).toBe(200);
    return res.body;
  }

  async function submitAt(finess: string, n: number) {
    const patient = await t.http().post('/api/v1/patients').set(await as(`prescriber-${finess}`)).send({ nir: withNirKey(`1800597${String(200000 + n)}`), birthDate: '1980-05-01', sex: 'M', weightKg: 75 });
    expect(patient.status).toBe(201);
    return t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${finess}`)).send({ medicine: M, indication: 'chronic-dysfunction-cni', patient: patient.body.pseudonym, justification: 'Dysfonction chronique, toxicité des anticalcineurines.', weightKg: 75 });
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives a small centre with no slot of its own an unused slot of another centre, audited, only when the policy says redistribute', async () => {
    const published = await t.http().post(`/api/v1/medicines/${M}/policies`).set(await as('agency')).send({
      effectiveFrom: '2024-03-01', mode: 'capped', monthlyCap: 50, quotaPool: 20, unusedQuota: 'lapse', redistribute: true,
      indications: [{ code: 'early-dysfunction-cni', kind: 'urgent' }, { code: 'tma-cni', kind: 'urgent' }, { code: 'rescue', kind: 'urgent' }, { code: 'chronic-dysfunction-cni', kind: 'quota' }],
    });
    expect(published.status).toBe(201);
    t.clock.set(new Date('2024-03-05T10:00:00+01:00'));
    // Guadeloupe (300 followed patients of about 42,600) is entitled to about 0.14 slot: none this month.
    const first = await submitAt(GUADELOUPE, 1);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'waitlisted', reason: { code: 'CENTRE_QUOTA_EXHAUSTED' } });
    const before = await allocation('2024-03');
    const own = before.centres.find((c) => c.finess === GUADELOUPE)!;
    expect(own.slots).toBe(0);
    const unused = before.centres.filter((c) => c.slots > c.used);
    expect(unused.length).toBeGreaterThan(0);

    // Outside the last seven days nothing moves.
    const redistribute = t.app.get(JobRegistry).get('quota.redistribute')!;
    expect(await redistribute({ medicine: M })).toEqual([{ medicine: M, moved: 0, granted: [] }]);

    t.clock.set(new Date('2024-03-27T10:00:00+01:00'));
    const result = (await redistribute({ medicine: M })) as { medicine: string; moved: number; granted: string[] }[];
    expect(result).toEqual([{ medicine: M, moved: 1, granted: [first.body.id] }]);

    const request = await t.http().get(`/api/v1/initiation-requests/${first.body.id}`).set(await as(`prescriber-${GUADELOUPE}`));
    expect(request.body).toMatchObject({ status: 'granted', period: '2024-03' });
    const after = await allocation('2024-03');
    const giver = after.centres.find((c) => before.centres.find((b) => b.finess === c.finess)!.slots - c.slots === 1)!;
    expect(giver).toBeDefined();
    expect(after.centres.find((c) => c.finess === GUADELOUPE)).toMatchObject({ slots: 1, used: 1 });
    // Slots are only moved: the pool is the same, credits untouched, one more quota grant.
    expect(after.centres.reduce((s, c) => s + c.slots, 0)).toBe(before.centres.reduce((s, c) => s + c.slots, 0));
    expect(after.centres.map((c) => c.creditAfter)).toEqual(before.centres.map((c) => c.creditAfter));
    expect(after.quotaGranted).toBe(before.quotaGranted + 1);
    const audit = await t.http().get(`/api/v1/audit?action=allocation.slot-redistributed`).set(await as('agency'));
    expect(audit.body.items).toEqual([expect.objectContaining({ after: { from: giver.finess, to: GUADELOUPE, request: first.body.id } })]);

    // Run again: nothing left to move for that centre, nothing granted twice.
    const again = (await redistribute({ medicine: M })) as { moved: number }[];
    expect(again[0]!.moved).toBe(0);
  });
});
