import { formatCsv, formatJson, formatTable } from './replay-format';
import { ReplayRow } from './replay-model';

const rows: ReplayRow[] = [
  { period: '2023-05', policyVersion: 4, policyVersions: [3, 4], mode: 'capped', capacity: 50, urgentAsked: 34, urgentGranted: 31, quotaAsked: 23, quotaGranted: 13, refused: 3, waitlisted: 10, waitlistedUrgent: 0, stops: 28, extraSupply: 0, largestDeviation: 0.4882651 },
  { period: '2023-10', policyVersion: 5, policyVersions: [4, 5], mode: 'unrestricted', capacity: null, urgentAsked: 34, urgentGranted: 34, quotaAsked: 24, quotaGranted: 55, refused: 1, waitlisted: 0, waitlistedUrgent: 0, stops: 35, extraSupply: 0, largestDeviation: 0.5 },
];

describe('period table formats', () => {
  it('table: English headers, one line per period, columns aligned', () => {
    const lines = formatTable(rows).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^period\s+version\s+mode\s+capacity\s+urgent asked\s+urgent granted\s+quota asked\s+quota granted\s+refused\s+waitlisted\s+stops\s+extra\s+max deviation$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[2]).toMatch(/^2023-05\s+3→4\s+capped\s+50\s+34\s+31\s+23\s+13\s+3\s+10\s+28\s+0\s+0\.488$/);
    expect(lines[3]).toContain('unlimited');
  });

  it('CSV: a header and one line per period; no capacity for no limit', () => {
    expect(formatCsv(rows).split('\n')).toEqual([
      'period,policyVersion,policyVersions,mode,capacity,urgentAsked,urgentGranted,quotaAsked,quotaGranted,refused,waitlisted,waitlistedUrgent,stops,extraSupply,largestDeviation',
      '2023-05,4,3;4,capped,50,34,31,23,13,3,10,0,28,0,0.488',
      '2023-10,5,4;5,unrestricted,,34,34,24,55,1,0,0,35,0,0.500',
      '',
    ]);
  });

  it('JSON: the rows as objects, the deviation to 6 decimals', () => {
    const parsed = JSON.parse(formatJson(rows));
    expect(parsed).toEqual([{ ...rows[0], largestDeviation: 0.488265 }, rows[1]]);
  });
});
