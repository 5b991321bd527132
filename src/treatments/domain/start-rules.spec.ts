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
  it('needs a request for any start while initiations are registered on the platform, and none once that ends', () => {
    // Nulojix, 2 October 2023: "le dispositif mis en place … avec l'enregistrement des demandes d'initiations sur une plate-forme … est maintenu"
    const lifted: StartPolicy = { ...capped, version: 5, mode: 'unrestricted', registrationRequired: true };
    expect(requestRequirement(lifted, 'kidney-transplant')).toEqual({ required: true, kind: 'open' });
    expect(requestRequiredRefusal(lifted, 'kidney-transplant', 'open').errors).toEqual([{ field: 'request', reason: 'is required: initiations are registered under policy version 5' }]);
    // 11 January 2024: "il est mis fin : À l'enregistrement des initiations de traitement sur une plate-forme dédiée"
    expect(requestRequirement({ ...lifted, version: 6, registrationRequired: false }, 'kidney-transplant')).toEqual({ required: false, kind: 'open' });
  });
  it('needs a request for an indication the restricted version does not enable', () => {
    expect(requestRequirement(capped, 'tma-cni')).toEqual({ required: true, kind: null });
  });
});

describe('requestRequiredRefusal', () => {
  it('names the policy version and the indication kind', () => {
    const refusal = requestRequiredRefusal(capped, 'rescue', 'urgent');
    expect(refusal.code).toBe('REQUEST_REQUIRED');
    expect(refusal.params).toMatchObject({ policyVersion: 4, indication: 'rescue', kind: 'urgent', registration: false });
    expect(refusal.errors).toEqual([{ field: 'request', reason: 'is required for an urgent indication under policy version 4' }]);
  });
  it('says an indication is not enabled rather than asking for a request', () => {
    expect(requestRequiredRefusal(capped, 'tma-cni', null)).toMatchObject({ code: 'INDICATION_NOT_ENABLED', errors: [{ field: 'indication' }] });
  });
});
