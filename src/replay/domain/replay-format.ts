import { ReplayRow } from './replay-model';

export type ReplayFormat = 'table' | 'csv' | 'json';

export const REPLAY_FORMATS: readonly ReplayFormat[] = ['table', 'csv', 'json'];

const CSV_COLUMNS = [
  'period', 'policyVersion', 'policyVersions', 'mode', 'capacity', 'urgentAsked', 'urgentGranted', 'quotaAsked', 'quotaGranted',
  'refused', 'waitlisted', 'waitlistedUrgent', 'stops', 'extraSupply', 'largestDeviation',
] as const satisfies readonly (keyof ReplayRow)[];

function deviation(d: number): string {
  return d.toFixed(3);
}

/** The period table (SPEC §12) in English, one row per period, numbers right-aligned. */
export function formatTable(rows: readonly ReplayRow[]): string {
  const header = ['period', 'version', 'mode', 'capacity', 'urgent asked', 'urgent granted', 'quota asked', 'quota granted', 'refused', 'waitlisted', 'stops', 'extra', 'max deviation'];
  const body = rows.map((r) => [
    r.period,
    r.policyVersions.join('→'),
    r.mode,
    r.capacity === null ? 'unlimited' : String(r.capacity),
    String(r.urgentAsked),
    String(r.urgentGranted),
    String(r.quotaAsked),
    String(r.quotaGranted),
    String(r.refused),
    String(r.waitlisted),
    String(r.stops),
    String(r.extraSupply),
    deviation(r.largestDeviation),
  ]);
  const left = new Set([0, 1, 2]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

/** CSV: a header line, `,` separated; `capacity` is empty for no limit, `policyVersions` joined by `;`. */
export function formatCsv(rows: readonly ReplayRow[]): string {
  const cell = (r: ReplayRow, c: (typeof CSV_COLUMNS)[number]): string => {
    switch (c) {
      case 'policyVersions':
        return r.policyVersions.join(';');
      case 'capacity':
        return r.capacity === null ? '' : String(r.capacity);
      case 'largestDeviation':
        return deviation(r.largestDeviation);
      default:
        return String(r[c]);
    }
  };
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r, c)).join(','))].join('\n') + '\n';
}

/** JSON: an array of row objects; the deviation rounded to 6 decimals. */
export function formatJson(rows: readonly ReplayRow[]): string {
  return JSON.stringify(rows.map((r) => ({ ...r, largestDeviation: Math.round(r.largestDeviation * 1e6) / 1e6 })), null, 2) + '\n';
}

export function formatRows(rows: readonly ReplayRow[], format: ReplayFormat): string {
  switch (format) {
    case 'table':
      return formatTable(rows);
    case 'csv':
      return formatCsv(rows);
    case 'json':
      return formatJson(rows);
  }
}
