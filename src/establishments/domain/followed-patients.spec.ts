import fc from 'fast-check';
import { judgeDeclaration } from './followed-patients';

describe('judgeDeclaration', () => {
  it('applies a declaration within ±10 % of the last approved count', () => {
    expect(judgeDeclaration(3300, 3000).status).toBe('approved');
    expect(judgeDeclaration(2700, 3000).status).toBe('approved');
  });

  it('keeps a declaration beyond ±10 % pending for the agency (the 1,000,000 patients of #12.7)', () => {
    expect(judgeDeclaration(3301, 3000)).toEqual({ status: 'proposed', reason: 'OUTSIDE_TOLERANCE' });
    expect(judgeDeclaration(2699, 3000)).toEqual({ status: 'proposed', reason: 'OUTSIDE_TOLERANCE' });
    expect(judgeDeclaration(1_000_000, 3000).status).toBe('proposed');
  });

  it('keeps a first declaration pending: there is no approved count to compare with', () => {
    expect(judgeDeclaration(10, null)).toEqual({ status: 'proposed', reason: 'NO_APPROVED_COUNT' });
  });

  it('never lets a centre with 0 approved patients raise itself alone', () => {
    expect(judgeDeclaration(1, 0).status).toBe('proposed');
    expect(judgeDeclaration(0, 0).status).toBe('approved');
  });

  it('approves alone only what stays within the tolerance, so repeated declarations grow at most 10 % each', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (count, last) => {
        const judged = judgeDeclaration(count, last);
        expect(judged.status === 'approved').toBe(Math.abs(count - last) <= last * 0.1 + 1e-9);
      }),
    );
  });
});
