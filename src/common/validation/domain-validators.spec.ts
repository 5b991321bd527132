import { validate } from 'class-validator';
import { withFinessKey } from '../domain/finess';
import { IsFiness, IsPeriod, PeriodPipe } from './domain-validators';

class Probe {
  @IsPeriod() period!: unknown;
  @IsFiness() finess!: unknown;
}

const check = async (period: unknown, finess: unknown) => {
  const probe = Object.assign(new Probe(), { period, finess });
  return (await validate(probe)).map((e) => e.property);
};

describe('IsPeriod / IsFiness', () => {
  it('accept a month and a FINESS with its key, Corsican 2A/2B included', async () => {
    expect(await check('2023-05', withFinessKey('75990001'))).toEqual([]);
    expect(await check('2023-12', withFinessKey('2A0000123'.slice(0, 8)))).toEqual([]);
    expect(await check('2023-01', withFinessKey('2B000012'))).toEqual([]);
  });
  it('refuse month 13, a missing zero, null, a wrong key', async () => {
    const key = Number(withFinessKey('75990001').slice(8));
    expect(await check('2023-13', `75990001${(key + 1) % 10}`)).toEqual(['period', 'finess']);
    expect(await check('2023-5', null)).toEqual(['period', 'finess']);
    expect(await check(null, 759900012)).toEqual(['period', 'finess']);
  });
  it('PeriodPipe gives the same 400 PERIOD_INVALID for any bad path period', () => {
    expect(new PeriodPipe().transform('2023-05')).toBe('2023-05');
    expect(() => new PeriodPipe().transform('2023-13')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID', status: 400 }));
  });
});
