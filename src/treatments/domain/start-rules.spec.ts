import { StartPolicy, requestRequiredRefusal, requestRequirement } from './start-rules';

const capped: StartPolicy = {
  version: 4,
  effectiveFrom: '2023-05-09',
  mode: 'capped',
  indications: [
    { code: 'rescue', kind: 'urgent' },
    { code: 'chronic-dysfunction-cni', kind: 'quota' },
    { code: 'kidney-transplant', kind: 'open' },
  ],
};

describe('requestRequirement', () => {
  it('needs a request for an urgent indication in capped mode', () => {
    expect(requestRequirement(capped, 'rescue')).toEqual({ required: true, kind: 'urgent' });
  });
  it('needs a request for a quota indication', () => {
    expect(requestRequirement(capped, 'chronic-dysfunction-cni')).toEqual({ required: true, kind: 'quota' });
  });
  it('lets an open indication start directly whatever the mode', () => {
    expect(requestRequirement(capped, 'kidney-transplant')).toEqual({ required: false, kind: 'open' });
    expect(requestRequirement({ ...capped, mode: 'freed-stock' }, 'kidney-transplant').required).toBe(false);
  });
  it('lets every indication start directly in unrestricted mode, even an urgent one', () => {
    expect(requestRequirement({ ...capped, mode: 'unrestricted' }, 'rescue')).toEqual({ required: false, kind: 'urgent' });
    expect(requestRequirement({ ...capped, mode: 'unrestricted' }, 'tma-cni')).toEqual({ required: false, kind: null });
  });
  it('needs a request for an indication the restricted version does not enable', () => {
    expect(requestRequirement(capped, 'tma-cni')).toEqual({ required: true, kind: null });
  });
});

describe('requestRequiredRefusal', () => {
  it('names the policy version and the indication kind', () => {
    const refusal = requestRequiredRefusal(capped, 'rescue', 'urgent');
    expect(refusal.code).toBe('REQUEST_REQUIRED');
    expect(refusal.message).toContain('policy version 4');
    expect(refusal.message).toContain('rescue (urgent)');
    expect(refusal.errors).toEqual([{ field: 'request', reason: 'is required for an urgent indication under policy version 4' }]);
  });
  it('says an indication is not enabled rather than asking for a request', () => {
    expect(requestRequiredRefusal(capped, 'tma-cni', null)).toMatchObject({ code: 'INDICATION_NOT_ENABLED', errors: [{ field: 'indication' }] });
  });
});
