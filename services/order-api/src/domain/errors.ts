// Domain failures; routes/errors.ts turns them into problem responses.
import type { UpstreamTimeout, UpstreamUnavailable } from '@techcommerce/runtime';
import type { OrderFailure, StoredOrder } from './types';

export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`);
  }
}

/** The order failed (now, or on an earlier attempt with the same Idempotency-Key). */
export class OrderFailedError extends Error {
  constructor(
    readonly failure: OrderFailure,
    readonly order?: StoredOrder,
  ) {
    super(failure.problem.detail ?? failure.reason);
  }
}

/** The Idempotency-Key was used before with a different request. */
export class IdempotencyKeyReuseError extends Error {
  constructor(readonly orderId: string) {
    super(
      `this Idempotency-Key was already used for order ${orderId} with a different request; use a new key for a new order`,
    );
  }
}

/** Only pending and confirmed orders can be cancelled; a failed order holds nothing. */
export class NotCancellableError extends Error {
  constructor(readonly order: StoredOrder) {
    super(`order ${order.id} is ${order.status}; there is nothing to cancel`);
  }
}

/** product-api prices the items in more than one currency; an order has one. */
export class MixedCurrenciesError extends Error {
  constructor(readonly currencies: string[]) {
    super(
      `the items are priced in different currencies (${currencies.join(', ')}): place one order per currency`,
    );
  }
}

/** product-api answered some items without a price (their product is gone from its catalog). */
export class UnpricedItemsError extends Error {
  constructor(readonly productIds: string[]) {
    super(`product-api has no price for ${productIds.join(', ')}`);
  }
}

/** A cursor that is malformed or belongs to another customer or status filter. */
export class BadCursorError extends Error {}

/** product-api could not be reached in time; `orderId` when a pending order was recorded. */
export class ProductApiOutageError extends Error {
  constructor(
    readonly outage: UpstreamUnavailable | UpstreamTimeout,
    readonly orderId?: string,
  ) {
    super(outage.message);
  }
}
