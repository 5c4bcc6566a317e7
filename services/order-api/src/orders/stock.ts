// Giving an order's stock back in product-api (and committing reservations the earlier version
// left only reserved). The order's stock state was set to releasing/committing first (the intent is
// recorded), so when product-api cannot be reached now, the reconciler finishes the job later;
// both calls are idempotent in product-api.
import type { Logger } from '@techcommerce/runtime';
import type { CallContext, ProductApi } from '../clients/product-api';
import type { StoredOrder } from '../domain/types';
import type { OrderMetrics } from '../metrics';
import type { OrderStore } from '../store/orders';

export class StockSync {
  constructor(
    private readonly store: OrderStore,
    private readonly products: ProductApi,
    private readonly metrics: OrderMetrics,
    private readonly logger: Logger,
  ) {}

  /** For an order whose stock is `releasing`. Resolves with the order as it is afterwards. */
  async release(order: StoredOrder, context?: CallContext): Promise<StoredOrder> {
    try {
      await this.products.release(order.id, context);
    } catch (err) {
      return this.deferred('release', order, err);
    }
    this.metrics.stock('release', 'done');
    return (await this.store.moveStock(order.id, ['releasing'], 'released')) ?? this.reload(order);
  }

  /** For an order whose stock is `committing`. Resolves with the order as it is afterwards. */
  async commit(order: StoredOrder, context?: CallContext): Promise<StoredOrder> {
    let result: Awaited<ReturnType<ProductApi['commit']>>;
    try {
      result = await this.products.commit(order.id, context);
    } catch (err) {
      return this.deferred('commit', order, err);
    }
    if (result === 'committed') {
      this.metrics.stock('commit', 'done');
      return (await this.store.moveStock(order.id, ['committing'], 'committed')) ?? this.reload(order);
    }
    // product-api released the reservation (it expired before the commit) or never had it. Unless a
    // cancel moved the order on meanwhile (then the release was wanted), the order stands but its
    // stock went back on sale: someone must look.
    const lost = await this.store.moveStock(order.id, ['committing'], 'lost');
    if (!lost) return this.reload(order);
    this.metrics.stock('commit', 'lost');
    this.logger.error(
      { orderId: order.id, reservation: result },
      'order stock lost: product-api no longer holds the reservation of a confirmed order',
    );
    return lost;
  }

  private deferred(operation: 'commit' | 'release', order: StoredOrder, err: unknown): StoredOrder {
    this.metrics.stock(operation, 'deferred');
    this.logger.warn(
      { orderId: order.id, err: err instanceof Error ? err.message : String(err) },
      `stock ${operation} deferred: the reconciler retries it`,
    );
    return order;
  }

  private async reload(order: StoredOrder): Promise<StoredOrder> {
    return (await this.store.get(order.id)) ?? order;
  }
}
