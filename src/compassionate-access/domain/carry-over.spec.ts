import { carriesOver, replacementInForce } from './carry-over';

const onc201 = { medicine: 'ONC201', replacedBy: 'DORDAVIPRONE', replacedFrom: '2026-04-01' };
const authorised = { status: 'authorised', authorisation: { from: '2025-06-01', until: '2026-05-31', renewals: 0 }, switchedTo: null, stoppedOn: null };

describe('replacement of a medicine (SPEC §9, ONC201 → dordaviprone)', () => {
  it('is in force from its date only', () => {
    expect(replacementInForce(onc201, '2026-03-31')).toMatchObject({ ok: false, error: { code: 'REPLACEMENT_NOT_IN_FORCE' } });
    expect(replacementInForce(onc201, '2026-04-01')).toEqual({ ok: true, value: { successor: 'DORDAVIPRONE', from: '2026-04-01' } });
    expect(replacementInForce({ medicine: 'REZUROCK', replacedBy: null, replacedFrom: null }, '2026-04-01').ok).toBe(false);
  });

  it('carries over a valid, unstopped, not yet switched authorisation only', () => {
    expect(carriesOver(authorised, '2026-04-01')).toBe(true);
    expect(carriesOver({ ...authorised, stoppedOn: '2026-01-10' }, '2026-04-01')).toBe(false);
    expect(carriesOver({ ...authorised, switchedTo: 'r2' }, '2026-04-01')).toBe(false);
    expect(carriesOver({ ...authorised, status: 'refused' }, '2026-04-01')).toBe(false);
    expect(carriesOver(authorised, '2026-06-01')).toBe(false);
  });
});
