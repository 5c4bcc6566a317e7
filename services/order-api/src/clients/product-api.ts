// product-api as order-api uses it: product prices and stock reservations (its README and
// /openapi.json are the contract). Transport concerns (timeouts, retries, breaker, request ids)
// are the runtime's UpstreamClient; this file only speaks product-api's language.
import { UpstreamRejected, type UpstreamClient } from '@techcommerce/runtime';
import type { RequestedItem } from '../domain/types';

/** The fields of a product-api Product that an order needs. */
export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  currency: string;
}

export interface Reservation {
  id: string;
  status: 'reserved' | 'committed' | 'released';
  items: RequestedItem[];
}

export interface Shortage {
  productId: string;
  requested: number;
  available: number;
}

/** product-api refused the reservation: some items lack stock (nothing was reserved). */
export class StockShortage extends Error {
  constructor(readonly shortages: Shortage[]) {
    super(`not enough stock for ${shortages.map((s) => s.productId).join(', ')}`);
  }
}

/** product-api does not know some of the products (nothing was reserved). */
export class UnknownProducts extends Error {
  constructor(readonly productIds: string[]) {
    super(`unknown products: ${productIds.join(', ')}`);
  }
}

/** The request being served, whose id goes along to product-api (absent for background work). */
export type CallContext = { requestId: string } | undefined;

const typeOf = (err: UpstreamRejected) => err.problem?.type ?? '';

export class ProductApi {
  constructor(private readonly http: UpstreamClient) {}

  /** The product, or undefined when product-api answers 404. */
  async product(id: string, context?: CallContext): Promise<CatalogProduct | undefined> {
    try {
      return (await this.http.get<CatalogProduct>(`/products/${encodeURIComponent(id)}`, { context })).body;
    } catch (err) {
      if (err instanceof UpstreamRejected && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * Reserves all items or none under `id`. PUT with a caller-chosen id is idempotent: a retry after
   * a timeout finds the reservation the first attempt made instead of reserving twice.
   */
  async reserve(id: string, items: RequestedItem[], context?: CallContext): Promise<Reservation> {
    try {
      return (
        await this.http.put<Reservation>(`/reservations/${encodeURIComponent(id)}`, {
          body: { items },
          context,
        })
      ).body;
    } catch (err) {
      if (err instanceof UpstreamRejected) {
        const p = err.problem as { shortages?: Shortage[]; productIds?: string[] } | undefined;
        if (err.status === 409 && typeOf(err).endsWith(':insufficient-stock') && p?.shortages)
          throw new StockShortage(p.shortages);
        if (err.status === 422 && typeOf(err).endsWith(':unknown-products') && p?.productIds)
          throw new UnknownProducts(p.productIds);
      }
      throw err;
    }
  }

  /** Keeps the stock for good. 'released' when product-api had already released the reservation. */
  async commit(id: string, context?: CallContext): Promise<'committed' | 'released' | 'absent'> {
    return this.transition(id, 'commit', context, 'released');
  }

  /** Gives the stock back. 'absent' when no reservation was ever made under this id. */
  async release(id: string, context?: CallContext): Promise<'released' | 'committed' | 'absent'> {
    return this.transition(id, 'release', context, 'committed');
  }

  // Both are idempotent in product-api (repeating one changes nothing), so they may be retried.
  private async transition<C extends string>(
    id: string,
    action: 'commit' | 'release',
    context: CallContext,
    conflicting: C,
  ): Promise<'committed' | 'released' | 'absent' | C> {
    try {
      await this.http.post(`/reservations/${encodeURIComponent(id)}/${action}`, {
        idempotent: true,
        context,
      });
      return action === 'commit' ? 'committed' : 'released';
    } catch (err) {
      if (err instanceof UpstreamRejected && err.status === 404) return 'absent';
      if (err instanceof UpstreamRejected && err.status === 409) return conflicting;
      throw err;
    }
  }
}
