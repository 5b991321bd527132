import fc from 'fast-check';
import { NOTIFICATION_CODES, NotificationCode, NotificationEvent, accessEvent, reconciliationEvents, requestEvent } from '../../common/domain/notification-events';
import { Candidate, codesFor, deliveryKeyOf, effectiveMode, eventKeyOf, isLocked, linkOf, looksLikeNir, messageIdOf, recipientsOf, retryDelayMs, scrubParams } from './notification-rules';
import { render } from './notification-texts';
import { formsComingDue, grantExpiry, isDeadlineNear } from './reminders';

const NECKER = '759900012';
const TENON = '759900020';
const users: Candidate[] = [
  { id: 'c1', role: 'committee', establishment: NECKER },
  { id: 'c2', role: 'committee', establishment: TENON },
  { id: 'p1', role: 'prescriber', establishment: TENON },
  { id: 'p2', role: 'prescriber', establishment: TENON },
  { id: 'p3', role: 'prescriber', establishment: NECKER },
  { id: 'ph1', role: 'pharmacist', establishment: TENON },
  { id: 'ph2', role: 'pharmacist', establishment: NECKER },
  { id: 'lab', role: 'lab', establishment: null },
  { id: 'agency', role: 'agency', establishment: null },
];
const ids = (event: NotificationEvent) => recipientsOf(event, users).map((u) => u.id);
const request = { id: 'r1', medicine: 'NULOJIX', indication: 'tma-cni', patient: 'P-ABCDEFGH23', establishment: TENON, requestedBy: 'p1', status: 'pending_review', reasonCode: 'PENDING_COMMITTEE_REVIEW', deadline: '2023-05-17T08:00:00.000Z', period: '2023-05' };

