import jsonLogic from 'json-logic-js';
import type { FieldReason } from '../../common/domain/domain-error';
import { isIsoDate } from '../../common/domain/period';
import { fail, ok, type Result } from '../../common/domain/result';
import { accessError, type CompassionateAccessError } from './compassionate-access.errors';

/** A JsonLogic rule as stored: plain JSON (SPEC §9: criteria are data, never code). */
export type JsonRule = null | boolean | number | string | JsonRule[] | { [operator: string]: JsonRule };

export interface Criterion {
  id: string;
  sentence: string;
  rule: JsonRule;
}

/** One published version of a scheme's criteria; a request is judged by the one in force on its date. */
export interface CriteriaVersion {
  scheme: string;
  version: string;
  /** YYYY-MM-DD, first day in force. */
  effectiveFrom: string;
  criteria: readonly Criterion[];
}

export type CriterionResult = 'met' | 'not_met' | 'unknown';
/** `non_protocol`: submitted before the scheme's first criteria version, judged outside the protocol. */
export type EligibilityVerdict = 'eligible' | 'not_eligible' | 'incomplete' | 'non_protocol';

/** The criteria version recorded on a request judged before the protocol started. */
export const NON_PROTOCOL = 'non-protocol';

export interface CriterionEvaluation {
  criterion: string;
  result: CriterionResult;
  message: string;
  /** Form fields the rule needed and did not find (only for `unknown`). */
  missing: string[];
}

export interface EligibilityCheck {
  criteriaVersion: string;
  verdict: EligibilityVerdict;
  eligibility: CriterionEvaluation[];
}

/** Operators accepted in a published rule, with their argument counts. `log` and dotted method calls are refused. */
const ARITY: Record<string, { min: number; max: number }> = {
  var: { min: 1, max: 2 },
  missing: { min: 1, max: Infinity },
  missing_some: { min: 2, max: 2 },
  if: { min: 3, max: Infinity },
  '?:': { min: 3, max: 3 },
  '==': { min: 2, max: 2 },
  '===': { min: 2, max: 2 },
  '!=': { min: 2, max: 2 },
  '!==': { min: 2, max: 2 },
  '!': { min: 1, max: 1 },
  '!!': { min: 1, max: 1 },
  or: { min: 1, max: Infinity },
  and: { min: 1, max: Infinity },
  '>': { min: 2, max: 2 },
  '>=': { min: 2, max: 2 },
  '<': { min: 2, max: 3 },
  '<=': { min: 2, max: 3 },
  max: { min: 1, max: Infinity },
  min: { min: 1, max: Infinity },
  '+': { min: 1, max: Infinity },
  '-': { min: 1, max: 2 },
  '*': { min: 1, max: Infinity },
  '/': { min: 2, max: 2 },
  '%': { min: 2, max: 2 },
  map: { min: 2, max: 2 },
  filter: { min: 2, max: 2 },
  reduce: { min: 2, max: 3 },
  all: { min: 2, max: 2 },
  none: { min: 2, max: 2 },
  some: { min: 2, max: 2 },
  merge: { min: 0, max: Infinity },
  in: { min: 2, max: 2 },
  cat: { min: 0, max: Infinity },
  substr: { min: 2, max: 3 },
};

/** Operators whose second argument is evaluated against each list item (its `var`s are not form fields). */
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);

function isRuleObject(value: unknown): value is { [operator: string]: JsonRule } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function argsOf(value: JsonRule): JsonRule[] {
  return Array.isArray(value) ? value : [value];
}

