import { stretchesOf } from './treatment-stretches';

const base = { patient: 'P-AAAAAAAAAA', startDate: '2023-10-05', weightKg: 80 };

describe('stretchesOf', () => {
  it('keeps a treatment never transferred as one stretch ending at its stop', () => {
    expect(stretchesOf({ ...base, establishment: 'A', stopDate: '2023-11-08', stopReason: 'death', transfers: [] })).toEqual([
      { ...base, establishment: 'A', activeFrom: null, stopDate: '2023-11-08', stopReason: 'death' },
    ]);
  });
  it('ends the stretch left on the transfer date and opens the next on it, day 1 unchanged', () => {
    const stretches = stretchesOf({ ...base, establishment: 'C', stopDate: null, stopReason: null, transfers: [{ date: '2023-11-10', from: 'A', to: 'B' }, { date: '2023-11-20', from: 'B', to: 'C' }] });
    expect(stretches).toEqual([
      { ...base, establishment: 'A', activeFrom: null, stopDate: '2023-11-10', stopReason: 'transfer' },
      { ...base, establishment: 'B', activeFrom: '2023-11-10', stopDate: '2023-11-20', stopReason: 'transfer' },
      { ...base, establishment: 'C', activeFrom: '2023-11-20', stopDate: null, stopReason: null },
    ]);
  });
});
