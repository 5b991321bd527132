import { periodBounds } from '../../common/domain/period';

/** The date whose policy governs a period: today within it, its first day ahead of it, its last day after it. */
export function governingDate(period: string, today: string): string {
  const { first, last } = periodBounds(period);
  if (today < first) return first;
  if (today > last) return last;
  return today;
}
