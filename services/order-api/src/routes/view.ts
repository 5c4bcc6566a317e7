// An order as the API shows it: the stored order without its idempotency bookkeeping, plus when
// it stops being cancellable.
import type { Order, StoredOrder } from '../domain/types';

export interface OrderView extends Omit<Order, 'failure'> {
  failure: { reason: string; detail: string } | null;
  /**
   * While the stock is only reserved: the end of the cancellation window (the reconciler commits
   * the stock at its next round after this). Null when the order cannot be cancelled any more.
   */
  cancellableUntil: string | null;
}

export function orderView(o: StoredOrder, cancelWindowSeconds: number): OrderView {
  const cancellable = o.status === 'confirmed' && o.stockStatus === 'reserved' && o.confirmedAt !== null;
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
    cancellableUntil: cancellable
      ? new Date(Date.parse(o.confirmedAt!) + cancelWindowSeconds * 1000).toISOString()
      : null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    confirmedAt: o.confirmedAt,
    cancelledAt: o.cancelledAt,
  };
}
