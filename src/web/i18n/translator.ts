import { MessageKey, en, fr } from './messages';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_COOKIE = 'lang';

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { fr, en };
const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** `?lang=` first, then the `lang` cookie, else French. */
export function chooseLang(query: unknown, cookie: unknown): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return 'fr';
}

/** Labels and number/date formats of one language, handed to every template as `it.t`, `it.n`… */
export class Translator {
  private readonly messages: Record<MessageKey, string>;
  private readonly numbers: Intl.NumberFormat;
  private readonly decimals: Intl.NumberFormat;
  private readonly plurals: Intl.PluralRules;

  constructor(readonly lang: Lang) {
    this.messages = DICTIONARIES[lang];
    this.numbers = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 });
    this.decimals = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 });
    this.plurals = new Intl.PluralRules(LOCALES[lang]);
  }

  /**
   * A label with its `{name}` placeholders filled; `{name|one|other}` picks the word's plural form
   * by Intl.PluralRules for the number `name` ("1 ligne", "2 lignes").
   */
  t = (key: MessageKey, params: Record<string, string | number | null | undefined> = {}): string =>
    this.messages[key]
      .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (_whole, name: string, one: string, other: string) => {
        const value = Number(typeof params[name] === 'string' ? String(params[name]).replace(/\s/g, '').replace(',', '.') : params[name]);
        return Number.isFinite(value) && this.plurals.select(value) === 'one' ? one : other;
      })
      .replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        return value === undefined || value === null ? whole : String(value);
      });

  /** Whether a label exists (codes shown through `label`). */
  has = (key: string): boolean => Object.prototype.hasOwnProperty.call(this.messages, key);

  /** An integer with the language's grouping. */
  n = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : this.numbers.format(value));

  /** A number with up to two decimals. */
  d = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : this.decimals.format(value));

  /** An ISO instant shown in Paris time. */
  instant = (iso: string | null | undefined): string => {
    if (!iso) return '—';
    return new Intl.DateTimeFormat(LOCALES[this.lang], { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
  };
}
