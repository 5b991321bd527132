import { fail, ok, type Result } from '../../common/domain/result';
import type { Authorisation } from './access-workflow';
import type { ClinicalFormSpec } from './clinical-form';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';

/** What a replacement needs to know of a medicine's scheme (SPEC §9: ONC201 replaced by dordaviprone in April 2026). */
export interface Replacement {
  medicine: string;
  replacedBy: string | null;
  /** YYYY-MM-DD, first day of the replacement. */
  replacedFrom: string | null;
}

/** The follow-up's state of an authorised request, as far as a switch cares. */
export interface CarryOverCandidate {
  status: string;
  authorisation: Authorisation | null;
  switchedTo: string | null;
  stoppedOn: string | null;
}

/** The replacement in force on a date, or the reason there is none. */
export function replacementInForce(scheme: Replacement, on: string): Result<{ successor: string; from: string }, CompassionateAccessError> {
  if (scheme.replacedBy === null || scheme.replacedFrom === null) {
    return fail(accessError('REPLACEMENT_NOT_IN_FORCE', { medicine: scheme.medicine, replacedBy: null, from: null, date: on }));
  }
  if (on < scheme.replacedFrom) {
    return fail(accessError('REPLACEMENT_NOT_IN_FORCE', { medicine: scheme.medicine, replacedBy: scheme.replacedBy, from: scheme.replacedFrom, date: on }));
  }
  return ok({ successor: scheme.replacedBy, from: scheme.replacedFrom });
}

/**
 * Whether a request's patient switches to the replacing medicine (SPEC §9 "patients switch without losing
 * continuity"): an authorisation still valid on the switch date, not stopped, not already switched.
 * The carried-over request keeps the authorisation dates, so the follow-up schedule (M3, M6, …) goes on.
 */
export function carriesOver(request: CarryOverCandidate, on: string): boolean {
  const auth = request.authorisation;
  return (
    request.status === 'authorised' &&
    request.switchedTo === null &&
    request.stoppedOn === null &&
    auth !== null &&
    auth.from <= on &&
    on <= auth.until
  );
}

/**
 * The data of a follow-up form (SPEC §11 `forms.data`), checked like the clinical form: adverse events with
 * their seriousness and expectedness (counted in the periodic report), the weight and the daily dose.
 */
export const FOLLOW_UP_DATA_FORM: ClinicalFormSpec = {
  weightKg: { kind: 'positive', max: 400 },
  dailyDoseMg: { kind: 'positive', max: 10000 },
  /** Pharmacovigilance: each event with its case, SOC and PT (MedDRA), seriousness, expectedness and causality. */
  adverseEvents: {
    kind: 'list',
    item: {
      serious: { kind: 'boolean' }, expected: { kind: 'boolean' },
      caseId: { kind: 'text', maxLength: 40 }, soc: { kind: 'text', maxLength: 200 }, pt: { kind: 'text', maxLength: 200 },
      causality: { kind: 'enum', values: ['related', 'not_related', 'unknown'] }, fatal: { kind: 'boolean' }, ledToStop: { kind: 'boolean' },
    },
    optional: ['caseId', 'soc', 'pt', 'causality', 'fatal', 'ledToStop'],
  },
  /** Conditions of use since the last form (Rezurock report §2b): a temporary interruption, a dose change. */
  interruption: { kind: 'boolean' },
  doseChanged: { kind: 'boolean' },
  /** Injections given since the last form (tofersen). */
  injections: { kind: 'integer', min: 0, max: 100 },
  /** A stop's reasons besides `reason` (tofersen report: several reasons per stop). */
  reasons: { kind: 'tags' },
};
