import fc from 'fast-check';
import { capacityLeft, nationalCapacity, roomLeft, unusedFreedCapacity } from './capacity';

describe('national capacity of a period (SPEC §4 rule 2)', () => {
  it('has no limit in unrestricted mode (null)', () => {
    expect(nationalCapacity({ mode: 'unrestricted' })).toBeNull();
    expect(capacityLeft(null, 1_000)).toBeNull();
  });

  it('is the monthly cap in capped mode', () => {
    expect(nationalCapacity({ mode: 'capped', monthlyCap: 50 })).toBe(50);
  });

  it('is stops + lab extras + unused freed capacity of earlier periods in freed-stock mode', () => {
    expect(nationalCapacity({ mode: 'freed-stock', freedByStops: 7, extraDeclared: 10, carriedFreed: 3 })).toBe(20);
  });

  it('carries unused freed capacity only in freed-stock mode', () => {
    expect(unusedFreedCapacity('freed-stock', 20, 12)).toBe(8);
    expect(unusedFreedCapacity('capped', 50, 12)).toBe(0);
    expect(unusedFreedCapacity('unrestricted', null, 12)).toBe(0);
  });

  it('throws when capped mode has no cap (a broken policy)', () => {
    expect(() => nationalCapacity({ mode: 'capped' })).toThrow(/monthlyCap/);
  });
});

describe('urgent before quota (SPEC §4 rule 3)', () => {
  it('lets urgent grants use the quota pool not yet granted', () => {
    expect(roomLeft(50, 20, { urgentGranted: 40, quotaGranted: 5 })).toEqual({ urgent: 5, quota: 5 });
  });

  it('bounds quota grants by the pool even with national capacity left', () => {
    expect(roomLeft(50, 20, { urgentGranted: 0, quotaGranted: 20 })).toEqual({ urgent: 30, quota: 0 });
  });

  it('property: quota room never exceeds the pool left nor the national room', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (cap, pool, urgent, quota) => {
        const room = roomLeft(cap, pool, { urgentGranted: urgent, quotaGranted: quota });
        expect(room.quota).not.toBeNull();
        expect(room.quota!).toBeLessThanOrEqual(Math.max(0, pool - quota));
        expect(room.quota!).toBeLessThanOrEqual(room.urgent!);
        expect(room.urgent).toBe(Math.max(0, cap - urgent - quota));
      }),
    );
  });
});
