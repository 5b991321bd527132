/** Notification events (issue 19): the kinds, the event shape, and builders the emitting modules use; pure. */

/** The kinds of notification; each has its recipients, its text (from the code and params) and its link. */
export const NOTIFICATION_CODES = [
  'URGENT_REQUEST_SUBMITTED',
  'URGENT_DEADLINE_NEAR',
  'REQUEST_DECIDED',
  'GRANT_EXPIRING',
  'URGENT_APPROVED_WITHOUT_CAPACITY',
  'POLICY_CAP_ABOVE_SUSTAINABLE',
  'ORDER_FLAGGED',
  'ORDER_DECIDED',
  'RECAP_MISSING',
  'RECONCILIATION_DISCREPANCIES',
  'ACCESS_COUNTERSIGN_NEEDED',
  'ACCESS_MEETING_NEEDED',
  'ACCESS_FORM_DUE',
  'ACCESS_FORM_OVERDUE',
] as const;
export type NotificationCode = (typeof NOTIFICATION_CODES)[number];

export type NotificationParams = Record<string, string | number | null>;

export interface NotificationEvent {
  code: NotificationCode;
  /**
   * What the event is about, e.g. a request id and its new status: the same code and subject again
   * is the same event, recorded and sent once per recipient.
   */
  subject: string;
  /** The establishment concerned (FINESS), when there is one. */
  establishment?: string | null;
  /** The user the event concerns directly (a request's prescriber), when there is one. */
  userId?: string | null;
  /** Or that user's username (an access request records its prescriber by username). */
  username?: string | null;
  /** What the text is made of: pseudonyms, ids, codes, dates, numbers; never a patient identifier. */
  params: NotificationParams;
}

/** A published cap above what the declared stock sustains (SPEC §8b): once per policy version and stock declaration. */
export function policyCapEvent(p: { medicine: string; version: number; monthlyCap: number; sustainable: number; supplyVersion: number; effectiveFrom: string }): NotificationEvent {
  return {
    code: 'POLICY_CAP_ABOVE_SUSTAINABLE', subject: `${p.medicine}:v${p.version}:supply-v${p.supplyVersion}`, establishment: null,
    params: { medicine: p.medicine, version: p.version, monthlyCap: p.monthlyCap, sustainable: p.sustainable, supplyVersion: p.supplyVersion, effectiveFrom: p.effectiveFrom },
  };
}

/** The fields of an initiation request an event names (structural: the allocation entity fits). */
export interface RequestFacts {
  id: string;
  medicine: string;
  indication: string;
  patient: string;
  establishment: string;
  requestedBy: string;
  status: string;
  reasonCode: string;
  deadline: string | null;
  period: string;
}

/** An event about an initiation request; the subject names the request and its status, so each decision is one event. */
export function requestEvent(code: NotificationCode, r: RequestFacts): NotificationEvent {
  return {
    code, subject: `${r.id}:${r.status}`, establishment: r.establishment, userId: r.requestedBy,
    params: { requestId: r.id, medicine: r.medicine, indication: r.indication, patient: r.patient, status: r.status, reason: r.reasonCode, deadline: r.deadline, period: r.period },
  };
}

/** The fields of an order an event names (structural: the orders entity fits). */
export interface OrderFacts {
  id: string;
  medicine: string;
  period: string;
  establishment: string;
  status: string;
  quantity: number;
  need: number;
}

export function orderEvent(code: NotificationCode, o: OrderFacts, quantity: number = o.quantity): NotificationEvent {
  return { code, subject: `${o.id}:${o.status}`, establishment: o.establishment, params: { orderId: o.id, medicine: o.medicine, period: o.period, status: o.status, quantity, need: o.need } };
}

/**
 * The events of a reconciliation with discrepancies: one for the lab (all of them), one per
 * establishment concerned (its own). The subject carries the count, so a re-run finding the same is not notified again.
 */
export function reconciliationEvents(medicine: string, period: string, discrepancies: readonly { establishment: string | null }[]): NotificationEvent[] {
  const counts = new Map<string, number>();
  for (const d of discrepancies) if (d.establishment) counts.set(d.establishment, (counts.get(d.establishment) ?? 0) + 1);
  return reconciliationEventsFromCounts(medicine, period, discrepancies.length, counts);
}

/** The same events from counts (a set-based reconciliation has its rows in the database, not in memory). */
export function reconciliationEventsFromCounts(medicine: string, period: string, total: number, byEstablishment: ReadonlyMap<string, number>): NotificationEvent[] {
  if (total === 0) return [];
  return [
    { code: 'RECONCILIATION_DISCREPANCIES', subject: `${medicine}:${period}:all:${total}`, establishment: null, params: { medicine, period, count: total } },
    ...[...byEstablishment].sort(([a], [b]) => a.localeCompare(b)).map(([finess, count]): NotificationEvent => ({ code: 'RECONCILIATION_DISCREPANCIES', subject: `${medicine}:${period}:${finess}:${count}`, establishment: finess, params: { medicine, period, count } })),
  ];
}

/** The fields of a compassionate-access request an event names (structural: the access entity fits). */
export interface AccessFacts {
  id: string;
  medicineCode: string;
  patient: string;
  establishment: string;
  /** The prescriber's username. */
  prescriber: string;
  status: string;
}

export function accessEvent(code: NotificationCode, r: AccessFacts, extra: NotificationParams = {}): NotificationEvent {
  return { code, subject: `${r.id}:${r.status}${extra.form ? `:${String(extra.form)}` : ''}`, establishment: r.establishment, username: r.prescriber, params: { requestId: r.id, medicine: r.medicineCode, patient: r.patient, ...extra } };
}
