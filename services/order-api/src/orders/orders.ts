// Placing, reading, listing and cancelling orders.
//
// Placing an order with an Idempotency-Key:
//   1. Record it as pending (the request's items, not priced yet). The key is unique: if it is
//      known (a retry, or a concurrent request), the same request carries on with that order as it
//      is now (a pending one from step 2, a settled one is answered as it is), a different request
//      is an IdempotencyKeyReuseError. So retries are answered from order-api's own records even
//      while product-api is down.
//   2. Reserve and commit its stock in product-api under the order id, in one call (PUT,
//      idempotent: retries and concurrent requests never take the stock twice). The answer prices
//      each item: product-api's prices are the only ones an order ever gets.
//   3. Confirm it with those prices (compare-and-set pending → confirmed, stock committed).
// A product-api outage leaves the order pending: the client retries with the same key and carries
// on from step 2, or the reconciler fails it as abandoned after pendingTimeoutSeconds and gives
// back whatever product-api may have taken.
//
// Cancelling a pending or confirmed order gives its stock back (product-api releases committed
// stock too), at any time.
import { randomUUID } from 'node:crypto';
import {
  CursorError,
  decodeCursor,
  encodeCursor,
  isUpstreamOutage,
  UpstreamTimeout,
  type Logger,
} from '@techcommerce/runtime';
import {
  StockShortage,
  UnknownProducts,
  type CallContext,
  type ProductApi,
  type Reservation,
} from '../clients/product-api';
import {
  BadCursorError,
  IdempotencyKeyReuseError,
  MixedCurrenciesError,
  NotCancellableError,
  NotFoundError,
  OrderFailedError,
  ProductApiOutageError,
  UnpricedItemsError,
} from '../domain/errors';
import { mixedCurrencies, outOfStock, reservationExpired, unknownProduct } from '../domain/failures';
import { priceOrder, requestHash, type PricedOrder } from '../domain/order-request';
import type { OrderFailure, OrderRequest, OrderStatus, RequestedItem, StoredOrder } from '../domain/types';
import type { OrderMetrics } from '../metrics';
import type { OrderStore } from '../store/orders';
import type { StockSync } from './stock';

export interface OrdersDeps {
  store: OrderStore;
  products: ProductApi;
  stock: StockSync;
  metrics: OrderMetrics;
  logger: Logger;
}

export interface Placement {
  order: StoredOrder;
  /** True when this request confirmed the order; false when it found it already settled. */
  created: boolean;
}

export interface ListQuery {
  customerId: string;
  limit: number;
  status?: OrderStatus;
  cursor?: string;
}

const itemsOf = (o: StoredOrder): RequestedItem[] =>
  o.items.map((l) => ({ productId: l.productId, quantity: l.quantity }));

export class Orders {
  constructor(private readonly d: OrdersDeps) {}

  async place(request: OrderRequest, idempotencyKey: string, context?: CallContext): Promise<Placement> {
    const hash = requestHash(request);
    // A new key (the usual case) inserts straight away: no lookup first. A known key conflicts and
    // the order it names carries on.
    const { order, inserted } = await this.d.store.insertPending({
      id: randomUUID(),
      idempotencyKey,
      requestHash: hash,
      customerId: request.customerId,
      items: request.items.map((i) => ({ productId: i.productId.toLowerCase(), quantity: i.quantity })),
      contact: request.contact,
      shippingAddress: request.shippingAddress,
    });
    return inserted ? this.takeStock(order, context) : this.carryOn(order, hash, context);
  }

  async get(id: string): Promise<StoredOrder> {
    const order = await this.d.store.get(id);
    if (!order) throw new NotFoundError(`order ${id}`);
    return order;
  }

  async list(q: ListQuery): Promise<{ items: StoredOrder[]; nextCursor: string | null }> {
    // A cursor is bound to its customer and status filter.
    const scope = `${q.customerId}|${q.status ?? ''}`;
    let after: { createdAt: string; id: string } | undefined;
    if (q.cursor) {
      try {
        const pos = decodeCursor(
          scope,
          q.cursor,
          'timestamp',
          'cursor belongs to another customer or status filter: start again without it',
        );
        after = { createdAt: String(pos.value), id: pos.id };
      } catch (err) {
        throw err instanceof CursorError ? new BadCursorError(err.message) : err;
      }
    }
    const rows = await this.d.store.list(q.customerId, { limit: q.limit, status: q.status, after });
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > q.limit && last ? encodeCursor(scope, { value: last.createdAt, id: last.id }) : null;
    return { items, nextCursor };
  }

