import { daysBetween } from '../../common/domain/period';
import { Capacity } from './capacity';
import { QueuedRequest, orderCentreQueue } from './decide';

/** What a centre's unused slot becomes at the period's end (SPEC §3 `unusedQuota`). */
export type UnusedQuotaPolicy = 'lapse' | 'carry';

/** Days before the period's end (the end day included) in which unused slots may be redistributed. */
export const DEFAULT_REDISTRIBUTION_WINDOW_DAYS = 7;

/**
 * Slots each centre carries into the next period (SPEC §3 `unusedQuota`): none under `lapse`;
 * under `carry`, every slot still unused (carried slots left unused carry again).
 * Sorted by FINESS; feed them to `computePeriodAllocation` as `carriedSlots`.
 */
export function slotsToCarry(
  centres: readonly { finess: string; slots: number; used: number }[],
  unusedQuota: UnusedQuotaPolicy,
): { finess: string; carriedSlots: number }[] {
  const sorted = [...centres].sort((a, b) => (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0));
  switch (unusedQuota) {
    case 'lapse':
      return sorted.map((c) => ({ finess: c.finess, carriedSlots: 0 }));
    case 'carry':
      return sorted.map((c) => ({ finess: c.finess, carriedSlots: Math.max(0, c.slots - c.used) }));
  }
}

export interface RedistributionCentre {
  finess: string;
  slots: number;
  used: number;
  creditAfter: number;
}

export interface RedistributionCandidate extends QueuedRequest {
  finess: string;
}

export interface SlotTransfer {
  requestId: string;
  fromFiness: string;
  toFiness: string;
}

/** Whether `today` is within the last `windowDays` days of the period (end day included). */
export function inRedistributionWindow(today: string, periodEnd: string, windowDays: number = DEFAULT_REDISTRIBUTION_WINDOW_DAYS): boolean {
  const left = daysBetween(today, periodEnd);
  return left >= 0 && left < windowDays;
}

/**
 * Redistributes unused slots to waiting quota requests of other centres in the period's last
 * `windowDays` days (SPEC §3 `redistribute`). One slot at a time: the receiving centre is the
 * one with the largest credit (each slot received lowers it by one for this ordering), ties the
 * oldest head request then the smaller FINESS; within a centre its own rank order holds (§4
 * rule 5). The giving centre is the one with the most unused slots, ties the smaller FINESS.
 * Only centres with no unused slot of their own receive. At most `quotaRoom` transfers (the
 * national capacity left to quota; `null` for no limit). Credits are not changed: the slot
 * stays counted as the giver's, which the service marks used.
 */
export function redistributeUnused(input: {
  centres: readonly RedistributionCentre[];
  waiting: readonly RedistributionCandidate[];
  today: string;
  periodEnd: string;
  windowDays?: number;
  quotaRoom?: Capacity;
}): SlotTransfer[] {
  if (!inRedistributionWindow(input.today, input.periodEnd, input.windowDays ?? DEFAULT_REDISTRIBUTION_WINDOW_DAYS)) return [];
  const byFiness = new Map(input.centres.map((c) => [c.finess, c]));
  const donors = input.centres
    .filter((c) => c.slots > c.used)
    .map((c) => ({ finess: c.finess, unused: c.slots - c.used }));
  const grouped = new Map<string, RedistributionCandidate[]>();
  for (const w of input.waiting) {
    const own = byFiness.get(w.finess);
    if (own && own.slots > own.used) continue;
    grouped.set(w.finess, [...(grouped.get(w.finess) ?? []), w]);
  }
  const recipients = [...grouped].map(([finess, q]) => ({ finess, queue: orderCentreQueue(q), credit: byFiness.get(finess)?.creditAfter ?? 0 }));
  let room = input.quotaRoom ?? null;
  const transfers: SlotTransfer[] = [];
  for (;;) {
    if (room !== null && room <= 0) break;
    let donor: (typeof donors)[number] | null = null;
    for (const d of donors) if (d.unused > 0 && (!donor || d.unused > donor.unused || (d.unused === donor.unused && d.finess < donor.finess))) donor = d;
    if (!donor) break;
    let to: (typeof recipients)[number] | null = null;
    for (const r of recipients) {
      const head = r.queue[0];
      if (!head) continue;
      if (!to) {
        to = r;
        continue;
      }
      const toHead = to.queue[0]!;
      const dc = Math.round((r.credit - to.credit) * 1e9);
      const older = head.submittedAt.getTime() - toHead.submittedAt.getTime();
      if (dc > 0 || (dc === 0 && (older < 0 || (older === 0 && r.finess < to.finess)))) to = r;
    }
    if (!to) break;
    const request = to.queue.shift()!;
    transfers.push({ requestId: request.id, fromFiness: donor.finess, toFiness: to.finess });
    donor.unused -= 1;
    to.credit -= 1;
    if (room !== null) room -= 1;
  }
  return transfers;
}
