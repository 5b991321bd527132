import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFiles } from '../../../test/support/source-files';
import { DomainError } from '../domain/domain-error';
import { HTTP_CODES } from '../problem-details/problem-details.filter';
import { PROBLEM_MESSAGES, ParamKind, ProblemMessage, problemDetail, renderProblem } from './problem-messages';
import { localizeProblemIn } from './localize';

const SRC = join(__dirname, '..', '..');

/**
 * Every problem code of the code base: the status tables of the modules' `*.errors.ts`, the
 * codes thrown with `new DomainError('…'`,
 * the codes the problem filter makes itself (`coded('…'`, HTTP_CODES), and a 500's sentence.
 */
function everyCode(): string[] {
  const files = sourceFiles(SRC);
  const codes = new Set<string>([...Object.values(HTTP_CODES), 'UNEXPECTED_ERROR']);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // A module's status table: `  CODE: 422,` lines of its *.errors.ts.
    if (file.endsWith('.errors.ts')) for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]*): [1-5]\d\d,/gm)) codes.add(m[1] ?? '');
    for (const m of text.matchAll(/new DomainError\(\s*'([A-Z][A-Z0-9_]*)'/g)) codes.add(m[1] ?? '');
    for (const m of text.matchAll(/\bcoded\(\s*'([A-Z][A-Z0-9_]*)'/g)) codes.add(m[1] ?? '');
    for (const line of text.split('\n').filter((l) => l.includes("component: 'database'"))) for (const m of line.matchAll(/code: '([A-Z][A-Z0-9_]*)'/g)) codes.add(m[1] ?? '');
  }
  return [...codes].sort();
}

/** Two distinct values of each kind, so that a sentence that ignores a parameter is caught. */
function sample(kind: ParamKind, index: number, variant: 0 | 1): unknown {
  switch (kind) {
    case 'int':
      return 9000 - 1000 * index + variant; // decreasing: a "first N of M listed" stays N < M
    case 'num':
      return variant === 0 ? 72.5 : 80.25;
    case 'bool':
      return variant === 0;
    case 'text':
    case 'text?':
      return variant === 0 ? `Zqa${index}` : `Zqb${index}`;
    case 'date':
    case 'date?':
      return variant === 0 ? '2031-07-14' : '2032-08-15';
    case 'period':
      return variant === 0 ? '2031-07' : '2032-08';
    case 'instant':
      return variant === 0 ? '2031-07-14T08:30:00.000Z' : '2032-08-15T09:45:00.000Z';
    case 'list':
      return variant === 0 ? [`Zqa${index}`] : [`Zqb${index}`, `Zqc${index}`];
  }
}

function paramsOf(def: ProblemMessage, changed?: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(def.params).map(([name, kind], i) => [name, sample(kind, i, name === changed ? 1 : 0)]));
}

describe('problem sentences (issue 17): every code, both languages, every parameter', () => {
  const codes = everyCode();

  it('finds the codes of every module (the walk is not empty)', () => {
    expect(codes.length).toBeGreaterThan(150);
    expect(codes).toEqual(expect.arrayContaining(['CENTRE_QUOTA_EXHAUSTED', 'RECAP_INVALID', 'ACCESS_REQUEST_NOT_ELIGIBLE', 'ROLE_NOT_ALLOWED', 'NOT_FOUND', 'DATABASE_UNAVAILABLE', 'METHOD_NOT_ALLOWED']));
  });

  it.each(everyCode())('%s has a French and an English sentence that use every parameter', (code) => {
    const def = (PROBLEM_MESSAGES as unknown as Record<string, ProblemMessage | undefined>)[code];
    expect(def).toBeDefined();
    if (!def) return;
    for (const lang of ['fr', 'en'] as const) {
      const base = renderProblem(code, paramsOf(def), lang);
      expect(base).not.toBeNull();
      expect(base).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
      for (const name of Object.keys(def.params)) expect([name, renderProblem(code, paramsOf(def, name), lang)]).not.toEqual([name, base]);
    }
  });

  it('names no patient identifier among the parameters', () => {
    for (const def of Object.values(PROBLEM_MESSAGES) as unknown as ProblemMessage[]) for (const name of Object.keys(def.params)) expect(name).not.toMatch(/nir|patient|pseudonym/i);
  });
});

describe('problem details rendered from code and parameters', () => {
  it('says the centre quota with its figures in French and in English', () => {
    const params = { period: '2026-12', used: 3, slots: 3 };
    expect(renderProblem('CENTRE_QUOTA_EXHAUSTED', params, 'fr')).toBe('Quota du centre épuisé : 3 places sur 3 utilisées pour décembre 2026.');
    expect(renderProblem('CENTRE_QUOTA_EXHAUSTED', params, 'en')).toBe('Centre quota used up: 3 of 3 slots used for 2026-12.');
  });

  it('formats French numbers and dates inside a refusal', () => {
    expect(renderProblem('PAYLOAD_TOO_LARGE', { maxBytes: 5242880 }, 'fr')).toBe('Le contenu dépasse les 5\u202f242\u202f880 octets acceptés par cette adresse.');
    expect(renderProblem('GRANT_EXPIRED', { requestId: 'r1', grantedOn: '2026-11-02', startWithinDays: 1, startDate: '2026-12-05' }, 'fr')).toBe(
      'L’accord de la demande r1 (02/11/2026) devait être utilisé dans un délai de 1 jour : le 05/12/2026 est trop tard.',
    );
  });

  it('falls back to the status sentence when the parameters do not fit, never to a wrong sentence', () => {
    expect(renderProblem('CENTRE_QUOTA_EXHAUSTED', { period: '2026-12' }, 'fr')).toBeNull();
    expect(problemDetail('CENTRE_QUOTA_EXHAUSTED', { period: '2026-12' }, 422, 'fr', 'x')).toBe('Cette demande ne peut pas être traitée.');
    expect(problemDetail('NO_SUCH_CODE', {}, 418, 'en', 'as given')).toBe('as given');
  });

  it('gives a DomainError its English sentence as message (logs, CLI) and keeps code and params', () => {
    const error = new DomainError('NO_POLICY_IN_FORCE', { medicine: 'NULOJIX', date: '2026-12-01' }, 422);
    expect(error.message).toBe('No NULOJIX policy is in force on 2026-12-01.');
    expect(error.params).toEqual({ medicine: 'NULOJIX', date: '2026-12-01' });
  });

  it('localizes a problem by its code and params, a 500 by its correlation id', () => {
    const problem = { type: 't', title: 'Unprocessable Content', status: 422, detail: 'en', instance: '/x', code: 'NO_POLICY_IN_FORCE', params: { medicine: 'NULOJIX', date: '2026-12-01' } };
    expect(localizeProblemIn(problem, 'fr')).toMatchObject({ detail: 'Aucune politique de NULOJIX n’est en vigueur le 01/12/2026.', code: 'NO_POLICY_IN_FORCE', params: problem.params });
    expect(localizeProblemIn({ status: 500, detail: 'x', correlationId: 'abc' }, 'fr').detail).toBe('Une erreur inattendue s’est produite (identifiant de corrélation abc).');
  });
});