/** Field-level reasons why a value is not a well-formed rule; empty when it is. */
export function ruleProblems(rule: unknown, field: string): FieldReason[] {
  if (rule === null || typeof rule === 'boolean' || typeof rule === 'string') return [];
  if (typeof rule === 'number') return Number.isFinite(rule) ? [] : [{ field, reason: 'must be a finite number' }];
  if (Array.isArray(rule)) return rule.flatMap((item, i) => ruleProblems(item, `${field}[${i}]`));
  if (!isRuleObject(rule)) return [{ field, reason: 'must be JSON (a value, a list or an operation)' }];
  const keys = Object.keys(rule);
  if (keys.length !== 1) {
    return [{ field, reason: `an operation must have exactly one operator, found ${keys.length}` }];
  }
  const op = keys[0] as string;
  const arity = ARITY[op];
  if (arity === undefined) return [{ field, reason: `unknown operator "${op}"` }];
  const args = argsOf(rule[op] as JsonRule);
  const here = `${field}.${op}`;
  if (args.length < arity.min || args.length > arity.max) {
    const expected = arity.max === Infinity ? `at least ${arity.min}` : arity.min === arity.max ? `${arity.min}` : `${arity.min} to ${arity.max}`;
    return [{ field: here, reason: `"${op}" takes ${expected} argument(s), found ${args.length}` }];
  }
  if (op === 'if' && args.length % 2 === 0) {
    return [{ field: here, reason: `"if" takes an odd number of arguments (conditions, results, else), found ${args.length}` }];
  }
  if (op === 'var' && typeof args[0] !== 'string' && typeof args[0] !== 'number') {
    return [{ field: `${here}[0]`, reason: 'a variable name must be a string or a number' }];
  }
  return args.flatMap((arg, i) => ruleProblems(arg, `${here}[${i}]`));
}

/**
 * Checks criteria before the agency publishes them (SPEC §9, STACK: validate a rule when it is published):
 * a list of `{ id, sentence, rule }`, unique ids, rules that JsonLogic can run. Evaluation never fails after this.
 */
export function validateCriteria(input: unknown, field = 'criteria'): Result<Criterion[], FieldReason[]> {
  if (!Array.isArray(input)) return fail([{ field, reason: 'must be a list of criteria' }]);
  if (input.length === 0) return fail([{ field, reason: 'must hold at least one criterion' }]);
  const reasons: FieldReason[] = [];
  const seen = new Set<string>();
  input.forEach((item: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRuleObject(item)) {
      reasons.push({ field: at, reason: 'must be an object { id, sentence, rule }' });
      return;
    }
    for (const key of Object.keys(item)) {
      if (!['id', 'sentence', 'rule'].includes(key)) reasons.push({ field: `${at}.${key}`, reason: 'is not a known field' });
    }
    const id: unknown = item.id;
    if (typeof id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(id)) {
      reasons.push({ field: `${at}.id`, reason: 'must be a snake_case identifier' });
    } else if (seen.has(id)) {
      reasons.push({ field: `${at}.id`, reason: `duplicates the criterion "${id}"` });
    } else {
      seen.add(id);
    }
    const sentence: unknown = item.sentence;
    if (typeof sentence !== 'string' || sentence.trim() === '') {
      reasons.push({ field: `${at}.sentence`, reason: 'must be a non-empty sentence' });
    }
    if (!('rule' in item)) {
      reasons.push({ field: `${at}.rule`, reason: 'is required' });
    } else {
      const problems = ruleProblems(item.rule, `${at}.rule`);
      reasons.push(...problems);
      if (problems.length === 0) {
        try {
          jsonLogic.apply(item.rule as never, {});
        } catch (e) {
          reasons.push({ field: `${at}.rule`, reason: `cannot be evaluated: ${(e as Error).message}` });
        }
      }
    }
  });
  return reasons.length > 0 ? fail(reasons) : ok(input as Criterion[]);
}

