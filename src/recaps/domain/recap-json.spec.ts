import { withNirKey } from '../../patients/domain/nir';
import { validateRecapJson } from './recap-json';
import { recapRefusalOf } from './recaps.errors';

const NIR_A = withNirKey('1850375123456');
const P1 = 'P-7KQ2M9XW4T';
const P2 = 'P-ABCDEFGH23';

describe('recap JSON (SPEC §11 recaps row)', () => {
  it('accepts { medicine, period, patients } with counts or dates of administrations', () => {
    const r = validateRecapJson(
      { medicine: 'NULOJIX', period: '2024-03', patients: [{ patient: NIR_A, administrations: 2, vials: 4 }, { patient: P1, administrations: ['2024-03-18', '2024-03-04'], vials: 2 }] },
      { expectedPeriod: '2024-03' },
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { line: 0, patient: NIR_A, patientKind: 'nir', administrations: 2, administrationDates: null, vials: 4 },
      { line: 1, patient: P1, patientKind: 'pseudonym', administrations: 2, administrationDates: ['2024-03-04', '2024-03-18'], vials: 2 },
    ]);
    expect(r).toMatchObject({ lines: 2, medicine: 'NULOJIX', period: '2024-03' });
    expect(recapRefusalOf(r)).toBeNull();
  });

  it('names every bad field like patients[1].vials and keeps no row', () => {
    const r = validateRecapJson({
      medicine: 'NULOJIX',
      period: '2024-3',
      patients: [{ patient: P1, administrations: 1, vials: 2 }, { patient: P2, administrations: -1, vials: 1.5 }, 'x', { patient: P1, administrations: 1, vials: 2 }],
    });
    expect(r.errors).toEqual([
      { field: 'period', reason: 'must be a period YYYY-MM (got "2024-3")' },
      { field: 'patients[1].administrations', reason: 'must be 0 or more (got -1)' },
      { field: 'patients[1].vials', reason: 'must be a whole number of 0 or more (got 1.5)' },
      { field: 'patients[2]', reason: 'must be an object { patient, administrations, vials }' },
      { field: 'patients[3].patient', reason: 'lists a patient already listed at patients[0]' },
    ]);
    expect(r.rows).toEqual([]);
    expect(recapRefusalOf(r)?.code).toBe('RECAP_INVALID');
  });

  it('refuses a body for another period than the URL, an empty list, and a non-object body', () => {
    const mismatch = validateRecapJson({ medicine: 'NULOJIX', period: '2024-02', patients: [{ patient: P1, administrations: 1, vials: 2 }] }, { expectedPeriod: '2024-03' });
    expect(mismatch.errors).toEqual([{ field: 'period', reason: 'is 2024-02 but the recap is for 2024-03' }]);
    expect(recapRefusalOf(mismatch)?.code).toBe('RECAP_PERIOD_MISMATCH');
    const empty = validateRecapJson({ medicine: 'NULOJIX', period: '2024-03', patients: [] });
    expect(recapRefusalOf(empty)?.code).toBe('RECAP_EMPTY');
    expect(validateRecapJson(null).errors).toEqual([{ field: 'body', reason: expect.any(String) }]);
  });

  it('refuses more patients than maxLines as too large', () => {
    const patients = [P1, P2].map((patient) => ({ patient, administrations: 1, vials: 1 }));
    const r = validateRecapJson({ medicine: 'NULOJIX', period: '2024-03', patients }, { maxLines: 1 });
    expect(r.tooLarge).toBe(true);
    expect(recapRefusalOf(r)).toMatchObject({ code: 'RECAP_TOO_LARGE', params: { limit: 1, unit: 'lines' } });
  });

  it('refuses administration dates outside the body period', () => {
    const r = validateRecapJson({ medicine: 'NULOJIX', period: '2024-03', patients: [{ patient: P1, administrations: ['2024-04-01'], vials: 1 }] });
    expect(r.errors).toEqual([{ field: 'patients[0].administrations', reason: 'has 2024-04-01, which is not in the period 2024-03' }]);
  });

  it('refuses unknown fields in the body and in each patient, as the rest of the API does', () => {
    const r = validateRecapJson({ medicine: 'NULOJIX', period: '2024-03', centre: 'x', patients: [{ patient: P1, administrations: 1, vials: 2, nir: 'x' }] });
    expect(r.errors).toEqual([
      { field: 'centre', reason: 'is not a known field' },
      { field: 'patients[0].nir', reason: 'is not a known field' },
    ]);
    expect(r.rows).toEqual([]);
    expect(recapRefusalOf(r)?.code).toBe('RECAP_INVALID');
  });
});
