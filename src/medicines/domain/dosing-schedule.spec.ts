import fc from 'fast-check';
import { addPeriods, periodOfDate } from '../../common/domain/period';
import {
  BELATACEPT_SCHEDULE_5,
  BELATACEPT_SCHEDULE_6,
  BELUMOSUDIL_SCHEDULE,
  DosingSchedule,
  TOFERSEN_SCHEDULE,
  administrationsInPeriod,
  doseMg,
  maintenanceDoseChangesFrom,
  scheduleDays,
  validateDosingSchedule,
  vialsForDose,
  vialsNeeded,
} from './dosing-schedule';

const dates = (schedule: DosingSchedule, period: string, extra: { weightKg?: number; stopDate?: string; activeFrom?: string } = {}): string[] =>
  administrationsInPeriod({ schedule, startDate: '2023-03-20', weightKg: extra.weightKg ?? 70, period, ...extra }).map((a) => a.date);

describe('vials per administration (SPEC §6: ceil(dose / unit), single-use vial)', () => {
  it('takes 3 vials of 250 mg for 10 mg/kg at 70 kg (700 mg)', () => {
    expect(doseMg({ doseMgPerKg: 10 }, 70)).toBe(700);
    expect(vialsForDose(700, 250)).toBe(3);
  });
  it('takes 2 vials for 5 mg/kg at 70 kg (350 mg) and for 6 mg/kg at 70 kg (420 mg)', () => {
    expect(vialsForDose(doseMg({ doseMgPerKg: 5 }, 70), 250)).toBe(2);
    expect(vialsForDose(doseMg({ doseMgPerKg: 6 }, 70), 250)).toBe(2);
  });
  it('takes 3 vials for 6 mg/kg at 90 kg (540 mg)', () => {
    expect(doseMg({ doseMgPerKg: 6 }, 90)).toBe(540);
    expect(vialsForDose(540, 250)).toBe(3);
  });
  it('takes exactly dose / unit vials when the dose is a whole number of vials', () => {
    expect(vialsForDose(750, 250)).toBe(3);
    expect(vialsForDose(0.3, 0.1)).toBe(3); // 0.3 / 0.1 = 2.9999999999999996 in floating point
    expect(vialsForDose(250.5, 250)).toBe(2);
  });
  it('ignores the weight for a fixed dose', () => {
    expect(doseMg({ doseMg: 100 }, 0)).toBe(100);
  });
  it('never gives fewer vials than the dose needs, and wastes less than one vial', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 1_000 }), (dose, unit) => {
        const vials = vialsForDose(dose, unit);
        expect(vials * unit).toBeGreaterThanOrEqual(dose);
        expect(vials * unit - dose).toBeLessThan(unit);
      }),
    );
  });
  it('covers per-kg doses at decimal weights', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 300, max: 2_000 }), (mgPerKg, weightTenths) => {
        const dose = doseMg({ doseMgPerKg: mgPerKg }, weightTenths / 10);
        const vials = vialsForDose(dose, 250);
        expect(vials * 250).toBeGreaterThanOrEqual(dose - 1e-6);
        expect(vials * 250 - dose).toBeLessThan(250);
      }),
    );
  });
});