/** Checks a whole version `{ scheme, version, effectiveFrom, criteria }` before publication. */
export function validateCriteriaVersion(input: unknown): Result<CriteriaVersion, FieldReason[]> {
  if (!isRuleObject(input)) return fail([{ field: 'criteriaVersion', reason: 'must be an object' }]);
  const reasons: FieldReason[] = [];
  for (const key of Object.keys(input)) {
    if (!['scheme', 'version', 'effectiveFrom', 'criteria'].includes(key)) reasons.push({ field: key, reason: 'is not a known field' });
  }
  if (typeof input.scheme !== 'string' || input.scheme === '') reasons.push({ field: 'scheme', reason: 'must be a non-empty string' });
  if (typeof input.version !== 'string' || input.version === '') reasons.push({ field: 'version', reason: 'must be a non-empty string' });
  if (typeof input.effectiveFrom !== 'string' || !isIsoDate(input.effectiveFrom)) {
    reasons.push({ field: 'effectiveFrom', reason: 'must be a date YYYY-MM-DD' });
  }
  const criteria = validateCriteria(input.criteria);
  if (!criteria.ok) reasons.push(...criteria.error);
  return reasons.length > 0 ? fail(reasons) : ok(input as unknown as CriteriaVersion);
}

/** The form-level variables a rule reads (not those read on list items inside map/filter/reduce/all/some/none). */
export function ruleVariables(rule: JsonRule): string[] {
  const out = new Set<string>();
  const walk = (node: JsonRule): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isRuleObject(node)) return;
    const op = Object.keys(node)[0] as string;
    const args = argsOf(node[op] as JsonRule);
    if (op === 'var') {
      out.add(varName(args[0]));
    } else if (SCOPED.has(op)) {
      walk(args[0] as JsonRule);
      if (op === 'reduce' && args.length > 2) walk(args[2] as JsonRule);
    } else {
      args.forEach(walk);
    }
  };
  walk(rule);
  return [...out].sort();
}

interface Outcome {
  determined: boolean;
  missing: string[];
}

const apply = (rule: JsonRule, data: object): unknown => jsonLogic.apply(rule as never, data);

/**
 * Whether a rule's truth value is fixed by the fields present (Kleene logic): a `var` that is missing
 * or null is undetermined; `and` is fixed by one determined falsy argument, `or` by one determined truthy
 * argument, `if` by its determined conditions and the branch they pick; every other operator needs all
 * of its arguments. Deterministic, and removing a field can only turn a determined rule undetermined.
 */
function outcome(node: JsonRule, data: object): Outcome {
  if (Array.isArray(node)) return all(node.map((n) => outcome(n, data)));
  if (!isRuleObject(node)) return { determined: true, missing: [] };
  const op = Object.keys(node)[0] as string;
  const args = argsOf(node[op] as JsonRule);
  switch (op) {
    case 'var': {
      if (args.length > 1) return { determined: true, missing: [] };
      const value = apply(node, data);
      const name = varName(args[0]);
      return value === null || value === undefined ? { determined: false, missing: [name] } : { determined: true, missing: [] };
    }
    case 'missing':
    case 'missing_some':
      return { determined: true, missing: [] };
    case 'and':
    case 'or': {
      const outcomes = args.map((a) => outcome(a, data));
      const decisive = args.some((a, i) => outcomes[i]?.determined === true && jsonLogic.truthy(apply(a, data)) === (op === 'or'));
      return decisive ? { determined: true, missing: [] } : all(outcomes);
    }
    case 'if':
    case '?:': {
      const missing: string[] = [];
      let i = 0;
      for (; i < args.length - 1; i += 2) {
        const condition = outcome(args[i] as JsonRule, data);
        if (!condition.determined) return { determined: false, missing: [...missing, ...condition.missing] };
        if (jsonLogic.truthy(apply(args[i] as JsonRule, data))) return outcome(args[i + 1] as JsonRule, data);
      }
      return i < args.length ? outcome(args[i] as JsonRule, data) : { determined: true, missing };
    }
    default:
      if (SCOPED.has(op)) {
        const scoped = [args[0] as JsonRule];
        if (op === 'reduce' && args.length > 2) scoped.push(args[2] as JsonRule);
        return all(scoped.map((a) => outcome(a, data)));
      }
      return all(args.map((a) => outcome(a, data)));
  }
}

