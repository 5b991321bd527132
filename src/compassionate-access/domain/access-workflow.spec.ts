import fc from 'fast-check';
import {
  isAuthorisationValid,
  newAccessRequest,
  statusAtCutoff,
  transitionAccessRequest,
  type AccessAction,
  type AccessRequestState,
  type WorkflowScheme,
} from './access-workflow';

const plain: WorkflowScheme = { requiresMeeting: false, authorisationValidityDays: 365 };
const withMeeting: WorkflowScheme = { requiresMeeting: true, authorisationValidityDays: 365 };
const eligible = newAccessRequest('2025-01-10', 'eligible', [{ criterion: 'a', result: 'met', message: 'A.', missing: [] }]);

function run(state: AccessRequestState, scheme: WorkflowScheme, ...actions: AccessAction[]): AccessRequestState | string {
  let s = state;
  for (const a of actions) {
    const r = transitionAccessRequest(s, a, scheme);
    if (!r.ok) return r.error.code;
    s = r.value;
  }
  return s;
}
const statusOf = (s: AccessRequestState | string): string => (typeof s === 'string' ? s : s.status);

const countersign: AccessAction = { type: 'countersign', on: '2025-01-11', comment: 'ok' };
const authorise: AccessAction = { type: 'decide', on: '2025-01-15', decision: 'authorise', reason: '' };

describe('access request workflow (SPEC §9)', () => {
  it('goes submitted → countersigned → authorised where no meeting is required, valid 365 days', () => {
    const s = run(eligible, plain, countersign, authorise);
    expect(statusOf(run(eligible, plain, countersign))).toBe('countersigned');
    expect(typeof s === 'string' ? s : s.authorisation).toEqual({ from: '2025-01-15', until: '2026-01-14', renewals: 0 });
  });

  it('puts a meeting scheme request in meeting_review at countersignature and authorises only after approval', () => {
    expect(statusOf(run(eligible, withMeeting, countersign))).toBe('meeting_review');
    expect(run(eligible, withMeeting, countersign, authorise)).toBe('ACCESS_REQUEST_AWAITING_MEETING');
    const approved = run(eligible, withMeeting, countersign, { type: 'meeting', on: '2025-01-12', decision: 'approve', rationale: 'agreed' }, authorise);
    expect(statusOf(approved)).toBe('authorised');
  });

  it('refuses the request with the meeting rationale when the meeting rejects it', () => {
    const s = run(eligible, withMeeting, countersign, { type: 'meeting', on: '2025-01-12', decision: 'reject', rationale: 'no SOD1 variant' });
    expect(typeof s === 'string' ? s : [s.status, s.decision]).toEqual([
      'refused',
      { on: '2025-01-12', decision: 'refuse', reason: 'no SOD1 variant', by: 'meeting' },
    ]);
  });

  it('answers 409 codes for out-of-order steps', () => {
    expect(run(eligible, plain, countersign, countersign)).toBe('ACCESS_REQUEST_NOT_COUNTERSIGNABLE');
    expect(run(eligible, plain, authorise)).toBe('ACCESS_REQUEST_NOT_COUNTERSIGNED');
    expect(run(eligible, plain, countersign, { type: 'meeting', on: '2025-01-12', decision: 'approve', rationale: '' })).toBe('ACCESS_REQUEST_NOT_IN_MEETING_REVIEW');
    const meet: AccessAction = { type: 'meeting', on: '2025-01-12', decision: 'approve', rationale: 'ok' };
    expect(run(eligible, withMeeting, countersign, meet, meet)).toBe('ACCESS_REQUEST_MEETING_ALREADY_DECIDED');
    expect(run(eligible, plain, countersign, authorise, authorise)).toBe('ACCESS_REQUEST_ALREADY_DECIDED');
  });

  it('never authorises a request that is not eligible, naming the criteria', () => {
    const incomplete = newAccessRequest('2025-01-10', 'incomplete', [
      { criterion: 'weight_at_least_40_kg', result: 'unknown', message: '', missing: ['weightKg'] },
    ]);
    const r = transitionAccessRequest(run(incomplete, plain, countersign) as AccessRequestState, authorise, plain);
    expect(r).toEqual({ ok: false, error: { code: 'ACCESS_REQUEST_NOT_ELIGIBLE', params: { verdict: 'incomplete', criteria: ['weight_at_least_40_kg'], results: ['unknown'] } } });
  });

  it('needs a reason to refuse or exclude, and excludes from any undecided state after countersignature', () => {
    expect(run(eligible, plain, countersign, { type: 'decide', on: '2025-01-12', decision: 'refuse', reason: ' ' })).toBe('ACCESS_DECISION_REASON_REQUIRED');
    expect(statusOf(run(eligible, withMeeting, countersign, { type: 'decide', on: '2025-01-12', decision: 'exclude', reason: 'authorised before the protocol' }))).toBe('excluded');
  });

  it('refuses an action dated before the submission', () => {
    expect(run(eligible, plain, { type: 'countersign', on: '2025-01-09', comment: '' })).toBe('ACCESS_ACTION_BEFORE_SUBMISSION');
  });

  it('renews a valid authorisation from its end, and refuses renewal once expired or not authorised', () => {
    const renewed = run(eligible, plain, countersign, authorise, { type: 'renew', on: '2026-01-14' });
    expect(typeof renewed === 'string' ? renewed : renewed.authorisation).toEqual({ from: '2025-01-15', until: '2027-01-14', renewals: 1 });
    expect(run(eligible, plain, countersign, authorise, { type: 'renew', on: '2026-01-15' })).toBe('AUTHORISATION_EXPIRED');
    expect(run(eligible, plain, countersign, { type: 'renew', on: '2025-02-01' })).toBe('AUTHORISATION_NOT_RENEWABLE');
  });

  it('tells whether an authorisation covers a date, both ends included', () => {
    const s = run(eligible, plain, countersign, authorise) as AccessRequestState;
    expect([isAuthorisationValid(s, '2025-01-14'), isAuthorisationValid(s, '2025-01-15'), isAuthorisationValid(s, '2026-01-14'), isAuthorisationValid(s, '2026-01-15')]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('counts a request decided after the cut-off as pending', () => {
    const s = run(eligible, plain, countersign, authorise) as AccessRequestState;
    expect([statusAtCutoff(s, '2025-01-14'), statusAtCutoff(s, '2025-01-15')]).toEqual(['pending', 'accepted']);
  });

  it('never leaves a final status, whatever actions follow', () => {
    const actionArb: fc.Arbitrary<AccessAction> = fc.oneof(
      fc.constant(countersign),
      fc.constantFrom<AccessAction>(
        { type: 'meeting', on: '2025-01-12', decision: 'approve', rationale: 'r' },
        { type: 'meeting', on: '2025-01-12', decision: 'reject', rationale: 'r' },
        { type: 'decide', on: '2025-01-15', decision: 'authorise', reason: '' },
        { type: 'decide', on: '2025-01-15', decision: 'refuse', reason: 'r' },
        { type: 'decide', on: '2025-01-15', decision: 'exclude', reason: 'r' },
      ),
    );
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 8 }), fc.boolean(), (actions, meeting) => {
        const scheme = meeting ? withMeeting : plain;
        let s = eligible;
        let final: string | null = null;
        for (const a of actions) {
          const r = transitionAccessRequest(s, a, scheme);
          if (r.ok) s = r.value;
          if (final !== null) expect(s.status).toBe(final);
          if (['authorised', 'refused', 'excluded'].includes(s.status)) final = s.status;
        }
      }),
    );
  });
});
