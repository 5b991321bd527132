import fc from 'fast-check';
import { Result } from '../../common/domain/result';
import { TreatmentState, startTreatment, stopTreatment, transferTreatment } from './treatment-state';
import { TREATMENT_ERROR_STATUS, treatmentRefusalToError } from './treatments.errors';

const TODAY = '2023-06-15';
const active: TreatmentState = {
  status: 'active',
  establishment: '750100018',
  startDate: '2023-03-20',
  establishmentSince: '2023-03-20',
  weightKg: 70,
  stopDate: null,
  stopReason: null,
};

const codeOf = (r: Result<unknown, { code: string }>): string | null => (r.ok ? null : r.error.code);

describe('treatment declarations (SPEC §5)', () => {
  it('starts an active treatment at the declaring establishment', () => {
    expect(startTreatment({ establishment: '750100018', startDate: '2023-03-20', weightKg: 70 }, TODAY)).toEqual({ ok: true, value: active });
  });
  it('refuses an initiation dated after today or with an impossible weight', () => {
    expect(codeOf(startTreatment({ establishment: 'x', startDate: '2023-06-16', weightKg: 70 }, TODAY))).toBe('TREATMENT_DATE_IN_FUTURE');
    expect(codeOf(startTreatment({ establishment: 'x', startDate: '2023-02-30', weightKg: 70 }, TODAY))).toBe('TREATMENT_DATE_INVALID');
    expect(codeOf(startTreatment({ establishment: 'x', startDate: '2023-06-01', weightKg: 0 }, TODAY))).toBe('TREATMENT_WEIGHT_INVALID');
  });
  it('stops an active treatment with its date and reason', () => {
    const r = stopTreatment(active, { date: '2023-05-02', reason: 'adverse_event' }, TODAY);
    expect(r).toEqual({ ok: true, value: { ...active, status: 'stopped', stopDate: '2023-05-02', stopReason: 'adverse_event' } });
  });
  it('allows a stop on the start date itself', () => {
    expect(stopTreatment(active, { date: '2023-03-20', reason: 'death' }, TODAY).ok).toBe(true);
  });
  it('refuses a stop before the start, naming both dates', () => {
    const r = stopTreatment(active, { date: '2023-03-19', reason: 'death' }, TODAY);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'STOP_BEFORE_START',
        params: { date: '2023-03-19', startDate: '2023-03-20' },
        errors: [{ field: 'date', reason: 'must be on or after 2023-03-20' }],
      },
    });
    expect(TREATMENT_ERROR_STATUS.STOP_BEFORE_START).toBe(422);
  });
  it('refuses to stop a stopped treatment with a 409', () => {
    const stopped = stopTreatment(active, { date: '2023-05-02', reason: 'progression' }, TODAY);
    if (!stopped.ok) throw new Error('setup');
    const again = stopTreatment(stopped.value, { date: '2023-05-03', reason: 'progression' }, TODAY);
    expect(codeOf(again)).toBe('TREATMENT_NOT_ACTIVE');
    if (!again.ok) expect(treatmentRefusalToError(again.error).status).toBe(409);
  });
  it('refuses an unknown stop reason and a stop after today', () => {
    expect(codeOf(stopTreatment(active, { date: '2023-05-02', reason: 'bored' }, TODAY))).toBe('STOP_REASON_INVALID');
    expect(codeOf(stopTreatment(active, { date: '2023-06-16', reason: 'other' }, TODAY))).toBe('TREATMENT_DATE_IN_FUTURE');
  });
  it('moves the treatment on a transfer and keeps it active', () => {
    const r = transferTreatment(active, { date: '2023-05-10', toEstablishment: '690000880' }, TODAY);
    expect(r).toEqual({
      ok: true,
      value: {
        treatment: { ...active, establishment: '690000880', establishmentSince: '2023-05-10' },
        transfer: { date: '2023-05-10', fromEstablishment: '750100018', toEstablishment: '690000880' },
      },
    });
  });
  it('refuses a transfer to the same establishment, before the start, or of a stopped treatment', () => {
    expect(codeOf(transferTreatment(active, { date: '2023-05-10', toEstablishment: '750100018' }, TODAY))).toBe('TRANSFER_TO_SAME_ESTABLISHMENT');
    expect(codeOf(transferTreatment(active, { date: '2023-03-01', toEstablishment: '690000880' }, TODAY))).toBe('TRANSFER_BEFORE_START');
    const stopped: TreatmentState = { ...active, status: 'stopped', stopDate: '2023-04-01', stopReason: 'death' };
    expect(codeOf(transferTreatment(stopped, { date: '2023-05-10', toEstablishment: '690000880' }, TODAY))).toBe('TREATMENT_NOT_ACTIVE');
  });
  it('refuses a stop or a second transfer dated before the previous transfer', () => {
    const moved = transferTreatment(active, { date: '2023-05-10', toEstablishment: '690000880' }, TODAY);
    if (!moved.ok) throw new Error('setup');
    expect(codeOf(stopTreatment(moved.value.treatment, { date: '2023-05-09', reason: 'other' }, TODAY))).toBe('STOP_BEFORE_TRANSFER');
    expect(codeOf(transferTreatment(moved.value.treatment, { date: '2023-05-09', toEstablishment: '750100018' }, TODAY))).toBe('TRANSFER_BEFORE_START');
  });
  it('never produces a stop before the start or a change to a stopped treatment (any dates)', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, fc.constantFrom('progression', 'death', 'transfer'), (start, stop, reason) => {
        const t = { ...active, startDate: start, establishmentSince: start };
        const r = stopTreatment(t, { date: stop, reason }, '2024-12-31');
        expect(r.ok).toBe(stop >= start);
        if (r.ok) expect(stopTreatment(r.value, { date: stop, reason }, '2024-12-31').ok).toBe(false);
      }),
    );
  });
});
