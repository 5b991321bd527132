import { MessageContext, renderStored } from '../../common/messages/catalogue';
import { formatterFor } from '../../common/messages/formatter';
import { problemSentence, renderProblem } from '../../common/messages/problem-messages';
import { distinctReasons, fieldLabel, reasonIn } from '../../common/messages/problems';
import type { FormState } from '../forms';
import type { Lang } from './translator';

/** A coded sentence as the services return it (decision reason, order flag). */
export interface CodedSentence {
  code: string;
  message: string;
  params?: object | null;
}

/** The sentence of a code in the page's language, from its parameters; the service's sentence when the code has none stored (rows from before). */
export function sentenceOf(sentence: CodedSentence | null | undefined, lang: Lang, context: MessageContext = {}): string {
  if (!sentence) return '—';
  const rendered = renderStored(sentence.code, sentence.params ?? null, lang, context);
  if (rendered !== null) return rendered;
  // A refusal stored with its parameters reads from the problem catalogue; else the service's own sentence.
  return renderProblem(sentence.code, sentence.params ?? {}, lang) ?? sentence.message;
}

/**
 * A discrepancy's sentence in the page's language, from its kind, its figures (params) and the
 * period, establishments by name when known; the stored English sentence for rows without figures.
 */
export function discrepancySentence(
  d: { kind: string; patient: string | null; detail: string; params?: object | null },
  period: string,
  lang: Lang,
  names?: Record<string, string> | null,
): string {
  const establishment = (finess: string): string => (names?.[finess] ? `${names[finess]} (${finess})` : finess);
  if (d.params && Object.keys(d.params).length > 0) {
    const rendered = renderStored(`discrepancy.${d.kind}`, { ...d.params, period }, lang, { establishment });
    if (rendered !== null) return rendered;
  }
  return d.detail;
}

/**
 * A form's problems in the page's language: each field's reasons in French without repeats, field
 * paths as labels (`lines[4].patient` → ligne 5 — patient), the refusal's sentence from its code.
 */
export function localizeForm(form: FormState, lang: Lang): FormState & { labels: Record<string, string> } {
  const errors: Record<string, string[]> = {};
  const labels: Record<string, string> = {};
  for (const [field, reasons] of Object.entries(form.errors)) {
    errors[field] = distinctReasons(reasons.map((r) => reasonIn(r, lang)));
    labels[field] = fieldLabel(field, lang);
  }
  // A summary without a code was written by the page itself, already in its language.
  const summary = form.summary === null || form.code === undefined ? form.summary : problemSentence(form.code, form.summary, lang, form.params);
  return { ...form, errors, summary, labels };
}

function isFormState(value: unknown): value is FormState {
  return typeof value === 'object' && value !== null && 'values' in value && 'errors' in value && 'summary' in value && !('labels' in value);
}

/** Every form state in a page's data (top level, and inside rows and maps), localized. */
export function localizeForms<T>(data: T, lang: Lang, depth = 3): T {
  if (isFormState(data)) return localizeForm(data, lang) as T;
  if (depth === 0 || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const proto = Object.getPrototypeOf(data) as unknown;
  if (proto !== Object.prototype && proto !== null) return data;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const next = localizeForms(value, lang, depth - 1);
    if (next !== value) changed = true;
    out[key] = next;
  }
  return changed ? (out as T) : data;
}

/** Date, period and list formats of the page's language (05/12/2026, décembre 2026). */
export function formatsOf(lang: Lang): { date: (s: string | null | undefined) => string; period: (s: string | null | undefined) => string } {
  const f = formatterFor(lang);
  return { date: f.date, period: f.period };
}
