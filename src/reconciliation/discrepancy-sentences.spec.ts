import fc from 'fast-check';
import { render, renderStored } from '../common/messages/catalogue';
import { ReconcileInput, reconcile } from './domain/reconcile';

const A = '130786049';
const B = '690781810';
const P1 = 'P-AAAAAAAAA2';
const P2 = 'P-BBBBBBBBB2';
const P3 = 'P-CCCCCCCCC3';

/** One period where every kind of discrepancy shows up. */
const everyKind: ReconcileInput = {
  period: '2024-03',
  orderTolerancePct: 10,
  expectedEstablishments: ['750712184'],
  recaps: [
    { establishment: A, patients: [{ patient: P1, administrations: 1, vials: 2 }, { patient: P3, administrations: 2, vials: 5 }] },
    { establishment: B, patients: [{ patient: P1, administrations: 1, vials: 3 }] },
  ],
  treatments: [
    { patient: P1, establishment: A, startDate: '2023-01-10', stopDate: null, transfers: [] },
    { patient: P2, establishment: A, startDate: '2023-06-01', stopDate: null, transfers: [] },
    { patient: P3, establishment: A, startDate: '2022-01-01', stopDate: '2024-02-10', transfers: [] },
  ],
  orders: [
    { establishment: A, status: 'confirmed', quantityVials: 40, needVials: 9, lines: [{ patient: P3, vials: 4 }] },
    { establishment: '750712184', status: 'submitted', quantityVials: 1_500, needVials: 1_200, lines: [] },
  ],
};

describe('discrepancy sentences from their figures (issue 17)', () => {
  const found = reconcile(everyKind);

  it('renders, in English, the very sentence the reconciliation states, for every kind', () => {
    expect(new Set(found.map((d) => d.kind)).size).toBe(7);
    for (const d of found) expect(renderStored(`discrepancy.${d.kind}`, { ...d.params, period: everyKind.period }, 'en')).toBe(d.detail);
  });

  it('renders each kind in French with its figures, French dates, months and numbers', () => {
    const fr = new Map(found.map((d) => [`${d.kind} ${d.establishment}`, renderStored(`discrepancy.${d.kind}`, { ...d.params, period: everyKind.period }, 'fr')]));
    expect(fr.get(`UNDECLARED_PATIENT ${B}`)).toBe(
      `${P1} figure dans le récapitulatif de mars 2024 (1 administration, 3 flacons) mais aucun traitement de ce patient n’est déclaré ici sur la période : son traitement est déclaré dans l’établissement ${A}.`,
    );
    expect(fr.get(`DUPLICATE_ACROSS_ESTABLISHMENTS ${A}`)).toBe(
      `${P1} figure dans les récapitulatifs de mars 2024 de 2 établissements (${A} : 2 flacons, ${B} : 3 flacons) sans transfert déclaré qui place son traitement dans chacun d’eux sur la période.`,
    );
    expect(fr.get(`MISSING_FROM_RECAP ${A}`)).toBe(
      `${P2} est déclaré en traitement ici depuis le 01/06/2023 sans arrêt ni transfert avant la fin de mars 2024, mais ne figure pas dans le récapitulatif de mars 2024 (2 patients listés).`,
    );
    expect(fr.get(`ORDER_EXCEEDS_NEED ${A}`)).toBe('1 commande pour mars 2024, 40 flacons au total, au-delà des 7 flacons du récapitulatif plus la tolérance de 10 % (au plus 7 flacons).');
    expect(fr.get('ORDER_EXCEEDS_NEED 750712184')).toBe(
      '1 commande pour mars 2024, 1\u202f500 flacons au total, au-delà des 1\u202f200 flacons de leur besoin calculé plus la tolérance de 10 % (au plus 1\u202f320 flacons).',
    );
    expect(fr.get('ORDER_WITHOUT_RECAP 750712184')).toBe('1 commande pour mars 2024, 1\u202f500 flacons au total, mais aucun récapitulatif n’a été reçu pour la période.');
    expect(fr.get(`STOPPED_BUT_ORDERED ${A}`)).toBe(
      `Le traitement de ${P3} a été arrêté le 10/02/2024 (dans l’établissement ${A}), avant mars 2024, et pourtant il figure dans le récapitulatif de mars 2024 (5 flacons) et dans les commandes de mars 2024 (4 flacons).`,
    );
    expect(fr.get('RECAP_MISSING 750712184')).toBe('Aucun récapitulatif de mars 2024 n’a été reçu alors que cet établissement doit en envoyer un.');
    expect(render('discrepancy.RECAP_MISSING', { period: '2024-03', running: 1 }, 'fr')).toBe(
      'Aucun récapitulatif de mars 2024 n’a été reçu alors que 1 patient est déclaré en traitement ici à la fin de la période.',
    );
  });

  it('never carries a NIR in its figures: patients are pseudonyms', () => {
    for (const d of found) expect(JSON.stringify(d.params)).not.toMatch(/\d{13}/);
  });

  it('keeps the English sentence equal to the reconciliation\'s for any count (plurals, thousands)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 50 }), (vials, orders) => {
        expect(render('discrepancy.ORDER_WITHOUT_RECAP', { period: '2024-03', orders, vials }, 'en')).toBe(
          `${orders.toLocaleString('en-GB')} order${orders === 1 ? '' : 's'} for 2024-03 total ${vials.toLocaleString('en-GB')} vial${vials === 1 ? '' : 's'}, but no recap was received for the period.`,
        );
      }),
    );
  });
});