describe('who is told (issue 19, scoped as SPEC §1)', () => {
  it('tells the committee members of other establishments of an urgent request, never those of its own', () => {
    expect(ids(requestEvent('URGENT_REQUEST_SUBMITTED', request))).toEqual(['c1']);
  });

  it('tells the prescriber who asked and the pharmacists of the establishment of a decision, no other prescriber', () => {
    expect(ids(requestEvent('REQUEST_DECIDED', { ...request, status: 'granted' }))).toEqual(['p1', 'ph1']);
  });

  it('tells the lab of a flagged order and the pharmacists of the establishment of the lab’s decision', () => {
    expect(ids({ code: 'ORDER_FLAGGED', subject: 'o1', establishment: TENON, params: {} })).toEqual(['lab']);
    expect(ids({ code: 'ORDER_DECIDED', subject: 'o1', establishment: TENON, params: {} })).toEqual(['ph1']);
  });

  it('tells the agency of an urgent request approved without capacity', () => {
    expect(ids(requestEvent('URGENT_APPROVED_WITHOUT_CAPACITY', { ...request, status: 'waitlisted' }))).toEqual(['agency']);
  });

  it('tells the lab of a reconciliation, and each establishment of its own discrepancies', () => {
    const events = reconciliationEvents('NULOJIX', '2023-04', [{ establishment: TENON }, { establishment: TENON }, { establishment: NECKER }, { establishment: null }]);
    expect(events.map((e) => [e.establishment, e.params.count, ids(e)])).toEqual([[null, 4, ['lab']], [NECKER, 1, ['ph2']], [TENON, 2, ['ph1']]]);
    expect(reconciliationEvents('NULOJIX', '2023-04', [])).toEqual([]);
  });

  it('finds an access request’s prescriber by username', () => {
    const named = [...users, { id: 'h1', username: 'haematologist-x', role: 'prescriber', establishment: TENON }];
    const event = accessEvent('ACCESS_FORM_OVERDUE', { id: 'a1', medicineCode: 'REZUROCK', patient: 'P-ABCDEFGH23', establishment: TENON, prescriber: 'haematologist-x', status: 'authorised' }, { form: 'M3', dueOn: '2024-01-10' });
    expect(recipientsOf(event, named).map((u) => u.id)).toEqual(['h1', 'ph1']);
    expect(event.subject).toBe('a1:authorised:M3');
  });

  it('never tells an establishment-bound user of another establishment, nor anyone twice, whatever the users (property)', () => {
    const candidate = fc.record({ id: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'), role: fc.constantFrom('committee', 'prescriber', 'pharmacist', 'lab', 'agency'), establishment: fc.constantFrom(NECKER, TENON, null) });
    fc.assert(fc.property(fc.array(candidate, { maxLength: 12 }), fc.constantFrom(...NOTIFICATION_CODES), fc.constantFrom(NECKER, TENON, null), (pool, code, finess) => {
      const chosen = recipientsOf({ code, subject: 's', establishment: finess, userId: 'u1', params: {} }, pool);
      expect(new Set(chosen.map((u) => u.id)).size).toBe(chosen.length);
      for (const u of chosen) {
        if (u.role === 'pharmacist' || u.role === 'prescriber') expect(u.establishment).toBe(finess);
        if (u.role === 'committee') expect(u.establishment).not.toBe(finess);
      }
    }));
  });
});

describe('preferences', () => {
  it('keeps the committee’s urgent requests on even when switched off', () => {
    expect(isLocked('URGENT_REQUEST_SUBMITTED', 'committee')).toBe(true);
    expect(effectiveMode('URGENT_REQUEST_SUBMITTED', 'committee', 'off')).toBe('immediate');
    expect(effectiveMode('URGENT_DEADLINE_NEAR', 'committee', 'digest')).toBe('digest');
    expect(effectiveMode('ACCESS_MEETING_NEEDED', 'committee', 'off')).toBe('off');
    expect(effectiveMode('REQUEST_DECIDED', 'prescriber', undefined)).toBe('immediate');
  });

  it('lists for each role the kinds it receives', () => {
    expect(codesFor('lab').sort()).toEqual(['ORDER_FLAGGED', 'RECONCILIATION_DISCREPANCIES']);
    expect(codesFor('agency')).toEqual(['URGENT_APPROVED_WITHOUT_CAPACITY', 'POLICY_CAP_ABOVE_SUSTAINABLE']);
    expect(codesFor('committee')).toEqual(['URGENT_REQUEST_SUBMITTED', 'URGENT_DEADLINE_NEAR', 'ACCESS_MEETING_NEEDED']);
  });
});

describe('keys, Message-IDs and retries', () => {
  it('makes one key per event and recipient, and the same Message-ID for the same key', () => {
    const key = deliveryKeyOf(eventKeyOf({ code: 'REQUEST_DECIDED', subject: 'r1:granted' }), 'p1');
    expect(key).toBe('REQUEST_DECIDED:r1:granted|p1|email');
    expect(messageIdOf(key, 'contingent.example.org')).toBe(messageIdOf(key, 'contingent.example.org'));
    expect(messageIdOf(key, 'contingent.example.org')).not.toBe(messageIdOf(deliveryKeyOf('REQUEST_DECIDED:r1:granted', 'ph1'), 'contingent.example.org'));
    expect(messageIdOf(key, 'x.org')).toMatch(/^<[0-9a-f]{40}@x\.org>$/);
  });

  it('doubles the retry delay, up to six hours', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 1_000))).toEqual([1_000, 2_000, 4_000]);
    expect(retryDelayMs(40)).toBe(6 * 3600_000);
    expect(() => retryDelayMs(0)).toThrow(RangeError);
  });
});

