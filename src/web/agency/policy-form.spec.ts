import { mapPolicyErrors, policyDraftOf, policyFormDefaults } from './policy-form';

describe('policy publish form', () => {
  const codes = ['tma-cni', 'rescue', 'chronic'];

  it('turns the fields into the API body: chosen kinds enable indications, empty numbers are left out', () => {
    const { draft, enabled } = policyDraftOf(
      { effectiveFrom: '2024-06-01', mode: 'capped', monthlyCap: '50', quotaPool: '', kind_rescue: 'urgent', kind_chronic: 'quota', 'kind_tma-cni': '', votesRequired: '2', deadlineHours: '', redistribute: 'on' },
      codes,
    );
    expect(enabled).toEqual(['rescue', 'chronic']);
    expect(draft).toEqual({
      effectiveFrom: '2024-06-01',
      mode: 'capped',
      monthlyCap: 50,
      indications: [{ code: 'rescue', kind: 'urgent' }, { code: 'chronic', kind: 'quota' }],
      redistribute: true,
      registrationRequired: false,
      orderJustificationRequired: false,
      committee: { votesRequired: 2 },
    });
  });

  it('keeps a non-number as NaN so the validator names the field', () => {
    expect(Number.isNaN(policyDraftOf({ monthlyCap: 'douze' }, codes).draft.monthlyCap)).toBe(true);
  });

  it("puts the API's field names back on the form's fields", () => {
    expect(mapPolicyErrors([{ field: 'indications[1].code', reason: 'x' }, { field: 'committee.deadlineHours', reason: 'y' }, { field: 'quotaPool', reason: 'z' }], ['rescue', 'chronic'])).toEqual([
      { field: 'kind_chronic', reason: 'x' },
      { field: 'deadlineHours', reason: 'y' },
      { field: 'quotaPool', reason: 'z' },
    ]);
  });

  it('starts the next version from the latest one, with no date', () => {
    const values = policyFormDefaults(
      { version: 4, effectiveFrom: '2023-05-09', mode: 'capped', monthlyCap: 50, quotaPool: 20, indications: [{ code: 'chronic', kind: 'quota' }], unusedQuota: 'lapse', redistribute: false, committee: { votesRequired: 1, deadlineHours: 48 }, startWithinDays: 30, orderTolerancePct: 10, registrationRequired: true, orderJustificationRequired: false, schedule: null, notes: null, publishedAt: '' },
      codes,
    );
    expect(values).toMatchObject({ effectiveFrom: '', mode: 'capped', monthlyCap: '50', quotaPool: '20', kind_chronic: 'quota', kind_rescue: '', orderTolerancePct: '10' });
    expect(values.redistribute).toBeUndefined();
    expect(values.registrationRequired).toBe('on');
    expect(values.orderJustificationRequired).toBeUndefined();
  });
});
