import fc from 'fast-check';
import { SHIPPED_SCHEMES as ACCESS_SCHEMES } from '../shipped-schemes';
import { newAccessRequest, transitionAccessRequest } from './access-workflow';
import { validateClinicalForm, type ClinicalFormSpec, type FieldSpec } from './clinical-form';
import { checkEligibility, evaluateCriteria, validateCriteriaVersion } from './eligibility';

/** Any value a field of the form accepts (the validator's own domain), so the properties cover every scheme's form. */
function fieldArb(spec: FieldSpec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'integer':
      return fc.integer({ min: spec.min, max: Math.min(spec.max, spec.min + 120) });
    case 'positive':
      return fc.integer({ min: 1, max: Math.min(spec.max, 150) });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...spec.values);
    case 'text':
      return fc.string({ minLength: 1, maxLength: spec.maxLength }).filter((t) => t.trim() !== '');
    case 'tags':
      return fc.subarray(['corticosteroids', 'ruxolitinib', 'ibrutinib', 'ecp']);
    case 'list':
      return fc.uniqueArray(fc.record(Object.fromEntries(Object.entries(spec.item).map(([k, s]) => [k, fieldArb(s)]))), {
        maxLength: 8,
        selector: (item) => (spec.uniqueBy === undefined ? item : (item as Record<string, unknown>)[spec.uniqueBy]),
      });
  }
}

/** Forms with any subset of the fields (`complete`: every field present, so that all criteria can be met). */
const formArb = (form: ClinicalFormSpec, complete = false): fc.Arbitrary<Record<string, unknown>> => {
  const fields = Object.fromEntries(Object.entries(form).map(([k, s]) => [k, fieldArb(s)]));
  return complete ? fc.record(fields) : fc.record(fields, { requiredKeys: [] });
};

const shipped = Object.values(ACCESS_SCHEMES).flatMap((scheme) => scheme.criteriaVersions.map((version) => ({ scheme, version })));

describe('criteria of every shipped scheme version, as properties (SPEC §9)', () => {
  it.each(shipped.map((s) => [s.version.version, s] as const))('%s is valid JsonLogic and judges any valid form without throwing', (_name, { scheme, version }) => {
    expect(validateCriteriaVersion(version).ok).toBe(true);
    fc.assert(
      fc.property(formArb(scheme.form), (form) => {
        expect(validateClinicalForm(scheme, form).ok).toBe(true);
        expect(evaluateCriteria(version.criteria, form)).toHaveLength(version.criteria.length);
      }),
    );
  });

  it.each(shipped.map((s) => [s.version.version, s] as const))('%s: a request meeting every criterion is never refused by the rules', (_name, { scheme, version }) => {
    let eligible = 0;
    fc.assert(
      fc.property(formArb(scheme.form, true), (form) => {
        const check = checkEligibility(version, form);
        if (!check.eligibility.every((e) => e.result === 'met')) return;
        eligible += 1;
        expect(check.verdict).toBe('eligible');
        const workflow = { requiresMeeting: scheme.requiresMeeting, authorisationValidityDays: scheme.authorisationValidityDays };
        let state = newAccessRequest('2025-10-01', check.verdict, check.eligibility);
        const signed = transitionAccessRequest(state, { type: 'countersign', on: '2025-10-01', comment: '' }, workflow);
        if (!signed.ok) throw new Error(signed.error.code);
        state = signed.value;
        if (scheme.requiresMeeting) {
          const met = transitionAccessRequest(state, { type: 'meeting', on: '2025-10-02', decision: 'approve', rationale: 'ok' }, workflow);
          if (!met.ok) throw new Error(met.error.code);
          state = met.value;
        }
        const decided = transitionAccessRequest(state, { type: 'decide', on: '2025-10-03', decision: 'authorise', reason: '' }, workflow);
        expect(decided.ok && decided.value.status).toBe('authorised');
      }),
      { numRuns: 2000 },
    );
    expect(eligible).toBeGreaterThan(0);
  });

  it.each(shipped.map((s) => [s.version.version, s] as const))('%s: removing a field never turns not_met into met (nor met into not_met)', (_name, { scheme, version }) => {
    fc.assert(
      fc.property(formArb(scheme.form), (form) => {
        const before = evaluateCriteria(version.criteria, form);
        for (const field of Object.keys(form)) {
          const rest = { ...form };
          delete rest[field];
          evaluateCriteria(version.criteria, rest).forEach((after, i) => {
            expect([before[i]?.result, 'unknown']).toContain(after.result);
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
