import type { Explanation, ExplanationCode } from './projection';

export type ExplanationLang = 'fr' | 'en';

const LOCALES: Record<ExplanationLang, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * The projection's sentence, from its code and parameters (SPEC §10: English by default in the
 * API, French with `Accept-Language: fr`). The pages have the same sentences in messages.ts.
 */
export const EXPLANATIONS: Record<ExplanationLang, Record<ExplanationCode, string>> = {
  en: {
    PROJECTION_SUSTAINS:
      'With {stock} units on {at} and {supply} expected from {first} to {last}, the {patients} continuing patients (stopping at {stopRatePct} % a month) need {continuation} units; the stock sustains {cap} initiations a month over {horizon} months without cutting a continuation (tightest in {tightest}), and lasts the whole horizon at the current pace of {pace} a month.',
    PROJECTION_STOCK_OUT_AT_PACE:
      'With {stock} units on {at} and {supply} expected from {first} to {last}, the {patients} continuing patients (stopping at {stopRatePct} % a month) need {continuation} units; the stock sustains {cap} initiations a month over {horizon} months without cutting a continuation (tightest in {tightest}); at the current pace of {pace} a month it runs out in {stockOut}.',
    PROJECTION_CONTINUATIONS_SHORT:
      'With {stock} units on {at} and {supply} expected from {first} to {last}, the {patients} continuing patients (stopping at {stopRatePct} % a month) need {continuation} units and the stock runs out in {stockOut} on continuations alone: no initiation is sustainable.',
    PROJECTION_UNBOUNDED:
      'With {stock} units on {at} and {supply} expected from {first} to {last}, the {patients} continuing patients (stopping at {stopRatePct} % a month) need {continuation} units; no administration of a new patient falls within the {horizon} months, so the horizon sets no cap.',
  },
  fr: {
    PROJECTION_SUSTAINS:
      'Avec {stock} unités au {at} et {supply} attendues de {first} à {last}, les {patients} patients en continuation (arrêts : {stopRatePct} % par mois) ont besoin de {continuation} unités ; le stock permet {cap} initiations par mois sur {horizon} mois sans réduire aucune continuation (mois le plus tendu : {tightest}) et dure tout l’horizon au rythme actuel de {pace} par mois.',
    PROJECTION_STOCK_OUT_AT_PACE:
      'Avec {stock} unités au {at} et {supply} attendues de {first} à {last}, les {patients} patients en continuation (arrêts : {stopRatePct} % par mois) ont besoin de {continuation} unités ; le stock permet {cap} initiations par mois sur {horizon} mois sans réduire aucune continuation (mois le plus tendu : {tightest}) ; au rythme actuel de {pace} par mois, il est épuisé en {stockOut}.',
    PROJECTION_CONTINUATIONS_SHORT:
      'Avec {stock} unités au {at} et {supply} attendues de {first} à {last}, les {patients} patients en continuation (arrêts : {stopRatePct} % par mois) ont besoin de {continuation} unités et le stock est épuisé en {stockOut} par les seules continuations : aucune initiation n’est soutenable.',
    PROJECTION_UNBOUNDED:
      'Avec {stock} unités au {at} et {supply} attendues de {first} à {last}, les {patients} patients en continuation (arrêts : {stopRatePct} % par mois) ont besoin de {continuation} unités ; aucune administration d’un nouveau patient ne tombe dans les {horizon} mois : l’horizon ne fixe pas de plafond.',
  },
};

/** `Accept-Language` → fr or en (English when absent or anything else). */
export function explanationLang(acceptLanguage: string | undefined | null): ExplanationLang {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first === 'fr' || first.startsWith('fr-') ? 'fr' : 'en';
}

/** Fills the sentence: numbers with the language's grouping, dates and periods as written for that language. */
export function explain(explanation: Explanation, lang: ExplanationLang): string {
  const numbers = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 });
  return EXPLANATIONS[lang][explanation.code].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = explanation.params[name];
    if (value === undefined) return whole;
    if (typeof value === 'number') return numbers.format(value);
    return formatWhen(value, lang);
  });
}

/** YYYY-MM-DD → 15/05/2023 (fr) or 15 May 2023 (en); YYYY-MM → mai 2023 / May 2023. */
export function formatWhen(value: string, lang: ExplanationLang): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: lang === 'fr' ? 'short' : 'medium', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
  const period = /^(\d{4})-(\d{2})$/.exec(value);
  if (period) return new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${value}-01T00:00:00Z`));
  return value;
}
