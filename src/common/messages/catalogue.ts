import { MessageFormatter, MessageLang, formatterFor } from './formatter';

/** Names shown for codes inside a sentence (an indication's label, an establishment's name); the code itself when unknown. */
export interface MessageContext {
  indication?: (code: string) => string;
  establishment?: (finess: string) => string;
  /** A stop reason's label (progression, adverse_event…). */
  stopReason?: (code: string) => string;
}

type Template<P> = (p: P, f: MessageFormatter, c: Required<MessageContext>) => string;

/** One message: its typed parameters and a template per language. */
export interface MessageDef<P> {
  fr: Template<P>;
  en: Template<P>;
}

const message = <P,>(def: MessageDef<P>): MessageDef<P> => def;

const VIAL = { fr: { one: 'flacon', other: 'flacons' }, en: { one: 'vial', other: 'vials' } } as const;
const DAY = { fr: { one: 'jour', other: 'jours' }, en: { one: 'day', other: 'days' } } as const;
const ADMINISTRATION = { fr: { one: 'administration', other: 'administrations' }, en: { one: 'administration', other: 'administrations' } } as const;
const PATIENT = { fr: { one: 'patient', other: 'patients' }, en: { one: 'patient', other: 'patients' } } as const;
const ORDER = { fr: { one: 'commande', other: 'commandes' }, en: { one: 'order', other: 'orders' } } as const;
const VOTE = { fr: { one: 'vote', other: 'votes' }, en: { one: 'vote', other: 'votes' } } as const;

const capacityFr = (capacity: number | null, f: MessageFormatter): string => (capacity === null ? 'sans limite' : f.n(capacity));
const capacityEn = (capacity: number | null, f: MessageFormatter): string => (capacity === null ? 'no limit' : f.n(capacity));

/**
 * Every sentence a user reads that a service states with a code: decision reasons of initiation
 * requests, order flags, reconciliation discrepancies (`discrepancy.<KIND>`) and problem details.
 * Parameters are typed per code; the renderer formats numbers, dates, periods and plurals with Intl.
 */