describe('texts (French by default, no patient identifier)', () => {
  it('says a decision in French with the pseudonym and the status in words', () => {
    expect(render('REQUEST_DECIDED', { medicine: 'NULOJIX', patient: 'P-ABCDEFGH23', status: 'waitlisted', reason: 'URGENT_NO_CAPACITY' })).toEqual({
      subject: "Demande d'initiation de NULOJIX : mise en file d'attente",
      body: "La demande d'initiation de NULOJIX pour le patient P-ABCDEFGH23 est mise en file d'attente.",
    });
    expect(render('REQUEST_DECIDED', { medicine: 'NULOJIX', patient: 'P-ABCDEFGH23', status: 'granted', reason: 'GRANTED_URGENT' }, 'en').subject).toBe('NULOJIX initiation request: granted');
  });

  it('writes instants in Paris time and dates in words', () => {
    expect(render('URGENT_DEADLINE_NEAR', { medicine: 'NULOJIX', patient: 'P-ABCDEFGH23', deadline: '2023-05-17T08:00:00.000Z' }).body).toContain('avant le 17 mai 2023 à 10:00');
    expect(render('GRANT_EXPIRING', { medicine: 'NULOJIX', patient: 'P-ABCDEFGH23', expiresOn: '2023-06-14' }).body).toContain('expire le 14 juin 2023');
  });

  it('blanks any param that could be a NIR, so no text ever carries one (property)', () => {
    expect(looksLikeNir('1 72 08 69 300001 47')).toBe(true);
    expect(looksLikeNir('172086930000147')).toBe(true);
    expect(looksLikeNir('P-ABCDEFGH23 2023-05-17T08:00:00.000Z 759900020')).toBe(false);
    const digits = fc.array(fc.constantFrom(...'0123456789'), { minLength: 13, maxLength: 15 }).map((d) => d.join(''));
    fc.assert(fc.property(fc.constantFrom(...NOTIFICATION_CODES), digits, fc.constantFrom<'fr' | 'en'>('fr', 'en'), (code: NotificationCode, nir, lang) => {
      const params = scrubParams({ medicine: 'NULOJIX', patient: nir, indication: `x ${nir}`, form: 'M3', period: '2023-05', count: 2 });
      const text = render(code, params, lang);
      expect(`${text.subject} ${text.body}`).not.toContain(nir);
    }));
  });

  it('links each kind to the page where the action is', () => {
    expect(linkOf('URGENT_REQUEST_SUBMITTED', {})).toBe('/comite');
    expect(linkOf('ORDER_FLAGGED', {})).toBe('/laboratoire/commandes');
    expect(linkOf('RECONCILIATION_DISCREPANCIES', { establishment: TENON })).toBe('/etablissement/ecarts');
    expect(linkOf('RECONCILIATION_DISCREPANCIES', { establishment: null })).toBe('/laboratoire/rapprochement');
    expect(linkOf('ACCESS_COUNTERSIGN_NEEDED', { requestId: 'a1' })).toBe('/api/v1/access-requests/a1');
  });
});

describe('reminders', () => {
  const now = new Date('2023-05-16T20:00:00.000Z');
  it('recalls a deadline within the next 12 hours, not one past or farther', () => {
    expect(isDeadlineNear('2023-05-17T08:00:00.000Z', now)).toBe(true);
    expect(isDeadlineNear('2023-05-17T08:00:00.001Z', now)).toBe(false);
    expect(isDeadlineNear('2023-05-16T19:59:59.000Z', now)).toBe(false);
    expect(isDeadlineNear(null, now)).toBe(false);
  });

  it('warns of a grant in the three days before its last day to start', () => {
    expect(grantExpiry('2023-05-01', 30, '2023-05-27')).toEqual({ lastDay: '2023-05-31', warn: false });
    expect(grantExpiry('2023-05-01', 30, '2023-05-28')).toEqual({ lastDay: '2023-05-31', warn: true });
    expect(grantExpiry('2023-05-01', 30, '2023-05-31')).toEqual({ lastDay: '2023-05-31', warn: true });
    expect(grantExpiry('2023-05-01', 30, '2023-06-01')).toEqual({ lastDay: '2023-05-31', warn: false });
  });

  it('recalls the follow-up forms due within the week, not those received, nor any after a stop', () => {
    expect(formsComingDue('2024-01-10', [], '2024-04-05')).toEqual([{ form: 'M3', dueOn: '2024-04-10' }]);
    expect(formsComingDue('2024-01-10', [], '2024-04-02')).toEqual([]);
    expect(formsComingDue('2024-01-10', [{ kind: 'follow-up', due: 'M3', date: '2024-04-04', administered: true, reason: null }], '2024-04-05')).toEqual([]);
    expect(formsComingDue('2024-01-10', [{ kind: 'stop', due: null, date: '2024-03-01', administered: false, reason: 'progression' }], '2024-04-05')).toEqual([]);
    expect(formsComingDue('2024-01-10', [], '2024-01-10')).toEqual([{ form: 'initiation', dueOn: '2024-01-10' }]);
  });
});
