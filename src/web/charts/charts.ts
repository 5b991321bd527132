/**
 * Server-side SVG charts for the agency (no script, no colour-only meaning): every bar carries a
 * text label with its number, and the two series differ by pattern (hatched vs solid), not hue.
 */

export interface AllocationPoint {
  period: string;
  nationalCapacity: number | null;
  urgentGranted: number;
  quotaGranted: number;
  centres: { finess: string; entitlement: number; slots: number }[];
}

export interface CentreFairness {
  finess: string;
  entitlement: number;
  slots: number;
  deviation: number;
}

/** Cumulative entitlement and slots per centre over the periods given (SPEC §4 rule 4, §13 fairness). */
export function cumulativeFairness(points: AllocationPoint[]): CentreFairness[] {
  const sums = new Map<string, { entitlement: number; slots: number }>();
  for (const point of points) {
    for (const c of point.centres) {
      const s = sums.get(c.finess) ?? { entitlement: 0, slots: 0 };
      s.entitlement += c.entitlement;
      s.slots += c.slots;
      sums.set(c.finess, s);
    }
  }
  return [...sums.entries()]
    .map(([finess, s]) => ({ finess, entitlement: round2(s.entitlement), slots: s.slots, deviation: round2(s.slots - s.entitlement) }))
    .sort((a, b) => b.entitlement - a.entitlement || a.finess.localeCompare(b.finess));
}

export interface ChartLabels {
  title: string;
  first: string;
  second: string;
  extra?: string;
  format: (n: number) => string;
}

const PATTERNS = `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b" stroke-width="2"/></pattern></defs>`;

/** Horizontal paired bars per centre: hatched = cumulative entitlement, solid = cumulative slots, deviation written. */
export function fairnessSvg(rows: CentreFairness[], names: Record<string, string>, labels: ChartLabels): string {
  const rowHeight = 44;
  const labelWidth = 480;
  const barWidth = 360;
  const width = labelWidth + barWidth + 220;
  const height = rows.length * rowHeight + 40;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.entitlement, r.slots)));
  const scale = (v: number): number => (v / max) * barWidth;
  const parts = rows.map((r, i) => {
    const y = 30 + i * rowHeight;
    const name = names[r.finess] ?? r.finess;
    const sign = r.deviation > 0 ? '+' : r.deviation < 0 ? '−' : '±';
    return [
      `<g role="listitem" aria-label="${esc(`${name}: ${labels.first} ${labels.format(r.entitlement)}, ${labels.second} ${labels.format(r.slots)}, ${labels.extra ?? ''} ${sign}${labels.format(Math.abs(r.deviation))}`)}">`,
      `<text x="0" y="${y + 16}">${esc(truncate(name, 56))}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${scale(r.entitlement).toFixed(1)}" height="10" fill="url(#hatch)" stroke="#1b1b1b"/>`,
      `<rect x="${labelWidth}" y="${y + 12}" width="${scale(r.slots).toFixed(1)}" height="10" fill="#1b1b1b"/>`,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 12}">${esc(labels.format(r.entitlement))} / ${esc(labels.format(r.slots))}</text>`,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 30}">${esc(labels.extra ?? '')} ${sign}${esc(labels.format(Math.abs(r.deviation)))}</text>`,
      `</g>`,
    ].join('');
  });
  const legend = `<g aria-hidden="true"><rect x="0" y="4" width="18" height="10" fill="url(#hatch)" stroke="#1b1b1b"/><text x="24" y="13">${esc(labels.first)}</text><rect x="320" y="4" width="18" height="10" fill="#1b1b1b"/><text x="344" y="13">${esc(labels.second)}</text></g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(labels.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${PATTERNS}<title>${esc(labels.title)}</title>${legend}<g role="list">${parts.join('')}</g></svg>`;
}

/** Vertical bars per month: outline = national capacity, solid = urgent granted, hatched (stacked) = quota granted. */
export function capacitySvg(points: AllocationPoint[], labels: ChartLabels & { capacity: string; unlimited: string }): string {
  const colWidth = 96;
  const chartHeight = 200;
  const top = 30;
  const width = Math.max(720, points.length * colWidth + 40);
  const height = top + chartHeight + 60;
  const max = Math.max(1, ...points.map((p) => Math.max(p.nationalCapacity ?? 0, p.urgentGranted + p.quotaGranted)));
  const scale = (v: number): number => (v / max) * chartHeight;
  const base = top + chartHeight;
  const cols = points.map((p, i) => {
    const x = 20 + i * colWidth;
    const used = p.urgentGranted + p.quotaGranted;
    const capText = p.nationalCapacity === null ? labels.unlimited : labels.format(p.nationalCapacity);
    const capacity = p.nationalCapacity === null ? '' : `<rect x="${x}" y="${(base - scale(p.nationalCapacity)).toFixed(1)}" width="36" height="${scale(p.nationalCapacity).toFixed(1)}" fill="none" stroke="#1b1b1b" stroke-dasharray="4 2"/>`;
    return [
      `<g role="listitem" aria-label="${esc(`${p.period}: ${labels.first} ${p.urgentGranted}, ${labels.second} ${p.quotaGranted}, ${labels.capacity} ${capText}`)}">`,
      capacity,
      `<rect x="${x + 4}" y="${(base - scale(p.urgentGranted)).toFixed(1)}" width="28" height="${scale(p.urgentGranted).toFixed(1)}" fill="#1b1b1b"/>`,
      `<rect x="${x + 4}" y="${(base - scale(used)).toFixed(1)}" width="28" height="${scale(p.quotaGranted).toFixed(1)}" fill="url(#hatch)" stroke="#1b1b1b"/>`,
      `<text x="${x}" y="${(base - Math.max(scale(used), scale(p.nationalCapacity ?? 0)) - 4).toFixed(1)}">${esc(labels.format(used))}/${esc(capText)}</text>`,
      `<text x="${x}" y="${base + 16}">${esc(p.period)}</text>`,
      `</g>`,
    ].join('');
  });
  const legend = `<g aria-hidden="true"><rect x="0" y="4" width="18" height="10" fill="#1b1b1b"/><text x="24" y="13">${esc(labels.first)}</text><rect x="240" y="4" width="18" height="10" fill="url(#hatch)" stroke="#1b1b1b"/><text x="264" y="13">${esc(labels.second)}</text><rect x="480" y="4" width="18" height="10" fill="none" stroke="#1b1b1b" stroke-dasharray="4 2"/><text x="504" y="13">${esc(labels.capacity)}</text></g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(labels.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${PATTERNS}<title>${esc(labels.title)}</title>${legend}<line x1="10" y1="${base}" x2="${width - 10}" y2="${base}" stroke="#1b1b1b"/><g role="list">${cols.join('')}</g></svg>`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
