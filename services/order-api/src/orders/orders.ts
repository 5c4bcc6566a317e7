// Placing, reading, listing and cancelling orders.
//
// Placing an order with an Idempotency-Key:
//   1. The key is known: same request → that order as it is now (a pending one is carried on);
//      a different request → IdempotencyKeyReuseError.
//   2. Price every item from product-api (never from the client; asked for while step 1 runs);
//      unknown products → 422.
//   3. Record the order as pending (the key is unique: of concurrent retries one inserts, the
//      others carry on with its row).
//   4. Reserve its stock in product-api under the order id (PUT, idempotent: retries and
//      concurrent requests can never reserve twice).
//   5. Confirm it (compare-and-set pending → confirmed). With cancelWindowSeconds 0 the reservation
//      is committed at once, otherwise by the reconciler when the cancellation window closes.
// A product-api outage leaves the order pending: the client retries with the same key and
// carries on from step 4, or the reconciler fails it as abandoned after pendingTimeoutSeconds.
import { randomUUID } from 'node:crypto';
import {
  CursorError,
  decodeCursor,
  encodeCursor,
  isUpstreamOutage,
  UpstreamTimeout,
  type Logger,
} from '@techcommerce/runtime';
import { StockShortage, UnknownProducts, type CatalogProduct, type ProductApi } from '../clients/product-api';
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
import { priceOrder, requestHash } from '../domain/order-request';
import type { OrderFailure, OrderRequest, OrderStatus, RequestedItem, StoredOrder } from '../domain/types';
import type { OrderMetrics } from '../metrics';
import type { OrderStore } from '../store/orders';
import type { StockSync } from './stock';

type Ctx = { requestId: string } | undefined;

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

  async place(request: OrderRequest, idempotencyKey: string, context?: Ctx): Promise<Placement> {
    const hash = requestHash(request);
    // Prices are asked for while the key is looked up: a new order (the usual case) needs them,
    // and the lookup's latency hides behind the query's. A known key ignores them (a retry of a
    // placed order is answered even while product-api is down).
    const prices = this.fetchProducts(request.items, context);
    prices.catch(() => undefined);
    const known = await this.d.store.findByKey(idempotencyKey);
    if (known) return this.carryOn(known, hash, context);

    const products = await this.lookUp(request.items, prices);
    let priced;
    try {
      priced = priceOrder(request, products);
    } catch (err) {
      if (err instanceof MixedCurrenciesError) this.d.metrics.failed('mixed_currencies');
      throw err;
    }
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
  async cancel(id: string, context?: Ctx): Promise<StoredOrder> {
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

  private carryOn(order: StoredOrder, hash: string, context: Ctx): Promise<Placement> {
    if (order.requestHash !== hash) throw new IdempotencyKeyReuseError(order.id);
    if (order.status === 'pending') return this.reserve(order, context);
    return Promise.resolve(this.settled(order));
  }

  /** An order that is no longer pending, as a retry sees it. */
  private settled(order: StoredOrder): Placement {
    if (order.status === 'failed') throw new OrderFailedError(order.failure!, order);
    return { order, created: false };
  }

  private fetchProducts(items: RequestedItem[], context: Ctx): Promise<(CatalogProduct | undefined)[]> {
    const ids = [...new Set(items.map((i) => i.productId.toLowerCase()))];
    return Promise.all(ids.map((id) => this.d.products.product(id, context)));
  }

  private async lookUp(
    items: RequestedItem[],
    prices: Promise<(CatalogProduct | undefined)[]>,
  ): Promise<Map<string, CatalogProduct>> {
    let found: (CatalogProduct | undefined)[];
    try {
      found = await prices;
    } catch (err) {
      throw this.outage(err);
    }
    const ids = [...new Set(items.map((i) => i.productId.toLowerCase()))];
    const missing = ids.filter((_, i) => !found[i]);
    if (missing.length) {
      this.d.metrics.failed('unknown_product');
      throw new OrderFailedError(unknownProduct(items, missing));
    }
    return new Map(found.map((p) => [p!.id.toLowerCase(), p!]));
  }

  private async reserve(order: StoredOrder, context: Ctx): Promise<Placement> {
    let status: 'reserved' | 'committed' | 'released';
    try {
      status = (await this.d.products.reserve(order.id, linesToItems(order), context)).status;
    } catch (err) {
      if (err instanceof StockShortage)
        return this.fail(order, outOfStock(order.id, order.items, err.shortages));
      if (err instanceof UnknownProducts)
        return this.fail(order, unknownProduct(linesToItems(order), err.productIds, order.id));
      throw this.outage(err, order.id);
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
  private async lostRace(id: string, context: Ctx): Promise<Placement> {
    let order = await this.get(id);
    if (order.status === 'failed' || order.status === 'cancelled') {
      const marked = await this.d.store.moveStock(id, ['none', 'released'], 'releasing');
      if (marked) order = await this.d.stock.release(marked, context);
    }
    return this.settled(order);
  }

  private outage(err: unknown, orderId?: string): unknown {
    if (!isUpstreamOutage(err)) return err;
    this.d.metrics.failed(err instanceof UpstreamTimeout ? 'product_api_timeout' : 'product_api_unavailable');
    return new ProductApiOutageError(err, orderId);
  }
}
