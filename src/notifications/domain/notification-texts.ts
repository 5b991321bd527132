import type { NotificationCode, NotificationParams } from '../../common/domain/notification-events';

export type NotificationLang = 'fr' | 'en';

interface Text {
  subject: string;
  body: string;
}

/** What each kind says, from its code and params (issue 19: French by default). Placeholders are `{name}`. */
const TEXTS: Record<NotificationLang, Record<NotificationCode, Text>> = {
  fr: {
    URGENT_REQUEST_SUBMITTED: { subject: 'Nouvelle demande urgente de {medicine} à examiner', body: "Une demande urgente d'initiation de {medicine} pour le patient {patient} attend l'avis du comité, au plus tard le {deadline}. Indication : {indication}." },
    URGENT_DEADLINE_NEAR: { subject: 'Demande urgente de {medicine} : échéance dans moins de 12 h', body: "La demande urgente d'initiation de {medicine} pour le patient {patient} doit être examinée par le comité avant le {deadline}." },
    REQUEST_DECIDED: { subject: "Demande d'initiation de {medicine} : {status}", body: "La demande d'initiation de {medicine} pour le patient {patient} est {status}." },
    GRANT_EXPIRING: { subject: 'Accord pour {medicine} bientôt expiré', body: "L'accord d'initiation de {medicine} pour le patient {patient} expire le {expiresOn} si le traitement n'a pas commencé." },
    URGENT_APPROVED_WITHOUT_CAPACITY: { subject: 'Demande urgente de {medicine} approuvée sans capacité', body: "Le comité a approuvé une demande urgente d'initiation de {medicine} pour le patient {patient} alors qu'il ne reste plus de capacité en {period} : elle est placée en tête de la file de la période suivante." },
    POLICY_CAP_ABOVE_SUSTAINABLE: { subject: 'Plafond de {medicine} au-dessus de ce que le stock permet', body: 'La version {version} de la politique de {medicine} (en vigueur le {effectiveFrom}) fixe {monthlyCap} initiations par mois, alors que le stock déclaré par le laboratoire (déclaration n° {supplyVersion}) en permet {sustainable} sans réduire aucune continuation.' },
    ORDER_FLAGGED: { subject: 'Commande de {medicine} signalée pour {period}', body: "La commande de {quantity} unités de {medicine} pour {period} de l'établissement {establishment} dépasse le besoin calculé ({need} unités) : elle attend votre décision." },
    ORDER_DECIDED: { subject: 'Commande de {medicine} pour {period} : {status}', body: 'Le laboratoire a traité la commande de {medicine} pour {period} : {status}, {quantity} unités.' },
    RECAP_MISSING: { subject: 'Récapitulatif de {medicine} pour {period} manquant', body: "Le récapitulatif mensuel de {medicine} pour {period} n'a pas été reçu à la date limite du {deadlineOn}." },
    RECONCILIATION_DISCREPANCIES: { subject: 'Rapprochement de {medicine} pour {period} : {count} écart(s)', body: 'Le rapprochement de {medicine} pour {period} relève {count} écart(s) à examiner.' },
    ACCESS_COUNTERSIGN_NEEDED: { subject: "Demande d'accès compassionnel à contresigner ({medicine})", body: "Une demande d'accès compassionnel à {medicine} pour le patient {patient} attend le contreseing de la pharmacie." },
    ACCESS_MEETING_NEEDED: { subject: "Demande d'accès compassionnel à {medicine} pour la réunion nationale", body: "La demande d'accès compassionnel à {medicine} pour le patient {patient} attend l'avis de la réunion nationale." },
    ACCESS_FORM_DUE: { subject: 'Fiche de suivi {form} à remplir ({medicine})', body: 'La fiche de suivi {form} de {medicine} pour le patient {patient} est attendue le {dueOn}.' },
    ACCESS_FORM_OVERDUE: { subject: 'Fiche de suivi {form} en retard ({medicine})', body: "La fiche de suivi {form} de {medicine} pour le patient {patient} était attendue le {dueOn} et n'a pas été reçue." },
  },
  en: {
    URGENT_REQUEST_SUBMITTED: { subject: 'New urgent {medicine} request to review', body: 'An urgent {medicine} initiation request for patient {patient} awaits the committee, by {deadline}. Indication: {indication}.' },
    URGENT_DEADLINE_NEAR: { subject: 'Urgent {medicine} request: deadline in less than 12 h', body: 'The urgent {medicine} initiation request for patient {patient} must be reviewed by the committee before {deadline}.' },
    REQUEST_DECIDED: { subject: '{medicine} initiation request: {status}', body: 'The {medicine} initiation request for patient {patient} is {status}.' },
    GRANT_EXPIRING: { subject: '{medicine} grant about to expire', body: 'The {medicine} initiation grant for patient {patient} expires on {expiresOn} unless the treatment has started.' },
    URGENT_APPROVED_WITHOUT_CAPACITY: { subject: 'Urgent {medicine} request approved without capacity', body: 'The committee approved an urgent {medicine} initiation request for patient {patient} with no capacity left in {period}: it heads the next period’s queue.' },
    POLICY_CAP_ABOVE_SUSTAINABLE: { subject: '{medicine} cap above what the stock sustains', body: 'Version {version} of the {medicine} policy (in force on {effectiveFrom}) sets {monthlyCap} initiations a month, while the stock the lab declared (declaration no. {supplyVersion}) sustains {sustainable} without cutting any continuation.' },
    ORDER_FLAGGED: { subject: '{medicine} order flagged for {period}', body: 'The order of {quantity} units of {medicine} for {period} from establishment {establishment} exceeds the computed need ({need} units): it awaits your decision.' },
    ORDER_DECIDED: { subject: '{medicine} order for {period}: {status}', body: 'The lab handled the {medicine} order for {period}: {status}, {quantity} units.' },
    RECAP_MISSING: { subject: '{medicine} recap for {period} missing', body: 'The monthly {medicine} recap for {period} was not received by the deadline of {deadlineOn}.' },
    RECONCILIATION_DISCREPANCIES: { subject: '{medicine} reconciliation for {period}: {count} discrepancy(ies)', body: 'The {medicine} reconciliation for {period} found {count} discrepancy(ies) to review.' },
    ACCESS_COUNTERSIGN_NEEDED: { subject: 'Compassionate-access request to countersign ({medicine})', body: 'A compassionate-access request for {medicine} for patient {patient} awaits the pharmacy’s countersignature.' },
    ACCESS_MEETING_NEEDED: { subject: 'Compassionate-access request for {medicine} for the national meeting', body: 'The compassionate-access request for {medicine} for patient {patient} awaits the national meeting.' },
    ACCESS_FORM_DUE: { subject: 'Follow-up form {form} due ({medicine})', body: 'Follow-up form {form} for {medicine} for patient {patient} is due on {dueOn}.' },
    ACCESS_FORM_OVERDUE: { subject: 'Follow-up form {form} overdue ({medicine})', body: 'Follow-up form {form} for {medicine} for patient {patient} was due on {dueOn} and has not been received.' },
  },
};

