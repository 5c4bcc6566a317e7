// product-api as order-api uses it: stock reservations, which also price the order (its README
// and /openapi.json are the contract). Transport concerns (timeouts, retries, breaker, request ids)
// are the runtime's UpstreamClient; this file only speaks product-api's language.
import { UpstreamRejected, type UpstreamClient } from '@techcommerce/runtime';
import type { RequestedItem } from '../domain/types';

/** A reserved item with the catalog values product-api reserved it at (the order's prices). */
export interface ReservedItem extends RequestedItem {
  // Null only for reservations older than product-api recording them, whose product is gone.
  sku: string | null;
  name: string | null;
  priceMinor: number | null;
  currency: string | null;
}

export interface Reservation {
  id: string;
  status: 'reserved' | 'committed' | 'released';
  items: ReservedItem[];
}

export interface Shortage {
  productId: string;
  sku?: string;
  name?: string;
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
const path = (id: string, action = '') => `/reservations/${encodeURIComponent(id)}${action}`;

export class ProductApi {
  constructor(private readonly http: UpstreamClient) {}

  /**
   * Reserves and commits all items or none under `id`, and answers with product-api's prices. PUT
   * with a caller-chosen id is idempotent: a retry after a timeout finds the reservation the first
   * attempt made (with the same prices) instead of taking the stock twice.
   */
  async reserveAndCommit(id: string, items: RequestedItem[], context?: CallContext): Promise<Reservation> {
    try {
      return (await this.http.put<Reservation>(path(id), { body: { items, commit: true }, context })).body;
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

  /**
   * Commits a reservation made earlier without commit (orders of the earlier version only).
   * 'released' when product-api had already released it; 'absent' when it never had it.
   */
  async commit(id: string, context?: CallContext): Promise<'committed' | 'released' | 'absent'> {
    try {
      await this.http.post(path(id, '/commit'), { idempotent: true, context });
      return 'committed';
    } catch (err) {
      if (err instanceof UpstreamRejected && err.status === 404) return 'absent';
      if (err instanceof UpstreamRejected && err.status === 409) return 'released';
      throw err;
    }
  }

  /**
   * Gives the stock back, reserved or committed. Idempotent in product-api, which also records an
   * id it never reserved as released, so a reservation arriving later under it takes nothing.
   */
  async release(id: string, context?: CallContext): Promise<void> {
    try {
      await this.http.post(path(id, '/release'), { idempotent: true, context });
    } catch (err) {
      // An older product-api answers 404 for an id it never reserved: nothing to give back.
      if (err instanceof UpstreamRejected && err.status === 404) return;
      throw err;
    }
  }
}
