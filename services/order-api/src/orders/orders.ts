// Placing, reading, listing and cancelling orders.
//
// Placing an order with an Idempotency-Key:
//   1. Price every item from product-api (never from the client); unknown products → 422.
//   2. Record the order as pending. The key is unique: if it is known (a retry, or a concurrent
//      request), the same request carries on with that order as it is now (a pending one from
//      step 3), a different request is an IdempotencyKeyReuseError. If step 1 failed, a known key
//      is still answered from the database, so retries work while product-api is down.
//   3. Reserve its stock in product-api under the order id (PUT, idempotent: retries and
//      concurrent requests can never reserve twice).
//   4. Confirm it (compare-and-set pending → confirmed). With cancelWindowSeconds 0 the reservation
//      is committed at once, otherwise by the reconciler when the cancellation window closes.
// A product-api outage leaves the order pending: the client retries with the same key and
// carries on from step 3, or the reconciler fails it as abandoned after pendingTimeoutSeconds.
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
  type CatalogProduct,
  type ProductApi,
} from '../clients/product-api';
import {
  BadCursorError,
  IdempotencyKeyReuseError,
  MixedCurrenciesError,
  NotCancellableError,
  NotFoundError,
  OrderFailedError,
  ProductApiOutageError,
} from '../domain/errors';
import { outOfStock, reservationExpired, unknownProduct } from '../domain/failures';
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
  cancelWindowSeconds: number;
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

const linesToItems = (o: StoredOrder): RequestedItem[] =>
  o.items.map((l) => ({ productId: l.productId, quantity: l.quantity }));

export class Orders {
  constructor(private readonly d: OrdersDeps) {}

  async place(request: OrderRequest, idempotencyKey: string, context?: CallContext): Promise<Placement> {
    const hash = requestHash(request);
    let priced: PricedOrder;
    try {
      priced = priceOrder(request, await this.lookUp(request.items, context));
    } catch (err) {
      // A retry of an order already placed is answered from order-api's own records, even while
      // product-api is down or an item has left the catalog since.
      const known = await this.d.store.findByKey(idempotencyKey);
      if (known) return this.carryOn(known, hash, context);
      throw this.counted(err);
    }
    // A new key (the usual case) inserts straight away: no lookup first. A known key conflicts and
    // the order it names carries on.
    const { order, inserted } = await this.d.store.insertPending({
      id: randomUUID(),
      idempotencyKey,
      requestHash: hash,
      customerId: request.customerId,
      currency: priced.currency,
      totalMinor: priced.totalMinor,
      items: priced.lines,
      contact: request.contact,
      shippingAddress: request.shippingAddress,
    });
    return inserted ? this.reserve(order, context) : this.carryOn(order, hash, context);
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
   * Cancels a pending order, or a confirmed one whose stock is not committed yet (within the
   * cancellation window), and gives its stock back. Cancelling a cancelled order returns it.
   */
  async cancel(id: string, context?: CallContext): Promise<StoredOrder> {
    const order = await this.get(id);
    if (order.status === 'cancelled') {
      // A release that could not reach product-api before: try again now.
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
    if (order.status === 'pending') return this.reserve(order, context);
    return Promise.resolve(this.settled(order));
  }

  /** An order that is no longer pending, as a retry sees it. */
  private settled(order: StoredOrder): Placement {
    if (order.status === 'failed') throw new OrderFailedError(order.failure!, order);
    return { order, created: false };
  }

  /** Every distinct product of the order from product-api; unknown ones are an OrderFailedError. */
  private async lookUp(items: RequestedItem[], context: CallContext): Promise<Map<string, CatalogProduct>> {
    const ids = [...new Set(items.map((i) => i.productId.toLowerCase()))];
    let found: (CatalogProduct | undefined)[];
    try {
      found = await Promise.all(ids.map((id) => this.d.products.product(id, context)));
    } catch (err) {
      throw isUpstreamOutage(err) ? new ProductApiOutageError(err) : err;
    }
    const missing = ids.filter((_, i) => !found[i]);
    if (missing.length) throw new OrderFailedError(unknownProduct(items, missing));
    return new Map(found.map((p) => [p!.id.toLowerCase(), p!]));
  }

  private async reserve(order: StoredOrder, context: CallContext): Promise<Placement> {
    let status: 'reserved' | 'committed' | 'released';
    try {
      status = (await this.d.products.reserve(order.id, linesToItems(order), context)).status;
    } catch (err) {
      if (err instanceof StockShortage)
        return this.fail(order, outOfStock(order.id, order.items, err.shortages));
      if (err instanceof UnknownProducts)
        return this.fail(order, unknownProduct(linesToItems(order), err.productIds, order.id));
      throw this.counted(isUpstreamOutage(err) ? new ProductApiOutageError(err, order.id) : err);
    }
    // Released: an earlier attempt reserved, then product-api's TTL gave the stock back.
    if (status === 'released') return this.fail(order, reservationExpired(order.id));

    const commitNow = this.d.cancelWindowSeconds === 0;
    const confirmed = await this.d.store.confirm(order.id, commitNow ? 'committing' : 'reserved');
    if (!confirmed) return this.lostRace(order.id, context);
    this.d.metrics.created(confirmed.currency, confirmed.totalMinor);
    this.d.logger.info(
      {
        orderId: order.id,
        reqId: context?.requestId,
        totalMinor: confirmed.totalMinor,
        currency: confirmed.currency,
      },
      'order confirmed',
    );
    return { order: commitNow ? await this.d.stock.commit(confirmed, context) : confirmed, created: true };
  }

  private async fail(order: StoredOrder, failure: OrderFailure): Promise<Placement> {
    const failed = await this.d.store.fail(order.id, failure, 'none');
    if (!failed) return this.lostRace(order.id, undefined);
    this.d.metrics.failed(failure.reason);
    throw new OrderFailedError(failure, failed);
  }

  /**
   * Another request, a cancel or the reconciler settled the order while this request talked to
   * product-api. If it did not end confirmed, the reservation this request may just have made must
   * go back (release is idempotent; the reconciler retries it if product-api is unreachable).
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
    } else if (err instanceof OrderFailedError) {
      this.d.metrics.failed(err.failure.reason);
    } else if (err instanceof MixedCurrenciesError) {
      this.d.metrics.failed('mixed_currencies');
    }
    return err;
  }
}
