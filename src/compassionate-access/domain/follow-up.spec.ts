import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addMonths, checkNewForm, dueForms, firstExposureOn, isExposed, overdueForms, type ReceivedForm } from './follow-up';

const form = (over: Partial<ReceivedForm>): ReceivedForm => ({ kind: 'follow-up', due: 'M3', date: '2025-04-20', administered: true, reason: null, ...over });

describe('follow-up forms (SPEC §9)', () => {
  it('schedules the initiation form at authorisation then M3, M6, … strictly before the cut-off', () => {
    expect(dueForms('2025-01-15', '2025-10-15')).toEqual([
      { form: 'initiation', dueOn: '2025-01-15' },
      { form: 'M3', dueOn: '2025-04-15' },
      { form: 'M6', dueOn: '2025-07-15' },
    ]);
    expect(dueForms('2025-01-15', '2025-10-16').map((f) => f.form)).toEqual(['initiation', 'M3', 'M6', 'M9']);
    expect(dueForms('2025-01-15', '2025-01-15')).toEqual([]);
  });

  it('clamps month ends: authorised on 30 Nov, M3 is due on 28 Feb', () => {
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(dueForms('2024-11-30', '2025-06-01').map((f) => f.dueOn)).toEqual(['2024-11-30', '2025-02-28', '2025-05-30']);
  });

  it('adds months as the calendar does (same as luxon), leap years and month ends included', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-12-15', 3)).toBe('2024-03-15');
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 240 }), (d, months) => {
        const date = d.toISOString().slice(0, 10);
        expect(addMonths(date, months)).toBe(DateTime.fromISO(date, { zone: 'utc' }).plus({ months }).toFormat('yyyy-MM-dd'));
      }),
    );
  });

  it('expects no scheduled form after the stop date', () => {
    expect(dueForms('2025-01-15', '2026-01-01', { stoppedOn: '2025-07-15' }).map((f) => f.form)).toEqual(['initiation', 'M3', 'M6']);
  });

  it('reports nothing due after the end of an authorisation that was not renewed', () => {
    const received = [form({ kind: 'initiation', due: null, date: '2025-01-15' })];
    expect(overdueForms('2025-01-15', received, '2026-06-01').map((f) => f.form)).toEqual(['M3', 'M6', 'M9', 'M12', 'M15']);
    expect(overdueForms('2025-01-15', received, '2026-06-01', { endsOn: '2026-01-14' }).map((f) => f.form)).toEqual(['M3', 'M6', 'M9']);
  });

  it('reports a form overdue only after the 30-day grace period, with the days past it', () => {
    const received = [form({ kind: 'initiation', due: null, date: '2025-01-15' })];
    expect(overdueForms('2025-01-15', received, '2025-05-15')).toEqual([]); // M3 due 04-15, grace ends 05-15
    expect(overdueForms('2025-01-15', received, '2025-05-18')).toEqual([{ form: 'M3', dueOn: '2025-04-15', daysOverdue: 3 }]);
    expect(overdueForms('2025-01-15', [...received, form({})], '2025-05-18')).toEqual([]);
    expect(overdueForms('2025-01-15', [], '2025-02-20', { graceDays: 7 })).toEqual([{ form: 'initiation', dueOn: '2025-01-15', daysOverdue: 29 }]);
  });

  it('counts a patient exposed once a received form confirms administration', () => {
    expect(isExposed([form({ administered: false })])).toBe(false);
    const forms = [form({ administered: false, date: '2025-01-15' }), form({ date: '2025-04-20' }), form({ date: '2025-02-01', due: 'M6' })];
    expect(isExposed(forms)).toBe(true);
    expect(firstExposureOn(forms)).toBe('2025-02-01');
  });

  it('accepts a stop form at any time with its reason, and nothing after it', () => {
    const stop = form({ kind: 'stop', due: null, date: '2025-02-03', reason: 'death', administered: false });
    expect(checkNewForm(stop, '2025-01-15', []).ok).toBe(true);
    expect(checkNewForm({ ...stop, reason: null }, '2025-01-15', [])).toMatchObject({ ok: false, error: { code: 'STOP_REASON_REQUIRED' } });
    expect(checkNewForm(form({}), '2025-01-15', [stop])).toMatchObject({ ok: false, error: { code: 'FORM_AFTER_STOP' } });
  });

  it('refuses unknown due labels, duplicates and forms dated before the authorisation', () => {
    expect(checkNewForm(form({ due: 'M4' }), '2025-01-15', [])).toMatchObject({ ok: false, error: { code: 'FORM_DUE_INVALID' } });
    expect(checkNewForm(form({ due: 'M0' }), '2025-01-15', [])).toMatchObject({ ok: false, error: { code: 'FORM_DUE_INVALID' } });
    expect(checkNewForm(form({}), '2025-01-15', [form({})])).toMatchObject({ ok: false, error: { code: 'FORM_ALREADY_RECEIVED' } });
    expect(checkNewForm(form({ date: '2025-01-14' }), '2025-01-15', [])).toMatchObject({ ok: false, error: { code: 'FORM_DATE_BEFORE_AUTHORISATION' } });
    expect(checkNewForm(form({ kind: 'initiation', due: 'whatever' }), '2025-01-15', [])).toEqual({
      ok: true,
      value: form({ kind: 'initiation', due: 'initiation' }),
    });
  });

  it('schedules due dates in increasing order, all before the cut-off, one every 3 months', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2020, 0, 1) + n * 86400000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, c) => {
        const forms = dueForms(a, c);
        forms.forEach((f, i) => {
          expect(f.dueOn < c).toBe(true);
          expect(f.form).toBe(i === 0 ? 'initiation' : `M${3 * i}`);
          if (i > 0) expect(f.dueOn > (forms[i - 1]?.dueOn ?? '')).toBe(true);
        });
        expect(forms.length === 0).toBe(a >= c);
      }),
    );
  });
});
