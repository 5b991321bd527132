import { supplyChartSvg } from './supply-chart';

const labels = { title: 'Stock projeté', continuation: 'continuations', initiation: 'initiations', stock: 'stock restant', format: (n: number) => new Intl.NumberFormat('fr-FR').format(n), period: (p: string) => p };

describe('supplyChartSvg', () => {
  it('writes every number as text, one labelled group per period', () => {
    const svg = supplyChartSvg([
      { period: '2023-05', continuationUnits: 300, initiationUnits: 1200, stockAfter: 2500 },
      { period: '2023-06', continuationUnits: 310, initiationUnits: 900, stockAfter: -40 },
    ], labels);
    expect(svg.match(/role="listitem"/g)).toHaveLength(2);
    expect(svg).toContain('>1\u202f500<');
    expect(svg).toContain('>2\u202f500<');
    expect(svg).toContain('>-40<');
    expect(svg).toContain('aria-label="2023-06 : continuations 310, initiations 900, stock restant -40"');
    expect(svg).toContain('<title>Stock projeté</title>');
  });

  it('escapes what it writes', () => {
    expect(supplyChartSvg([{ period: '<p>', continuationUnits: 0, initiationUnits: 0, stockAfter: 0 }], labels)).not.toContain('<p>');
  });
});
