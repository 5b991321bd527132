import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REQUEST_STATUSES } from '../../allocation/entities/initiation-request.entity';
import { ROLES } from '../../common/domain/roles';
import { en, fr } from './messages';
import { Translator, chooseLang } from './translator';

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templates(path) : path.endsWith('.eta') ? [path] : [];
  });
}

describe('page labels', () => {
  it('has every French label in English with the same placeholders', () => {
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      const names = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
      expect({ key, names: names(en[key]) }).toEqual({ key, names: names(fr[key]) });
    }
  });

  it('finds in the dictionary every literal label a template asks for', () => {
    const missing: string[] = [];
    for (const file of templates(join(__dirname, '..', 'views'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z.-]+)'\s*[,)]/g)) {
        if (!(match[1]! in fr)) missing.push(`${file}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a label for every role, request status, policy mode, indication kind and unused-quota rule the pages show', () => {
    const keys = [
      ...ROLES.map((r) => `role.${r}`),
      ...REQUEST_STATUSES.map((s) => `status.${s}`),
      ...['unrestricted', 'freed-stock', 'capped'].map((m) => `mode.${m}`),
      ...['urgent', 'quota', 'open'].map((k) => `kind.${k}`),
      ...['lapse', 'carry'].map((u) => `unused.${u}`),
    ];
    expect(keys.filter((k) => !(k in fr))).toEqual([]);
  });

  it('speaks French unless English is asked for in the query or remembered in the cookie', () => {
    expect(chooseLang(undefined, undefined)).toBe('fr');
    expect(chooseLang('en', undefined)).toBe('en');
    expect(chooseLang(undefined, 'en')).toBe('en');
    expect(chooseLang('fr', 'en')).toBe('fr');
    expect(chooseLang('de', 'xx')).toBe('fr');
  });

  it('fills placeholders and formats numbers the French way', () => {
    const tr = new Translator('fr');
    expect(tr.t('audit.ok', { events: tr.n(12345) })).toBe('Chaîne intacte : 12\u202f345 événements vérifiés.');
    expect(tr.d(1.5)).toBe('1,5');
    expect(new Translator('en').d(1.5)).toBe('1.5');
  });
});
