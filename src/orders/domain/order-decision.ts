import { Result, fail, ok } from '../../common/domain/result';
import { OrderRefusal } from './orders.errors';

export type OrderStatus = 'submitted' | 'flagged' | 'confirmed' | 'reduced' | 'refused';
export type DecidedOrderStatus = Extract<OrderStatus, 'confirmed' | 'reduced' | 'refused'>;

/** The lab's decision on an order (SPEC §5 Order, §11 confirm · reduce · refuse). */
export type OrderAction =
  | { kind: 'confirm' }
  | { kind: 'reduce'; quantityVials: number; reason: string }
  | { kind: 'refuse'; reason: string };

export interface OrderDecision {
  status: DecidedOrderStatus;
  /** Vials the lab will deliver: ordered (confirm), reduced quantity (reduce), 0 (refuse). */
  deliveredVials: number;
  reason: string | null;
}

/**
 * The lab decides an order once (SPEC §5): `submitted` or `flagged` → `confirmed`, `reduced`
 * (1 ≤ quantity < ordered, with a reason; reducing to 0 is refused: refuse the order instead) or
 * `refused` (with a reason). A decided order answers ORDER_ALREADY_DECIDED (409).
 */
export function decideOrder(order: { status: OrderStatus; quantityVials: number }, action: OrderAction): Result<OrderDecision, OrderRefusal> {
  switch (order.status) {
    case 'submitted':
    case 'flagged':
      break;
    case 'confirmed':
    case 'reduced':
    case 'refused':
      return fail({ code: 'ORDER_ALREADY_DECIDED', params: { orderId: null, status: order.status }, errors: [] });
    default:
      return unreachable(order.status);
  }
  switch (action.kind) {
    case 'confirm':
      return ok({ status: 'confirmed', deliveredVials: order.quantityVials, reason: null });
    case 'reduce': {
      const reason = checkReason(action.reason);
      if (!reason.ok) return reason;
      const q = action.quantityVials;
      if (!Number.isInteger(q)) {
        return fail({ code: 'ORDER_QUANTITY_INVALID', params: { quantity: q, reduced: true }, errors: [{ field: 'quantity', reason: 'must be an integer' }] });
      }
      if (q < 1) {
        return fail({
          code: 'REDUCE_TO_ZERO',
          params: { quantity: q },
          errors: [{ field: 'quantity', reason: 'must be at least 1' }],
        });
      }
      if (q >= order.quantityVials) {
        return fail({
          code: 'REDUCE_ABOVE_ORDERED',
          params: { quantity: q, ordered: order.quantityVials },
          errors: [{ field: 'quantity', reason: `must be less than ${order.quantityVials}` }],
        });
      }
      return ok({ status: 'reduced', deliveredVials: q, reason: reason.value });
    }
    case 'refuse': {
      const reason = checkReason(action.reason);
      if (!reason.ok) return reason;
      return ok({ status: 'refused', deliveredVials: 0, reason: reason.value });
    }
    default:
      return unreachable(action);
  }
}

const MAX_REASON_LENGTH = 2000;

function checkReason(raw: string): Result<string, OrderRefusal> {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    return fail({
      code: 'DECISION_REASON_REQUIRED',
      params: { maxLength: MAX_REASON_LENGTH },
      errors: [{ field: 'reason', reason: `must be a non-empty text of at most ${MAX_REASON_LENGTH} characters` }],
    });
  }
  return ok(reason);
}

function unreachable(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
