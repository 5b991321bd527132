import { checkPolicyDraft, versionInForce } from './policy-rules';

const indications = ['pnf-cni', 'tma-cni', 'rescue', 'chronic-cni'];
const published = [
  { version: 1, effectiveFrom: '2017-01-01' },
  { version: 2, effectiveFrom: '2022-08-01' },
];

describe('publishing a policy version', () => {
  it('accepts a capped version after the latest one', () => {
    const r = checkPolicyDraft({ effectiveFrom: '2023-05-09', mode: 'capped', monthlyCap: 50, quotaPool: 20, indications: [{ code: 'pnf-cni', kind: 'urgent' }, { code: 'chronic-cni', kind: 'quota' }] }, indications, published, '2023-05-01');
    expect(r.ok).toBe(true);
  });
  it('refuses a version that takes effect on or before the latest one', () => {
    const r = checkPolicyDraft({ effectiveFrom: '2022-08-01', mode: 'unrestricted', indications: [] }, indications, published, '2022-01-01');
    expect(r).toMatchObject({ ok: false, error: { code: 'POLICY_EFFECTIVE_DATE_CONFLICT', errors: [{ field: 'effectiveFrom' }] } });
  });
  it('refuses a version in the past', () => {
    const r = checkPolicyDraft({ effectiveFrom: '2023-01-01', mode: 'unrestricted', indications: [] }, indications, published, '2023-02-01');
    expect(r).toMatchObject({ ok: false, error: { code: 'POLICY_EFFECTIVE_IN_PAST' } });
  });
  it('refuses capped mode without a cap, and a pool above the cap', () => {
    expect(checkPolicyDraft({ effectiveFrom: '2023-05-09', mode: 'capped', indications: [] }, indications, published, '2023-05-01')).toMatchObject({ ok: false, error: { code: 'POLICY_INVALID', errors: [{ field: 'monthlyCap' }] } });
    expect(checkPolicyDraft({ effectiveFrom: '2023-05-09', mode: 'capped', monthlyCap: 10, quotaPool: 20, indications: [{ code: 'chronic-cni', kind: 'quota' }] }, indications, published, '2023-05-01')).toMatchObject({ ok: false, error: { errors: [{ field: 'quotaPool' }] } });
  });
  it('refuses an indication the medicine does not have, naming its index', () => {
    const r = checkPolicyDraft({ effectiveFrom: '2023-05-09', mode: 'unrestricted', indications: [{ code: 'headache', kind: 'open' }] }, indications, published, '2023-05-01');
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_INDICATION', errors: [{ field: 'indications[0].code' }] } });
  });
  it('refuses an impossible date', () => {
    expect(checkPolicyDraft({ effectiveFrom: '2023-02-30', mode: 'unrestricted', indications: [] }, indications, published, '2023-01-01')).toMatchObject({ ok: false, error: { errors: [{ field: 'effectiveFrom' }] } });
  });
  it('finds the version in force on a date, including its first day', () => {
    expect(versionInForce(published, '2022-07-31')?.version).toBe(1);
    expect(versionInForce(published, '2022-08-01')?.version).toBe(2);
    expect(versionInForce(published, '2016-12-31')).toBeNull();
  });
});
