// product-api as the storefront sees it (its OpenAPI document at /openapi.json is the contract).
// Every call carries the shopper's request id; outages surface as the runtime's typed upstream
// errors, which the pages turn into a 503 "temporarily unavailable" page.
import { UpstreamRejected, type UpstreamClient } from '@techcommerce/runtime';

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceMinor: number;
  currency: string;
  stock: number;
}

export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}

export interface CategorySummary {
  category: string;
  products: number;
}

export interface ListOptions {
  limit: number;
  cursor?: string;
  category?: string;
  q?: string;
  sort?: 'name' | '-name' | 'price' | '-price' | 'createdAt' | '-createdAt';
}

export interface CallContext {
  requestId: string;
}

/** The listing's cursor, category or search was refused by product-api (e.g. an edited URL). */
export class BadListingRequest extends Error {
  override name = 'BadListingRequest';
}

export class CatalogApi {
  constructor(private readonly client: UpstreamClient) {}

  async list(ctx: CallContext, o: ListOptions): Promise<ProductPage> {
    try {
      const res = await this.client.get<ProductPage>('/products', {
        context: ctx,
        query: { limit: o.limit, cursor: o.cursor, category: o.category, q: o.q, sort: o.sort },
      });
      return res.body;
    } catch (err) {
      if (err instanceof UpstreamRejected && err.status === 400)
        throw new BadListingRequest(err.problem?.detail ?? 'product-api refused the listing request');
      throw err;
    }
  }

  /** undefined when there is no such product (or the id is not one product-api could issue). */
  async get(ctx: CallContext, id: string): Promise<Product | undefined> {
    try {
      const res = await this.client.get<Product>(`/products/${encodeURIComponent(id)}`, { context: ctx });
      return res.body;
    } catch (err) {
      if (err instanceof UpstreamRejected && (err.status === 404 || err.status === 400)) return undefined;
      throw err;
    }
  }

  /** The products of a cart, by id; ids product-api no longer knows are absent from the map. */
  async getMany(ctx: CallContext, ids: readonly string[]): Promise<Map<string, Product>> {
    const found = await Promise.all(ids.map((id) => this.get(ctx, id)));
    const out = new Map<string, Product>();
    for (const p of found) if (p) out.set(p.id, p);
    return out;
  }

  async categories(ctx: CallContext): Promise<CategorySummary[]> {
    const res = await this.client.get<{ items: CategorySummary[] }>('/categories', { context: ctx });
    return res.body.items;
  }

  /** Readiness: product-api answers (its own /readyz covers its database). */
  async ping(): Promise<void> {
    await this.client.get('/healthz', { timeoutMs: 500 });
  }
}
