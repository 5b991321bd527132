/**
 * The projection chart of the supply pages (issue 18), server-side SVG like ../charts/charts.ts:
 * per period a solid bar for the continuing patients' units and a hatched one stacked on it for the
 * initiations, and the stock left as a line of squares; every mark has its number written beside it
 * and an aria-label, so nothing rests on colour alone. A data table with the same numbers follows it.
 */
export interface SupplyChartPoint {
  period: string;
  continuationUnits: number;
  initiationUnits: number;
  stockAfter: number;
}

export interface SupplyChartLabels {
  title: string;
  continuation: string;
  initiation: string;
  stock: string;
  /** Number as the page's language writes it. */
  format: (n: number) => string;
  /** Period as the page's language writes it (e.g. « mai 2023 »). */
  period: (p: string) => string;
}

const PATTERN = `<defs><pattern id="supply-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b" stroke-width="2"/></pattern></defs>`;

export function supplyChartSvg(points: readonly SupplyChartPoint[], labels: SupplyChartLabels): string {
  const colWidth = 78;
  const chartHeight = 220;
  const top = 40;
  const left = 20;
  const width = Math.max(360, left + points.length * colWidth + 20);
  const high = Math.max(1, ...points.map((p) => Math.max(p.continuationUnits + p.initiationUnits, p.stockAfter)));
  const low = Math.min(0, ...points.map((p) => p.stockAfter));
  const span = high - low;
  const y = (v: number): number => top + ((high - v) / span) * chartHeight;
  const zero = y(0);
  const height = top + chartHeight + 50;
  const stockPoints: string[] = [];
  const cols = points.map((p, i) => {
    const x = left + i * colWidth;
    const need = p.continuationUnits + p.initiationUnits;
    const cy = y(p.stockAfter);
    stockPoints.push(`${(x + 50).toFixed(1)},${cy.toFixed(1)}`);
    const period = labels.period(p.period);
    return [
      `<g role="listitem" aria-label="${esc(`${period} : ${labels.continuation} ${labels.format(p.continuationUnits)}, ${labels.initiation} ${labels.format(p.initiationUnits)}, ${labels.stock} ${labels.format(p.stockAfter)}`)}">`,
      `<rect x="${x + 4}" y="${y(p.continuationUnits).toFixed(1)}" width="28" height="${(zero - y(p.continuationUnits)).toFixed(1)}" fill="#1b1b1b"/>`,
      `<rect x="${x + 4}" y="${y(need).toFixed(1)}" width="28" height="${(y(p.continuationUnits) - y(need)).toFixed(1)}" fill="url(#supply-hatch)" stroke="#1b1b1b"/>`,
      `<text x="${x}" y="${(y(need) - 4).toFixed(1)}">${esc(labels.format(need))}</text>`,
      `<rect x="${x + 46}" y="${(cy - 4).toFixed(1)}" width="8" height="8" fill="#fff" stroke="#1b1b1b" stroke-width="2"/>`,
      `<text x="${x + 40}" y="${(cy - 8).toFixed(1)}">${esc(labels.format(p.stockAfter))}</text>`,
      // Alternate rows so that long month names never overlap.
      `<text x="${x}" y="${top + chartHeight + (i % 2 === 0 ? 18 : 34)}">${esc(period)}</text>`,
      `</g>`,
    ].join('');
  });
  const legend = `<g aria-hidden="true"><rect x="0" y="4" width="18" height="10" fill="#1b1b1b"/><text x="24" y="13">${esc(labels.continuation)}</text><rect x="200" y="4" width="18" height="10" fill="url(#supply-hatch)" stroke="#1b1b1b"/><text x="224" y="13">${esc(labels.initiation)}</text><rect x="400" y="5" width="8" height="8" fill="#fff" stroke="#1b1b1b" stroke-width="2"/><text x="414" y="13">${esc(labels.stock)}</text></g>`;
  const line = stockPoints.length > 1 ? `<polyline points="${stockPoints.join(' ')}" fill="none" stroke="#1b1b1b" stroke-width="2" stroke-dasharray="6 3"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(labels.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${PATTERN}<title>${esc(labels.title)}</title>${legend}<line x1="10" y1="${zero.toFixed(1)}" x2="${width - 10}" y2="${zero.toFixed(1)}" stroke="#1b1b1b"/>${line}<g role="list">${cols.join('')}</g></svg>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
