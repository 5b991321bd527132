import { EXPLANATIONS } from '../../supply/domain/projection-explanation';
import { en, fr } from '../i18n/messages';
import { supplyCapView } from './supply-cap';

const sustainable = { medicine: 'NULOJIX', sustainableMonthlyInitiations: 40, stockOutPeriod: null, supplyVersion: 3, at: '2023-05-01', horizon: 12 };
const versions = [
  { version: 1, effectiveFrom: '2017-01-01', monthlyCap: null },
  { version: 2, effectiveFrom: '2022-08-01', monthlyCap: 50 },
  { version: 3, effectiveFrom: '2023-03-01', monthlyCap: 40 },
  { version: 4, effectiveFrom: '2023-09-01', monthlyCap: 60 },
];

describe('supplyCapView (the policy form beside monthlyCap)', () => {
  it('warns for each cap in force or to come that exceeds what the stock sustains, not for past versions', () => {
    expect(supplyCapView(sustainable, versions, 3).exceeded).toEqual([{ version: 4, monthlyCap: 60 }]);
    expect(supplyCapView(sustainable, versions, 2).exceeded).toEqual([{ version: 2, monthlyCap: 50 }, { version: 4, monthlyCap: 60 }]);
  });

  it('warns of nothing without a declaration', () => {
    expect(supplyCapView(null, versions, 2)).toEqual({ sustainable: null, exceeded: [] });
  });
});

describe('the projection sentences', () => {
  it('are the same on the pages as in the API, in both languages', () => {
    for (const code of Object.keys(EXPLANATIONS.fr) as (keyof typeof EXPLANATIONS.fr)[]) {
      expect(fr[`supply.explanation.${code}`]).toBe(EXPLANATIONS.fr[code]);
      expect(en[`supply.explanation.${code}`]).toBe(EXPLANATIONS.en[code]);
    }
  });
});