function all(outcomes: Outcome[]): Outcome {
  const missing = [...new Set(outcomes.flatMap((o) => o.missing))];
  return { determined: outcomes.every((o) => o.determined), missing };
}

/**
 * Evaluates each criterion over the clinical form (SPEC §9): `met` when its rule is truthy, `not_met`
 * when falsy, `unknown` when a field the rule needs is missing or null; each with its sentence.
 * Rules must have passed `validateCriteria`; a rule that still throws is a broken invariant.
 */
export function evaluateCriteria(criteria: readonly Criterion[], clinical: Readonly<Record<string, unknown>>): CriterionEvaluation[] {
  return criteria.map((criterion) => {
    let value: unknown;
    let result: Outcome;
    try {
      result = outcome(criterion.rule, clinical);
      value = apply(criterion.rule, clinical);
    } catch (e) {
      throw new Error(`criterion ${criterion.id} cannot be evaluated: ${(e as Error).message}`, { cause: e });
    }
    if (!result.determined) {
      const missing = [...result.missing].sort();
      return {
        criterion: criterion.id,
        result: 'unknown' as const,
        message: `${criterion.sentence} — cannot be judged: missing ${missing.join(', ')}.`,
        missing,
      };
    }
    const met = jsonLogic.truthy(value);
    return {
      criterion: criterion.id,
      result: met ? ('met' as const) : ('not_met' as const),
      message: met ? criterion.sentence : `Not met: ${criterion.sentence}`,
      missing: [],
    };
  });
}

/** The overall verdict (SPEC §9): eligible if every criterion is met, not eligible if any is not met, otherwise incomplete. */
export function eligibilityVerdict(evaluations: readonly CriterionEvaluation[]): EligibilityVerdict {
  if (evaluations.some((e) => e.result === 'not_met')) return 'not_eligible';
  if (evaluations.every((e) => e.result === 'met')) return 'eligible';
  return 'incomplete';
}

/** Judges a clinical form against one criteria version and says which (SPEC §9, §11 access-requests). */
export function checkEligibility(version: CriteriaVersion, clinical: Readonly<Record<string, unknown>>): EligibilityCheck {
  const eligibility = evaluateCriteria(version.criteria, clinical);
  return { criteriaVersion: version.version, verdict: eligibilityVerdict(eligibility), eligibility };
}

/**
 * Judges a request on its date: by the criteria version in force, or — before the first version, the protocol's
 * start — as non-protocol, with no criterion (seeds/000: "Auparavant REZUROCK® était utilisé dans un contexte d'AC
 * non protocolisé"; the report then counts such patients `excluded`). Fails only when no version is published.
 */
export function judgeRequest(versions: readonly CriteriaVersion[], date: string, clinical: Readonly<Record<string, unknown>>): Result<EligibilityCheck, CompassionateAccessError> {
  const version = criteriaVersionFor(versions, date);
  if (version.ok) return ok(checkEligibility(version.value, clinical));
  if (versions.length === 0) return version;
  return ok({ criteriaVersion: NON_PROTOCOL, verdict: 'non_protocol', eligibility: [] });
}

/** The criteria version in force on a date: the latest whose `effectiveFrom` is on or before it (SPEC §9). */
export function criteriaVersionFor(
  versions: readonly CriteriaVersion[],
  date: string,
): Result<CriteriaVersion, CompassionateAccessError> {
  let best: CriteriaVersion | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= date && (best === undefined || v.effectiveFrom > best.effectiveFrom)) best = v;
  }
  if (best === undefined) {
    const first = [...versions].map((v) => v.effectiveFrom).sort()[0];
    return fail(
      accessError(
        'NO_CRITERIA_IN_FORCE',
        { date, first: first ?? null },
      ),
    );
  }
  return ok(best);
}

/** The field a `var` names: JsonLogic's `{ "var": "a.b" }` or `{ "var": ["a.b", default] }`, a path or an index. */
function varName(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'number') return String(arg);
  return JSON.stringify(arg);
}
