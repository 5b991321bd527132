import { DateTime } from 'luxon';

/** Periods are calendar months in Europe/Paris (SPEC §2). */
export const ZONE = 'Europe/Paris';

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isPeriod(value: string): boolean {
  return PERIOD_RE.test(value);
}

export function isIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  return DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** Calendar dates in Europe/Paris: one formatter for the process (building one per call costs more than the formatting). */
const PARIS_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The period (YYYY-MM) that an instant falls in, in Europe/Paris. */
export function periodOf(instant: Date): string {
  return dateOf(instant).slice(0, 7);
}

/** The Paris day last asked for: its date and the UTC instants it starts and ends (ms), as the next call likely asks the same. */
let lastDay = { date: '', from: 0, to: 0 };

/**
 * The calendar date (YYYY-MM-DD) of an instant, in Europe/Paris. A time-zone formatting costs tens of microseconds and
 * a decision asks for the date of the same instant several times, so the day last found is kept with its bounds (a
 * day of 23 or 25 hours when the offset changes) and an instant inside it is answered without formatting.
 */
export function dateOf(instant: Date): string {
  const t = instant.getTime();
  const day = lastDay;
  if (t >= day.from && t < day.to) return day.date;
  const date = formatParisDate(instant);
  if (Number.isNaN(t)) return date;
  const start = DateTime.fromISO(date, { zone: ZONE });
  lastDay = { date, from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
  return date;
}

function formatParisDate(instant: Date): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of PARIS_DATE.formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** The period of a calendar date (YYYY-MM-DD). */
export function periodOfDate(date: string): string {
  return date.slice(0, 7);
}

/** The period `n` months after `period` (before it when `n` is negative): plain month arithmetic, no calendar needed. */
export function addPeriods(period: string, n: number): string {
  const months = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + n;
  const year = Math.floor(months / 12);
  const month = months - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}`;
}

export function comparePeriods(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every period from `from` to `to`, both included. */
export function periodRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let p = from; p <= to; p = addPeriods(p, 1)) out.push(p);
  return out;
}

/** First and last calendar dates of a period. */
export function periodBounds(period: string): { first: string; last: string } {
  const start = DateTime.fromFormat(period, 'yyyy-MM', { zone: ZONE });
  return { first: start.toFormat('yyyy-MM-dd'), last: start.endOf('month').toFormat('yyyy-MM-dd') };
}

/** The instant a period starts (00:00 Europe/Paris), as a Date. */
export function periodStart(period: string): Date {
  return DateTime.fromFormat(period, 'yyyy-MM', { zone: ZONE }).toJSDate();
}

/** Adds days to a calendar date. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toFormat('yyyy-MM-dd');
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round(DateTime.fromISO(b, { zone: 'utc' }).diff(DateTime.fromISO(a, { zone: 'utc' }), 'days').days);
}