export const MESSAGES = {
  // Decision reasons of initiation requests (allocation).
  GRANTED_UNRESTRICTED: message<{ policyVersion: number }>({
    fr: (p) => `accordée : la version ${p.policyVersion} de la politique ne limite pas les initiations`,
    en: (p) => `granted: policy version ${p.policyVersion} puts no limit on initiations`,
  }),
  GRANTED_OPEN: message<{ indication: string }>({
    fr: (p, _f, c) => `accordée : l’indication « ${c.indication(p.indication)} » est ouverte, sans autre restriction que la déclaration`,
    en: (p, _f, c) => `granted: indication ${c.indication(p.indication)} is open, no restriction beyond declaration`,
  }),
  GRANTED_URGENT: message<{ period: string; grantedAfter: number; capacity: number | null }>({
    fr: (p, f) => `accordée après avis favorable du comité : initiation nationale ${f.n(p.grantedAfter)} sur ${capacityFr(p.capacity, f)} pour ${f.period(p.period)}`,
    en: (p, f) => `granted after committee approval: national initiation ${f.n(p.grantedAfter)} of ${capacityEn(p.capacity, f)} for ${p.period}`,
  }),
  GRANTED_QUOTA: message<{ period: string; used: number; slots: number }>({
    fr: (p, f) => `accordée : place ${f.n(p.used)} sur ${f.n(p.slots)} du quota du centre pour ${f.period(p.period)}`,
    en: (p, f) => `granted: centre quota slot ${f.n(p.used)} of ${f.n(p.slots)} for ${p.period}`,
  }),
  GRANTED_REDISTRIBUTED: message<{ period: string; from: string }>({
    fr: (p, f, c) => `accordée : une place inutilisée de ${f.period(p.period)} du centre ${c.establishment(p.from)} redistribuée en fin de période`,
    en: (p, _f, c) => `granted: an unused ${p.period} slot of centre ${c.establishment(p.from)} redistributed in the period's last days`,
  }),
  PENDING_COMMITTEE_REVIEW: message<{ votesRequired: number; deadline: string }>({
    fr: (p, f) => `en attente du comité d’experts : ${f.count(p.votesRequired, VOTE.fr)} ${f.word(p.votesRequired, { one: 'nécessaire', other: 'nécessaires' })} avant le ${f.instant(p.deadline)}`,
    en: (p, f) => `awaiting the expert committee: ${f.count(p.votesRequired, VOTE.en)} needed by ${f.instant(p.deadline)}`,
  }),
  COMMITTEE_REJECTED: message<{ rejects: number; votesRequired: number }>({
    fr: (p, f) => `refusée par le comité d’experts : ${f.count(p.rejects, { one: 'vote défavorable', other: 'votes défavorables' })} sur ${f.n(p.votesRequired)} ${f.word(p.votesRequired, { one: 'requis', other: 'requis' })}`,
    en: (p, f) => `rejected by the expert committee: ${f.count(p.rejects, { one: 'reject vote', other: 'reject votes' })} of ${f.n(p.votesRequired)} needed`,
  }),
  CENTRE_QUOTA_EXHAUSTED: message<{ period: string; used: number; slots: number; nextSlotPeriod: string | null }>({
    fr: (p, f) =>
      `quota du centre pour ${f.period(p.period)} utilisé : ${f.n(p.used)} sur ${f.n(p.slots)} ; ` +
      (p.nextSlotPeriod === null ? 'aucune place attendue tant que le centre ne suit aucun patient' : `prochaine place attendue en ${f.period(p.nextSlotPeriod)}`),
    en: (p, f) =>
      `centre quota for ${p.period} used: ${f.n(p.used)} of ${f.n(p.slots)}; ` +
      (p.nextSlotPeriod === null ? 'no slot expected while the centre follows no patients' : `next slot expected ${p.nextSlotPeriod}`),
  }),
  QUOTA_POOL_EXHAUSTED: message<{ period: string; granted: number; quotaPool: number }>({
    fr: (p, f) => `réserve nationale de quotas de ${f.period(p.period)} utilisée : ${f.n(p.granted)} sur ${f.n(p.quotaPool)} ; la demande attend la période suivante`,
    en: (p, f) => `national quota pool for ${p.period} used: ${f.n(p.granted)} of ${f.n(p.quotaPool)}; the request waits for the next period`,
  }),
  NATIONAL_CAPACITY_EXHAUSTED: message<{ period: string; granted: number; capacity: number; nextPeriod: string }>({
    fr: (p, f) => `capacité nationale de ${f.period(p.period)} utilisée : ${f.n(p.granted)} sur ${f.n(p.capacity)} ; la demande passe en tête de la file de ${f.period(p.nextPeriod)}`,
    en: (p, f) => `national capacity for ${p.period} used: ${f.n(p.granted)} of ${f.n(p.capacity)}; the request heads the ${p.nextPeriod} queue`,
  }),
  WITHDRAWN: message<{ date: string }>({
    fr: (p, f) => `retirée le ${f.date(p.date)}`,
    en: (p) => `withdrawn on ${p.date}`,
  }),
  GRANT_EXPIRED: message<{ grantedOn: string; startWithinDays: number }>({
    fr: (p, f) => `accord du ${f.date(p.grantedOn)} expiré : traitement non commencé dans les ${f.count(p.startWithinDays, DAY.fr)}`,
    en: (p) => `grant of ${p.grantedOn} expired: not started within ${p.startWithinDays} days`,
  }),

  // Order flags (orders): line numbers are 1-based.
  ORDER_EXCEEDS_NEED: message<{ quantity: number; need: number; tolerancePct: number; tolerated: number }>({
    fr: (p, f) =>
      `${f.count(p.quantity, { one: 'flacon commandé', other: 'flacons commandés' })} pour un besoin de ${f.count(p.need, VIAL.fr)} ` +
      `(tolérance ${f.d(p.tolerancePct)} %${p.tolerancePct === 0 ? '' : ` : jusqu’à ${f.count(p.tolerated, VIAL.fr)}`}) : ` +
      `${f.count(p.quantity - p.need, VIAL.fr)} au-dessus du besoin`,
    en: (p, f) =>
      `ordered ${f.count(p.quantity, VIAL.en)}, need ${f.n(p.need)} (${p.tolerancePct === 0 ? 'tolerance 0%' : `tolerance ${f.d(p.tolerancePct)}%: up to ${f.count(p.tolerated, VIAL.en)}`}): ` +
      `${f.count(p.quantity - p.need, VIAL.en)} above need`,
  }),
  PATIENT_STOPPED: message<{ line: number; patient: string; stopDate: string | null; stopReason: string | null; period: string }>({
    fr: (p, f, c) =>
      `ligne ${f.n(p.line)} : le traitement du patient ${p.patient} ` +
      (p.stopReason === 'transfer' ? `a été transféré vers un autre établissement le ${f.date(p.stopDate)}` : `a été arrêté${p.stopReason ? ` (${c.stopReason(p.stopReason)})` : ''} le ${f.date(p.stopDate)}`) +
      `, avant ${f.period(p.period)} : 0 flacon`,
    en: (p, f, c) =>
      `line ${f.n(p.line)}: patient ${p.patient} ` +
      (p.stopReason === 'transfer' ? `left this establishment (transfer) on ${f.date(p.stopDate)}` : `stopped${p.stopReason ? ` (${c.stopReason(p.stopReason)})` : ''} on ${f.date(p.stopDate)}`) +
      `, before ${f.period(p.period)}: 0 vials`,
  }),
  LINE_WITHOUT_NEED: message<{ line: number; patient: string; period: string }>({
    fr: (p, f) => `ligne ${f.n(p.line)} : aucune administration prévue en ${f.period(p.period)} pour le patient ${p.patient} : 0 flacon`,
    en: (p, f) => `line ${f.n(p.line)}: patient ${p.patient} has no administration planned in ${f.period(p.period)}: 0 vials`,
  }),

  // Reconciliation discrepancies (`discrepancy.<KIND>`): the figures stored with each row (reconciliation_discrepancies.params) and the run's period.
  'discrepancy.UNDECLARED_PATIENT': message<{ period: string; patient: string; administrations: number; vials: number; declaredAt: string[]; laterStart: string | null }>({
    fr: (p, f, c) =>
      `${p.patient} figure dans le récapitulatif de ${f.period(p.period)} (${f.count(p.administrations, ADMINISTRATION.fr)}, ${f.count(p.vials, VIAL.fr)}) ` +
      `mais aucun traitement de ce patient n’est déclaré ici sur la période : ` +
      (p.declaredAt.length > 0
        ? `son traitement est déclaré ${p.declaredAt.length === 1 ? 'dans l’établissement' : 'dans les établissements'} ${f.list(p.declaredAt.map(c.establishment))}`
        : p.laterStart !== null
          ? `son traitement commence le ${f.date(p.laterStart)}, après la période`
          : 'aucun traitement de ce patient n’est déclaré') +
      '.',
    en: (p, f, c) =>
      `${p.patient} is in the ${p.period} recap (${f.count(p.administrations, ADMINISTRATION.en)}, ${f.count(p.vials, VIAL.en)}) but no treatment of it is declared here in that period: ` +
      (p.declaredAt.length > 0
        ? `its treatment is declared at ${p.declaredAt.map(c.establishment).join(', ')}`
        : p.laterStart !== null
          ? `its treatment starts on ${p.laterStart}, after the period`
          : 'no treatment of this patient is declared') +
      '.',
  }),
  'discrepancy.DUPLICATE_ACROSS_ESTABLISHMENTS': message<{ period: string; patient: string; recaps: { establishment: string; vials: number }[] }>({
    fr: (p, f, c) =>
      `${p.patient} figure dans les récapitulatifs de ${f.period(p.period)} de ${f.n(p.recaps.length)} établissements ` +
      `(${p.recaps.map((r) => `${c.establishment(r.establishment)} : ${f.count(r.vials, VIAL.fr)}`).join(', ')}) ` +
      `sans transfert déclaré qui place son traitement dans chacun d’eux sur la période.`,
    en: (p, f, c) =>
      `${p.patient} is in the ${p.period} recaps of ${f.n(p.recaps.length)} establishments ` +
      `(${p.recaps.map((r) => `${c.establishment(r.establishment)}: ${f.count(r.vials, VIAL.en)}`).join(', ')}) ` +
      `with no declared transfer placing its treatment at each of them in the period.`,
  }),
  'discrepancy.MISSING_FROM_RECAP': message<{ period: string; patient: string; from: string; listed: number }>({
    fr: (p, f) =>
      `${p.patient} est déclaré en traitement ici depuis le ${f.date(p.from)} sans arrêt ni transfert avant la fin de ${f.period(p.period)}, ` +
      `mais ne figure pas dans le récapitulatif de ${f.period(p.period)} (${f.count(p.listed, PATIENT.fr)} ${f.word(p.listed, { one: 'listé', other: 'listés' })}).`,
    en: (p, f) =>
      `${p.patient} is declared on treatment here from ${p.from} with no stop or transfer before the end of ${p.period}, ` +
      `but is not in the ${p.period} recap (${f.count(p.listed, PATIENT.en)} listed).`,
  }),
  'discrepancy.ORDER_EXCEEDS_NEED': message<{ period: string; orders: number; vials: number; base: 'recap' | 'need'; baseVials: number; tolerancePct: number; limitVials: number }>({
    fr: (p, f) =>
      `${f.count(p.orders, ORDER.fr)} pour ${f.period(p.period)}, ${f.count(p.vials, VIAL.fr)} au total, ` +
      `au-delà ${p.base === 'recap' ? `des ${f.count(p.baseVials, VIAL.fr)} du récapitulatif` : `des ${f.count(p.baseVials, VIAL.fr)} de leur besoin calculé`} ` +
      `plus la tolérance de ${f.d(p.tolerancePct)} % (au plus ${f.count(p.limitVials, VIAL.fr)}).`,
    en: (p, f) =>
      `${f.count(p.orders, ORDER.en)} for ${p.period} total ${f.count(p.vials, VIAL.en)}, ` +
      `above the ${f.count(p.baseVials, VIAL.en)} of ${p.base === 'recap' ? 'the recap' : 'their computed need'} plus the ${p.tolerancePct}% tolerance (at most ${f.count(p.limitVials, VIAL.en)}).`,
  }),
  'discrepancy.ORDER_WITHOUT_RECAP': message<{ period: string; orders: number; vials: number }>({
    fr: (p, f) => `${f.count(p.orders, ORDER.fr)} pour ${f.period(p.period)}, ${f.count(p.vials, VIAL.fr)} au total, mais aucun récapitulatif n’a été reçu pour la période.`,
    en: (p, f) => `${f.count(p.orders, ORDER.en)} for ${p.period} total ${f.count(p.vials, VIAL.en)}, but no recap was received for the period.`,
  }),
  'discrepancy.STOPPED_BUT_ORDERED': message<{ period: string; patient: string; stopDate: string; stoppedAt: string; recapVials: number | null; orderVials: number }>({
    fr: (p, f, c) => {
      const where = [
        p.recapVials === null ? null : `le récapitulatif de ${f.period(p.period)} (${f.count(p.recapVials, VIAL.fr)})`,
        p.orderVials === 0 && p.recapVials !== null ? null : `les commandes de ${f.period(p.period)} (${f.count(p.orderVials, VIAL.fr)})`,
      ].filter((w): w is string => w !== null);
      return `Le traitement de ${p.patient} a été arrêté le ${f.date(p.stopDate)} (dans l’établissement ${c.establishment(p.stoppedAt)}), avant ${f.period(p.period)}, et pourtant il figure dans ${where.join(' et dans ')}.`;
    },
    en: (p, f, c) => {
      const where = [
        p.recapVials === null ? null : `the ${p.period} recap (${f.count(p.recapVials, VIAL.en)})`,
        p.orderVials === 0 && p.recapVials !== null ? null : `the ${p.period} orders (${f.count(p.orderVials, VIAL.en)})`,
      ].filter((w): w is string => w !== null);
      return `${p.patient}'s treatment stopped on ${p.stopDate} (at ${c.establishment(p.stoppedAt)}), before ${p.period}, yet it is in ${where.join(' and ')}.`;
    },
  }),
  'discrepancy.RECAP_MISSING': message<{ period: string; running: number }>({
    fr: (p, f) =>
      p.running > 0
        ? `Aucun récapitulatif de ${f.period(p.period)} n’a été reçu alors que ${f.count(p.running, PATIENT.fr)} ${p.running === 1 ? 'est déclaré' : 'sont déclarés'} en traitement ici à la fin de la période.`
        : `Aucun récapitulatif de ${f.period(p.period)} n’a été reçu alors que cet établissement doit en envoyer un.`,
    en: (p, f) =>
      p.running > 0
        ? `No ${p.period} recap was received although ${f.count(p.running, PATIENT.en)} ${p.running === 1 ? 'is' : 'are'} declared on treatment here at the end of the period.`
        : `No ${p.period} recap was received although this establishment is expected to send one.`,
  }),
} as const;

export type MessageCode = keyof typeof MESSAGES;
export type MessageParams<C extends MessageCode> = Parameters<(typeof MESSAGES)[C]['fr']>[0];

export function isMessageCode(code: unknown): code is MessageCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

const identity = (s: string): string => s;

/** Renders a typed message in a language. */
export function render<C extends MessageCode>(code: C, params: MessageParams<C>, lang: MessageLang, context: MessageContext = {}): string {
  const def = MESSAGES[code] as MessageDef<MessageParams<C>>;
  return def[lang](params, formatterFor(lang), { indication: context.indication ?? identity, establishment: context.establishment ?? identity, stopReason: context.stopReason ?? identity });
}

/**
 * Renders a code and parameters read back from storage or a response (untyped): null when the code
 * is unknown or the parameters do not fit its template (the caller keeps the service's sentence).
 */
export function renderStored(code: unknown, params: unknown, lang: MessageLang, context: MessageContext = {}): string | null {
  if (!isMessageCode(code) || params === null || typeof params !== 'object') return null;
  try {
    const out = render(code, params as never, lang, context);
    return /\bundefined\b|\bNaN\b|\[object Object\]/.test(out) ? null : out;
  } catch {
    return null;
  }
}
