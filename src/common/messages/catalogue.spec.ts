import fc from 'fast-check';
import { MESSAGES, render, renderStored } from './catalogue';
import { MessageFormatter, langFromAcceptLanguage } from './formatter';
import { distinctReasons, fieldLabel, reasonInFrench } from './problems';

describe('message catalogue (issue 17)', () => {
  it('renders a decision reason in French with French numbers and month names', () => {
    expect(render('GRANTED_QUOTA', { period: '2026-12', used: 1, slots: 3 }, 'fr')).toBe('accordée : place 1 sur 3 du quota du centre pour décembre 2026');
    expect(render('GRANTED_QUOTA', { period: '2026-12', used: 1, slots: 3 }, 'en')).toBe('granted: centre quota slot 1 of 3 for 2026-12');
  });

  it('gets plurals right in French and English ("1 vote nécessaire", "2 votes nécessaires")', () => {
    const deadline = '2026-12-03T08:30:00.000Z';
    expect(render('PENDING_COMMITTEE_REVIEW', { votesRequired: 1, deadline }, 'fr')).toBe('en attente du comité d’experts : 1 vote nécessaire avant le 03/12/2026 09:30');
    expect(render('PENDING_COMMITTEE_REVIEW', { votesRequired: 2, deadline }, 'fr')).toBe('en attente du comité d’experts : 2 votes nécessaires avant le 03/12/2026 09:30');
    expect(render('PENDING_COMMITTEE_REVIEW', { votesRequired: 1, deadline }, 'en')).toBe('awaiting the expert committee: 1 vote needed by 03/12/2026, 09:30');
  });

  it('shows instants in Paris time, never a UTC …Z, and dates as 05/12/2026', () => {
    const f = new MessageFormatter('fr');
    expect(f.instant('2026-07-01T22:15:00.000Z')).toBe('02/07/2026 00:15');
    expect(f.date('2026-12-05')).toBe('05/12/2026');
    expect(f.d(1.57)).toBe('1,57');
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (d) => !f.instant(d.toISOString()).includes('Z')));
  });

  it('says what happened to a stopped patient of an order, line numbers counted from 1, with the stop reason label', () => {
    const sentence = render('PATIENT_STOPPED', { line: 2, patient: 'P-ABC', stopDate: '2026-11-08', stopReason: 'adverse_event', period: '2026-12' }, 'fr', { stopReason: (c) => (c === 'adverse_event' ? 'effet indésirable' : c) });
    expect(sentence).toBe('ligne 2 : le traitement du patient P-ABC a été arrêté (effet indésirable) le 08/11/2026, avant décembre 2026 : 0 flacon');
  });

  it('renders stored codes and parameters, and refuses parameters that do not fit', () => {
    expect(renderStored('WITHDRAWN', { date: '2026-12-01' }, 'fr')).toBe('retirée le 01/12/2026');
    expect(renderStored('WITHDRAWN', null, 'fr')).toBeNull();
    expect(renderStored('NOT_A_CODE', {}, 'fr')).toBeNull();
    expect(renderStored('GRANTED_QUOTA', { period: '2026-12' }, 'fr')).toBeNull();
  });

  it('has a French and an English template for every code', () => {
    for (const def of Object.values(MESSAGES)) {
      expect(typeof def.fr).toBe('function');
      expect(typeof def.en).toBe('function');
    }
  });

  it('reads Accept-Language: English when absent or neither language is asked', () => {
    expect(langFromAcceptLanguage(undefined)).toBe('en');
    expect(langFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(langFromAcceptLanguage('de-DE, en;q=0.5, fr;q=0.7')).toBe('fr');
    expect(langFromAcceptLanguage('de')).toBe('en');
    expect(langFromAcceptLanguage('fr;q=0, en')).toBe('en');
  });
});

describe('field reasons in French', () => {
  it('translates the validators’ reasons and does not repeat them', () => {
    const reasons = ['must be at most 400', 'must be a positive number', 'must be a positive number'].map(reasonInFrench);
    expect(distinctReasons(reasons)).toEqual(['doit être au plus 400', 'doit être un nombre positif']);
    expect(reasonInFrench('must be a period YYYY-MM from 2026-12 to 2027-02')).toBe('doit être un mois de décembre 2026 à février 2027');
    expect(reasonInFrench('same patient as lines[0]')).toBe('même patient que la ligne 1');
  });

  it('names a field path by its label with 1-based line numbers', () => {
    expect(fieldLabel('lines[4].patient', 'fr')).toBe('ligne 5 — patient');
    expect(fieldLabel('weightKg', 'fr')).toBe('poids (kg)');
    expect(fieldLabel('lines[0].patient', 'en')).toBe('line 1 — patient');
  });
});

describe('field reasons of recaps and refusals in French (issue 17)', () => {
  it.each([
    ['has 2026-11-30, which is not in the period 2026-12', 'contient le 30/11/2026, hors de la période décembre 2026'],
    ['must be a whole number of 0 or more (got -2)', 'doit être un nombre entier supérieur ou égal à 0 (valeur -2)'],
    ['is required for an urgent indication under policy version 4', 'obligatoire pour une indication urgente sous la version 4 de la politique'],
    ['already ordered for 2026-12', 'déjà commandé pour décembre 2026'],
    ['is not a patient of this establishment', 'n’est pas un patient de cet établissement'],
    ['must be 2026-12 or earlier', 'doit être décembre 2026 ou avant'],
  ])('%s', (reason, french) => {
    expect(reasonInFrench(reason)).toBe(french);
  });
});
