// An order as the API shows it: the stored order without its idempotency bookkeeping.
import type { Order, StoredOrder } from '../domain/types';

export interface OrderView extends Omit<Order, 'failure'> {
  failure: { reason: string; detail: string } | null;
}

export function orderView(o: StoredOrder): OrderView {
  return {
    id: o.id,
    customerId: o.customerId,
    status: o.status,
    stockStatus: o.stockStatus,
    currency: o.currency,
    totalMinor: o.totalMinor,
    items: o.items,
    contact: o.contact,
    shippingAddress: o.shippingAddress,
    failure: o.failure
      ? { reason: o.failure.reason, detail: o.failure.problem.detail ?? o.failure.reason }
      : null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    confirmedAt: o.confirmedAt,
    cancelledAt: o.cancelledAt,
  };
}
