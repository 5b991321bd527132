import fc from 'fast-check';
import { OrderStatus, decideOrder } from './order-decision';
import { ORDER_ERROR_STATUS } from './orders.errors';

describe('lab decisions on an order (SPEC §5 Order)', () => {
  it('confirms a submitted or flagged order for the ordered quantity', () => {
    expect(decideOrder({ status: 'submitted', quantityVials: 12 }, { kind: 'confirm' })).toEqual({ ok: true, value: { status: 'confirmed', deliveredVials: 12, reason: null } });
    expect(decideOrder({ status: 'flagged', quantityVials: 13 }, { kind: 'confirm' }).ok).toBe(true);
  });
  it('reduces to a smaller positive quantity with a trimmed reason', () => {
    expect(decideOrder({ status: 'flagged', quantityVials: 13 }, { kind: 'reduce', quantityVials: 12, reason: '  need is 12  ' })).toEqual({
      ok: true,
      value: { status: 'reduced', deliveredVials: 12, reason: 'need is 12' },
    });
  });
  it('refuses a reduction to the ordered quantity or above, naming both numbers', () => {
    const r = decideOrder({ status: 'flagged', quantityVials: 13 }, { kind: 'reduce', quantityVials: 13, reason: 'x' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'REDUCE_ABOVE_ORDERED', params: { quantity: 13, ordered: 13 }, errors: [{ field: 'quantity', reason: 'must be less than 13' }] },
    });
  });
  it('refuses a reduction to 0: the lab refuses the order instead', () => {
    const r = decideOrder({ status: 'submitted', quantityVials: 5 }, { kind: 'reduce', quantityVials: 0, reason: 'no stock' });
    expect(!r.ok && r.error.code).toBe('REDUCE_TO_ZERO');
    const frac = decideOrder({ status: 'submitted', quantityVials: 5 }, { kind: 'reduce', quantityVials: 2.5, reason: 'no stock' });
    expect(!frac.ok && frac.error.code).toBe('ORDER_QUANTITY_INVALID');
  });
  it('refuses with a reason, delivering nothing', () => {
    expect(decideOrder({ status: 'flagged', quantityVials: 5 }, { kind: 'refuse', reason: 'patients unknown to the lab' })).toEqual({
      ok: true,
      value: { status: 'refused', deliveredVials: 0, reason: 'patients unknown to the lab' },
    });
  });
  it('requires a reason to reduce or refuse', () => {
    const r = decideOrder({ status: 'flagged', quantityVials: 5 }, { kind: 'refuse', reason: '   ' });
    expect(!r.ok && r.error.code).toBe('DECISION_REASON_REQUIRED');
  });
  it('decides an order only once (409)', () => {
    for (const status of ['confirmed', 'reduced', 'refused'] as const) {
      const r = decideOrder({ status, quantityVials: 5 }, { kind: 'confirm' });
      expect(!r.ok && r.error).toEqual({ code: 'ORDER_ALREADY_DECIDED', params: { orderId: null, status }, errors: [] });
    }
    expect(ORDER_ERROR_STATUS.ORDER_ALREADY_DECIDED).toBe(409);
  });
  it('never delivers more than ordered, nor a reduced quantity of 0', () => {
    const status = fc.constantFrom<OrderStatus>('submitted', 'flagged');
    fc.assert(
      fc.property(status, fc.integer({ min: 1, max: 500 }), fc.integer({ min: -5, max: 600 }), (s, ordered, reduced) => {
        const r = decideOrder({ status: s, quantityVials: ordered }, { kind: 'reduce', quantityVials: reduced, reason: 'r' });
        expect(r.ok).toBe(reduced >= 1 && reduced < ordered);
        if (r.ok) expect(r.value.deliveredVials).toBe(reduced);
      }),
    );
  });
});