describe('administrations in a period (SPEC §6: day N is N − 1 days after day 1)', () => {
  // Start 2023-03-20 = day 1. Day 5 = +4 = 03-24. Day 14 = +13: 03-31 is +11, so 04-02.
  // Day 28 = 04-02 + 14 = 04-16. Day 56 = 04-16 + 28 = 05-14. Day 84 = 05-14 + 28 = 06-11.
  // Day 112 = 06-11 + 28 = 07-09, then 08-06, 09-03, 10-01, 10-29, 11-26, 12-24, 2024-01-21.
  it('puts days 1 and 5 in March and days 14 and 28 in April for a start on 2023-03-20', () => {
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-02')).toEqual([]);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-03')).toEqual(['2023-03-20', '2023-03-24']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-04')).toEqual(['2023-04-02', '2023-04-16']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-05')).toEqual(['2023-05-14']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-06')).toEqual(['2023-06-11']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-07')).toEqual(['2023-07-09']);
  });
  it('counts two maintenance doses in a month whose first day is a dose day (October 2023: 10-01 and 10-29)', () => {
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-10')).toEqual(['2023-10-01', '2023-10-29']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2024-01')).toEqual(['2024-01-21']);
  });
  it('gives day, dose and vials of each administration, and the need as their sum (70 kg)', () => {
    const april = administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_5, startDate: '2023-03-20', weightKg: 70, period: '2023-04' });
    expect(april).toEqual([
      { date: '2023-04-02', day: 14, doseMg: 700, vials: 3 },
      { date: '2023-04-16', day: 28, doseMg: 700, vials: 3 },
    ]);
    expect(vialsNeeded(april)).toBe(6);
    const july = administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_5, startDate: '2023-03-20', weightKg: 70, period: '2023-07' });
    expect(july).toEqual([{ date: '2023-07-09', day: 112, doseMg: 350, vials: 2 }]);
  });
  it('excludes an administration on the stop date itself and everything after', () => {
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-04', { stopDate: '2023-04-16' })).toEqual(['2023-04-02']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-04', { stopDate: '2023-04-17' })).toEqual(['2023-04-02', '2023-04-16']);
    expect(dates(BELATACEPT_SCHEDULE_6, '2023-05', { stopDate: '2023-04-17' })).toEqual([]);
  });
  it('counts a transfer date for the receiving establishment only (activeFrom inclusive, stopDate exclusive)', () => {
    const left = dates(BELATACEPT_SCHEDULE_6, '2023-04', { stopDate: '2023-04-16' });
    const received = dates(BELATACEPT_SCHEDULE_6, '2023-04', { activeFrom: '2023-04-16' });
    expect(received).toEqual(['2023-04-16']);
    expect([...left, ...received]).toEqual(dates(BELATACEPT_SCHEDULE_6, '2023-04'));
  });
  it('switches the maintenance dose from 5 to 6 mg/kg at a policy date (90 kg: 450 mg → 2 vials, then 540 mg → 3 vials)', () => {
    const input = { schedule: BELATACEPT_SCHEDULE_5, startDate: '2023-03-20', weightKg: 90, maintenanceDoseChanges: [{ from: '2023-08-01', doseMgPerKg: 6 }] };
    expect(administrationsInPeriod({ ...input, period: '2023-07' })).toEqual([{ date: '2023-07-09', day: 112, doseMg: 450, vials: 2 }]);
    expect(administrationsInPeriod({ ...input, period: '2023-08' })).toEqual([{ date: '2023-08-06', day: 140, doseMg: 540, vials: 3 }]);
  });
  it('never changes the induction dose with a maintenance change', () => {
    const april = administrationsInPeriod({
      schedule: BELATACEPT_SCHEDULE_5, startDate: '2023-03-20', weightKg: 70, period: '2023-04', maintenanceDoseChanges: [{ from: '2022-08-01', doseMgPerKg: 6 }],
    });
    expect(april.map((a) => a.doseMg)).toEqual([700, 700]);
  });
  it('reads the maintenance changes off successive policy versions', () => {
    expect(
      maintenanceDoseChangesFrom([
        { effectiveFrom: '2022-08-01', schedule: BELATACEPT_SCHEDULE_6 },
        { effectiveFrom: '2017-01-01', schedule: BELATACEPT_SCHEDULE_5 },
        { effectiveFrom: '2023-02-14', schedule: null },
      ]),
    ).toEqual([
      { from: '2017-01-01', doseMgPerKg: 5 },
      { from: '2022-08-01', doseMgPerKg: 6 },
    ]);
  });
  it('gives belumosudil one 200 mg tablet a day (12 tablets from 03-20 to 03-31, 30 in April)', () => {
    const march = administrationsInPeriod({ schedule: BELUMOSUDIL_SCHEDULE, startDate: '2023-03-20', weightKg: 60, period: '2023-03' });
    expect(march).toHaveLength(12);
    expect(vialsNeeded(march)).toBe(12);
    expect(vialsNeeded(administrationsInPeriod({ schedule: BELUMOSUDIL_SCHEDULE, startDate: '2023-03-20', weightKg: 60, period: '2023-04' }))).toBe(30);
  });
  it('gives tofersen days 1, 15, 29 then every 28 days (start 2023-01-01: 01-01, 01-15, 01-29, 02-26, 03-26)', () => {
    const at = (period: string): string[] =>
      administrationsInPeriod({ schedule: TOFERSEN_SCHEDULE, startDate: '2023-01-01', weightKg: 80, period }).map((a) => `${a.date}:${a.vials}`);
    expect(at('2023-01')).toEqual(['2023-01-01:1', '2023-01-15:1', '2023-01-29:1']);
    expect(at('2023-02')).toEqual(['2023-02-26:1']);
    expect(at('2023-03')).toEqual(['2023-03-26:1']);
  });
  it('crosses a leap day and a year end', () => {
    // 2024-02-28 = day 1; day 5 = 03-03 (2024-02-29 exists); day 14 = 03-12.
    expect(administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_6, startDate: '2024-02-28', weightKg: 70, period: '2024-03' }).map((a) => a.date)).toEqual([
      '2024-03-03', '2024-03-12', '2024-03-26',
    ]);
    // 2023-12-30 = day 1; day 5 = 2024-01-03.
    expect(administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_6, startDate: '2023-12-30', weightKg: 70, period: '2024-01' }).map((a) => a.day)).toEqual([5, 14, 28]);
  });
  it('throws on a malformed input that the caller should have validated', () => {
    expect(() => administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_6, startDate: '2023-02-30', weightKg: 70, period: '2023-03' })).toThrow(RangeError);
    expect(() => administrationsInPeriod({ schedule: BELATACEPT_SCHEDULE_6, startDate: '2023-03-01', weightKg: 0, period: '2023-03' })).toThrow(RangeError);
  });

  const arbStart = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const arbSchedule = fc.constantFrom(BELATACEPT_SCHEDULE_5, BELATACEPT_SCHEDULE_6, BELUMOSUDIL_SCHEDULE, TOFERSEN_SCHEDULE);

  it('puts every administration inside the period and the active window, sorted, each with at most one vial of waste', () => {
    fc.assert(
      fc.property(arbSchedule, arbStart, fc.integer({ min: -2, max: 30 }), fc.integer({ min: 30, max: 150 }), (schedule, startDate, offset, weightKg) => {
        const period = addPeriods(periodOfDate(startDate), offset);
        const list = administrationsInPeriod({ schedule, startDate, weightKg, period });
        for (const a of list) {
          expect(periodOfDate(a.date)).toBe(period);
          expect(a.date >= startDate).toBe(true);
          expect(a.vials * schedule.unitMg).toBeGreaterThanOrEqual(a.doseMg - 1e-6);
          expect(a.vials * schedule.unitMg - a.doseMg).toBeLessThan(schedule.unitMg);
        }
        const sorted = [...list].sort((a, b) => a.day - b.day);
        expect(list).toEqual(sorted);
        expect(new Set(list.map((a) => a.day)).size).toBe(list.length);
      }),
    );
  });
  it('loses and double counts nothing across period boundaries: the periods together give the whole sequence', () => {
    fc.assert(
      fc.property(arbSchedule, arbStart, fc.integer({ min: 1, max: 24 }), (schedule, startDate, months) => {
        const first = periodOfDate(startDate);
        const union: number[] = [];
        for (let i = 0; i < months; i++) union.push(...administrationsInPeriod({ schedule, startDate, weightKg: 70, period: addPeriods(first, i) }).map((a) => a.day));
        const last = addPeriods(first, months - 1);
        const lastDate = administrationsInPeriod({ schedule, startDate, weightKg: 70, period: last }).at(-1);
        const lastDay = lastDate ? lastDate.day : union.at(-1) ?? 0;
        expect(union).toEqual(scheduleDays(schedule, lastDay));
      }),
    );
  });
  it('splits a period exactly at a stop date: before + from the date = the whole period', () => {
    fc.assert(
      fc.property(arbSchedule, arbStart, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 8 }), (schedule, startDate, cutAfterDays, offset) => {
        const cut = new Date(Date.parse(`${startDate}T00:00:00Z`) + cutAfterDays * 86_400_000).toISOString().slice(0, 10);
        const period = addPeriods(periodOfDate(startDate), offset);
        const base = { schedule, startDate, weightKg: 70, period };
        const before = administrationsInPeriod({ ...base, stopDate: cut });
        const after = administrationsInPeriod({ ...base, activeFrom: cut });
        expect([...before, ...after]).toEqual(administrationsInPeriod(base));
      }),
    );
  });
});