  /**
   * Cancels a pending or confirmed order and gives its stock back (committed stock too).
   * Cancelling a cancelled order returns it, finishing a release product-api could not take.
   */
  async cancel(id: string, context?: CallContext): Promise<StoredOrder> {
    const order = await this.get(id);
    if (order.status === 'cancelled') {
      return order.stockStatus === 'releasing' ? this.d.stock.release(order, context) : order;
    }
    const cancelled = await this.d.store.cancel(id);
    if (!cancelled) {
      const now = await this.get(id);
      if (now.status === 'cancelled') return now;
      throw new NotCancellableError(now);
    }
    this.d.metrics.cancelled();
    this.d.logger.info({ orderId: id, reqId: context?.requestId }, 'order cancelled');
    return this.d.stock.release(cancelled, context);
  }

  private carryOn(order: StoredOrder, hash: string, context: CallContext): Promise<Placement> {
    if (order.requestHash !== hash) throw new IdempotencyKeyReuseError(order.id);
    if (order.status === 'pending') return this.takeStock(order, context);
    return Promise.resolve(this.settled(order));
  }

  /** An order that is no longer pending, as a retry sees it. */
  private settled(order: StoredOrder): Placement {
    if (order.status === 'failed') throw new OrderFailedError(order.failure!, order);
    return { order, created: false };
  }

  /** Steps 2 and 3: product-api takes (and prices) the stock, then the order is confirmed. */
  private async takeStock(order: StoredOrder, context: CallContext): Promise<Placement> {
    let reservation: Reservation;
    try {
      reservation = await this.d.products.reserveAndCommit(order.id, itemsOf(order), context);
    } catch (err) {
      if (err instanceof StockShortage)
        return this.fail(order, outOfStock(order.id, order.items, err.shortages), 'none');
      if (err instanceof UnknownProducts)
        return this.fail(order, unknownProduct(itemsOf(order), err.productIds, order.id), 'none');
      throw this.counted(isUpstreamOutage(err) ? new ProductApiOutageError(err, order.id) : err);
    }
    // Released: a cancel (or product-api's expiry of an earlier version's reservation) got there
    // first; product-api took nothing for this request.
    if (reservation.status === 'released') return this.fail(order, reservationExpired(order.id), 'none');

    let priced: PricedOrder;
    try {
      priced = priceOrder(order.items, reservation.items);
    } catch (err) {
      // product-api took the stock, but the order cannot stand: record why, then give it back.
      if (err instanceof MixedCurrenciesError)
        return this.fail(order, mixedCurrencies(order.id, err.currencies), 'releasing');
      if (err instanceof UnpricedItemsError)
        return this.fail(order, unknownProduct(itemsOf(order), err.productIds, order.id), 'releasing');
      throw err;
    }
    // 'reserved' only from a product-api that ignored `commit` (an older version during a rollout):
    // the reconciler commits it.
    const committed = reservation.status === 'committed';
    const confirmed = await this.d.store.confirm(
      order,
      { items: priced.lines, currency: priced.currency, totalMinor: priced.totalMinor },
      committed ? 'committed' : 'committing',
    );
    if (!confirmed) return this.lostRace(order.id, context);
    this.d.metrics.created(priced.currency, priced.totalMinor);
    this.d.logger.info(
      {
        orderId: order.id,
        reqId: context?.requestId,
        totalMinor: priced.totalMinor,
        currency: priced.currency,
      },
      'order confirmed',
    );
    return { order: committed ? confirmed : await this.d.stock.commit(confirmed, context), created: true };
  }

  /** pending → failed; with stock 'releasing' when product-api took stock that must go back. */
  private async fail(
    order: StoredOrder,
    failure: OrderFailure,
    stock: 'none' | 'releasing',
  ): Promise<Placement> {
    const failed = await this.d.store.fail(order.id, failure, stock);
    if (!failed) return this.lostRace(order.id, undefined);
    this.d.metrics.failed(failure.reason);
    const settled = stock === 'releasing' ? await this.d.stock.release(failed) : failed;
    throw new OrderFailedError(failure, settled);
  }

  /**
   * Another request, a cancel or the reconciler settled the order while this request talked to
   * product-api. If it did not end confirmed, the stock this request may just have taken must go
   * back (release is idempotent; the reconciler retries it if product-api is unreachable).
   */
  private async lostRace(id: string, context: CallContext): Promise<Placement> {
    let order = await this.get(id);
    if (order.status === 'failed' || order.status === 'cancelled') {
      const marked = await this.d.store.moveStock(id, ['none', 'released'], 'releasing');
      if (marked) order = await this.d.stock.release(marked, context);
    }
    return this.settled(order);
  }

  /** Counts a failed attempt by its reason; returns the error to throw. */
  private counted(err: unknown): unknown {
    if (err instanceof ProductApiOutageError) {
      this.d.metrics.failed(
        err.outage instanceof UpstreamTimeout ? 'product_api_timeout' : 'product_api_unavailable',
      );
    }
    return err;
  }
}
