/** The languages sentences are rendered in: French for the users, English for the API by default. */
export const MESSAGE_LANGS = ['fr', 'en'] as const;
export type MessageLang = (typeof MESSAGE_LANGS)[number];

const LOCALES: Record<MessageLang, string> = { fr: 'fr-FR', en: 'en-GB' };
const ZONE = 'Europe/Paris';

/** Plural forms of a word, by Intl.PluralRules category (`other` is required). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Number, date and plural formats of one language (Intl), handed to every message template:
 * French dates 05/12/2026, decimals 1,57, instants in Europe/Paris time (never a UTC …Z).
 */
export class MessageFormatter {
  readonly locale: string;
  private readonly integers: Intl.NumberFormat;
  private readonly decimals: Intl.NumberFormat;
  private readonly plurals: Intl.PluralRules;
  private readonly dates: Intl.DateTimeFormat;
  private readonly instants: Intl.DateTimeFormat;
  private readonly months: Intl.DateTimeFormat;

  constructor(readonly lang: MessageLang) {
    this.locale = LOCALES[lang];
    this.integers = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 });
    this.decimals = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 2 });
    this.plurals = new Intl.PluralRules(this.locale);
    this.dates = new Intl.DateTimeFormat(this.locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
    this.instants = new Intl.DateTimeFormat(this.locale, { dateStyle: 'short', timeStyle: 'short', timeZone: ZONE });
    this.months = new Intl.DateTimeFormat(this.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  }

  /** An integer with the language's grouping (1 234 / 1,234). */
  n = (value: number): string => this.integers.format(value);

  /** A number with up to two decimals (1,57 / 1.57). */
  d = (value: number): string => this.decimals.format(value);

  /** `count` and the word in the plural form Intl.PluralRules picks ("1 patient", "2 patients"). */
  count = (count: number, forms: PluralForms): string => `${this.n(count)} ${this.word(count, forms)}`;

  /** Only the word's plural form. */
  word = (count: number, forms: PluralForms): string => forms[this.plurals.select(count)] ?? forms.other;

  /** A calendar date YYYY-MM-DD as 05/12/2026 (fr) or 05/12/2026 (en-GB); anything else unchanged. */
  date = (value: string | null | undefined): string => {
    if (!value) return '—';
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? this.dates.format(new Date(`${value}T00:00:00Z`)) : value;
  };

  /** An ISO instant in Paris time (01/12/2026 09:30). */
  instant = (value: string | null | undefined): string => {
    if (!value) return '—';
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? value : this.instants.format(at);
  };

  /** A period YYYY-MM as "décembre 2026" / "December 2026". */
  period = (value: string | null | undefined): string => {
    if (!value) return '—';
    return /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? this.months.format(new Date(`${value}-01T00:00:00Z`)) : value;
  };

  /** A list joined the language's way ("a, b et c"). */
  list = (items: string[]): string => new Intl.ListFormat(this.locale, { style: 'long', type: 'conjunction' }).format(items);
}

const FORMATTERS: Record<MessageLang, MessageFormatter> = { fr: new MessageFormatter('fr'), en: new MessageFormatter('en') };

export function formatterFor(lang: MessageLang): MessageFormatter {
  return FORMATTERS[lang];
}

/**
 * The language of an Accept-Language header: the first of fr/en by quality, English when absent
 * or when neither is asked for (the API's default).
 */
export function langFromAcceptLanguage(header: string | undefined | null): MessageLang {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)) || 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    const primary = r.tag.split('-')[0];
    if (primary === 'fr' || primary === 'en') return primary;
  }
  return 'en';
}