/** Words that params carry as codes (a request's status, an order's outcome), said in each language. */
const WORDS: Record<NotificationLang, Record<string, string>> = {
  fr: { granted: 'accordée', waitlisted: "mise en file d'attente", rejected: 'refusée', confirmed: 'confirmée', reduced: 'réduite', refused: 'refusée', expired: 'expirée' },
  en: { granted: 'granted', waitlisted: 'waitlisted', rejected: 'rejected', confirmed: 'confirmed', reduced: 'reduced', refused: 'refused', expired: 'expired' },
};

const LOCALES: Record<NotificationLang, string> = { fr: 'fr-FR', en: 'en-GB' };

function format(name: string, value: string | number | null | undefined, lang: NotificationLang): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 }).format(value);
  if ((name === 'deadline' || name.endsWith('At')) && !Number.isNaN(Date.parse(value))) {
    return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(value));
  }
  if (name.endsWith('On') && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
  }
  return WORDS[lang][value] ?? value;
}

function fill(template: string, params: NotificationParams, lang: NotificationLang): string {
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => format(name, params[name], lang));
}

/** The subject and body of a notification in a language (French unless the user chose English). */
export function render(code: NotificationCode, params: NotificationParams, lang: NotificationLang = 'fr'): Text {
  const text = TEXTS[lang][code];
  return { subject: fill(text.subject, params, lang), body: fill(text.body, params, lang) };
}

export function langOf(value: string | null | undefined): NotificationLang {
  return value === 'en' ? 'en' : 'fr';
}

/** The e-mail's plain text: the body, the link, and how to change one's choices. */
export function mailText(lang: NotificationLang, items: { subject: string; body: string; url: string }[], digestDate?: string): { subject: string; text: string } {
  const foot = lang === 'fr' ? 'Vos choix de notification : GET /api/v1/me ; boîte de réception : /notifications.' : 'Your notification choices: GET /api/v1/me; inbox: /notifications.';
  if (digestDate === undefined) {
    const [item] = items;
    if (!item) throw new RangeError('a mail needs one item');
    return { subject: `[Contingent] ${item.subject}`, text: `${item.body}\n\n${lang === 'fr' ? 'Pour agir' : 'To act'} : ${item.url}\n\n-- \n${foot}\n` };
  }
  const title = lang === 'fr' ? `Résumé quotidien du ${format('dayOn', digestDate, lang)} : ${items.length} notification(s)` : `Daily digest of ${format('dayOn', digestDate, lang)}: ${items.length} notification(s)`;
  const lines = items.map((item) => `- ${item.subject}\n  ${item.body}\n  ${item.url}`).join('\n\n');
  return { subject: `[Contingent] ${title}`, text: `${title}\n\n${lines}\n\n-- \n${foot}\n` };
}