describe('published schedule validation (SPEC §6: a schedule is data)', () => {
  it('accepts the shipped schedules as JSON', () => {
    for (const s of [BELATACEPT_SCHEDULE_5, BELATACEPT_SCHEDULE_6, BELUMOSUDIL_SCHEDULE, TOFERSEN_SCHEDULE]) {
      expect(validateDosingSchedule(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true, value: s });
    }
  });
  it('names every bad field with its path', () => {
    const result = validateDosingSchedule({
      administrations: [{ day: 1, doseMgPerKg: 10 }, { day: 1, doseMg: -5 }, { day: 3, doseMg: 5, doseMgPerKg: 1 }, { day: 0.5, doseMg: 10, extra: true }],
      maintenance: { fromDay: 2, everyDays: 0, doseMgPerKg: 5 },
      unitMg: 0,
      colour: 'blue',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual(
      expect.arrayContaining([
        { field: 'schedule.colour', reason: 'unknown field' },
        { field: 'schedule.unitMg', reason: 'must be a positive number (mg in one unit)' },
        { field: 'schedule.administrations[1].doseMg', reason: 'must be a positive number' },
        { field: 'schedule.administrations[1].day', reason: 'must be after day 1 of the previous administration' },
        { field: 'schedule.administrations[2].doseMg', reason: 'give doseMgPerKg or doseMg, not both' },
        { field: 'schedule.administrations[3].extra', reason: 'unknown field' },
        { field: 'schedule.administrations[3].day', reason: 'must be an integer from 1 to 36500' },
        { field: 'schedule.maintenance.everyDays', reason: 'must be an integer from 1 to 366' },
        { field: 'schedule.maintenance.fromDay', reason: 'must be after the last administration (day 3)' },
      ]),
    );
  });
  it('refuses a schedule with no administration and no maintenance, and a non-object', () => {
    expect(validateDosingSchedule({ administrations: [], unitMg: 250 }, '')).toEqual({
      ok: false,
      error: [{ field: 'administrations', reason: 'a schedule needs at least one administration or a maintenance' }],
    });
    expect(validateDosingSchedule('weekly').ok).toBe(false);
    expect(validateDosingSchedule({ administrations: [{ day: 1 }], unitMg: 250 })).toEqual({
      ok: false,
      error: [{ field: 'schedule.administrations[0].doseMgPerKg', reason: 'a dose is required: doseMgPerKg or doseMg' }],
    });
  });
  it('never accepts what it cannot schedule (random JSON)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const result = validateDosingSchedule(json);
        if (result.ok) expect(() => administrationsInPeriod({ schedule: result.value, startDate: '2023-01-01', weightKg: 70, period: '2023-02' })).not.toThrow();
      }),
    );
  });
});
