import { createHash } from 'node:crypto';
import type { NotificationCode, NotificationEvent, NotificationParams } from '../../common/domain/notification-events';

export type DeliveryMode = 'immediate' | 'digest' | 'off';
export const DELIVERY_MODES: readonly DeliveryMode[] = ['immediate', 'digest', 'off'];

/** A user who may receive a notification. */
export interface Candidate {
  id: string;
  username?: string;
  role: string;
  establishment: string | null;
}

/** Who is told of each kind (issue 19, scoped as SPEC §1). */
export type Audience = 'committee-other-establishments' | 'prescriber-and-pharmacists' | 'pharmacists' | 'agency' | 'lab' | 'pharmacists-or-lab';

export const AUDIENCE: Record<NotificationCode, Audience> = {
  URGENT_REQUEST_SUBMITTED: 'committee-other-establishments',
  URGENT_DEADLINE_NEAR: 'committee-other-establishments',
  REQUEST_DECIDED: 'prescriber-and-pharmacists',
  GRANT_EXPIRING: 'prescriber-and-pharmacists',
  URGENT_APPROVED_WITHOUT_CAPACITY: 'agency',
  POLICY_CAP_ABOVE_SUSTAINABLE: 'agency',
  ORDER_FLAGGED: 'lab',
  ORDER_DECIDED: 'pharmacists',
  RECAP_MISSING: 'pharmacists',
  RECONCILIATION_DISCREPANCIES: 'pharmacists-or-lab',
  ACCESS_COUNTERSIGN_NEEDED: 'pharmacists',
  ACCESS_MEETING_NEEDED: 'committee-other-establishments',
  ACCESS_FORM_DUE: 'prescriber-and-pharmacists',
  ACCESS_FORM_OVERDUE: 'prescriber-and-pharmacists',
};

/** The committee's urgent requests cannot be switched off (issue 19). */
export function isLocked(code: NotificationCode, role: string): boolean {
  return role === 'committee' && (code === 'URGENT_REQUEST_SUBMITTED' || code === 'URGENT_DEADLINE_NEAR');
}

/** The mode in force: the stored choice, immediate by default; a locked kind switched off still comes immediately. */
export function effectiveMode(code: NotificationCode, role: string, stored: DeliveryMode | undefined): DeliveryMode {
  const mode = stored ?? 'immediate';
  return mode === 'off' && isLocked(code, role) ? 'immediate' : mode;
}

/** The kinds a role can receive (its preferences list). */
export function codesFor(role: string): NotificationCode[] {
  return (Object.keys(AUDIENCE) as NotificationCode[]).filter((code) => rolesOf(AUDIENCE[code]).includes(role));
}

function rolesOf(audience: Audience): string[] {
  switch (audience) {
    case 'committee-other-establishments':
      return ['committee'];
    case 'prescriber-and-pharmacists':
      return ['prescriber', 'pharmacist'];
    case 'pharmacists':
      return ['pharmacist'];
    case 'agency':
      return ['agency'];
    case 'lab':
      return ['lab'];
    case 'pharmacists-or-lab':
      return ['pharmacist', 'lab'];
  }
}

/**
 * The recipients of an event among the users (SPEC §1 scoping): committee members never hear of
 * their own establishment's requests; establishment-bound users only of their establishment's.
 */
export function recipientsOf(event: NotificationEvent, users: readonly Candidate[]): Candidate[] {
  const finess = event.establishment ?? null;
  const chosen = users.filter((user) => {
    switch (AUDIENCE[event.code]) {
      case 'committee-other-establishments':
        return user.role === 'committee' && user.establishment !== finess;
      case 'prescriber-and-pharmacists':
        return ((user.id === event.userId || (event.username && user.username === event.username)) && user.role === 'prescriber' && user.establishment === finess) || (user.role === 'pharmacist' && finess !== null && user.establishment === finess);
      case 'pharmacists':
        return user.role === 'pharmacist' && finess !== null && user.establishment === finess;
      case 'agency':
        return user.role === 'agency';
      case 'lab':
        return user.role === 'lab';
      case 'pharmacists-or-lab':
        return finess === null ? user.role === 'lab' : user.role === 'pharmacist' && user.establishment === finess;
    }
  });
  return [...new Map(chosen.map((user) => [user.id, user])).values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The event's key: the same code and subject is one event. */
export function eventKeyOf(event: Pick<NotificationEvent, 'code' | 'subject'>): string {
  return `${event.code}:${event.subject}`.slice(0, 200);
}

/** One e-mail per event and recipient: the delivery's unique key. */
export function deliveryKeyOf(eventKey: string, userId: string): string {
  return `${eventKey}|${userId}|email`;
}

export function digestKeyOf(userId: string, date: string): string {
  return `DIGEST:${date}|${userId}|email`;
}

/**
 * The Message-ID of a delivery, derived from its key: a second copy sent after a worker died
 * between the server's acceptance and our record of it carries the same id, so receivers can drop it (RFC 5322 §3.6.4).
 */
export function messageIdOf(key: string, domain: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}

/** True when a text holds 13 or more digits in a row, spaces or dots between them aside (a NIR/INS has 13 or 15): no notification may carry one. */
export function looksLikeNir(text: string): boolean {
  return /\d{13,}/.test(text.replace(/(\d)[\s.]+(?=\d)/g, '$1'));
}

/** Params as stored: any value that could be a patient identifier is blanked (names come from pseudonyms only). */
export function scrubParams(params: NotificationParams): NotificationParams {
  const out: NotificationParams = {};
  for (const [name, value] of Object.entries(params)) out[name] = typeof value === 'string' && looksLikeNir(value) ? '—' : value;
  return out;
}

/** Delay before a delivery's next attempt after `attempts` failed ones: 1, 2, 4… minutes, at most 6 hours. */
export function retryDelayMs(attempts: number, baseMs = 60_000): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be 1 or more, got ${attempts}`);
  return Math.min(baseMs * 2 ** (attempts - 1), 6 * 3600_000);
}

/** Attempts after which a delivery is given up (failed). */
export const MAX_DELIVERY_ATTEMPTS = 6;

/** Where the action is, for each kind (a page of the app; access requests have only the API resource). */
export function linkOf(code: NotificationCode, params: NotificationParams): string {
  const id = encodeURIComponent(String(params.requestId ?? params.orderId ?? ''));
  switch (code) {
    case 'URGENT_REQUEST_SUBMITTED':
    case 'URGENT_DEADLINE_NEAR':
      return '/comite';
    case 'REQUEST_DECIDED':
    case 'GRANT_EXPIRING':
      return '/etablissement/demandes';
    case 'URGENT_APPROVED_WITHOUT_CAPACITY':
      return '/agence/allocations';
    case 'POLICY_CAP_ABOVE_SUSTAINABLE':
      return '/agence/stock';
    case 'ORDER_FLAGGED':
      return '/laboratoire/commandes';
    case 'ORDER_DECIDED':
      return '/etablissement/commandes';
    case 'RECAP_MISSING':
      return '/etablissement/recapitulatifs';
    case 'RECONCILIATION_DISCREPANCIES':
      return params.establishment ? '/etablissement/ecarts' : '/laboratoire/rapprochement';
    case 'ACCESS_COUNTERSIGN_NEEDED':
    case 'ACCESS_MEETING_NEEDED':
    case 'ACCESS_FORM_DUE':
    case 'ACCESS_FORM_OVERDUE':
      return `/api/v1/access-requests/${id}`;
  }
}
