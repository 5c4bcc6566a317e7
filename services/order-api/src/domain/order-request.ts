// Turning a validated POST /orders body into an order: the fingerprint that tells a retry from a
// different request, and the lines priced from product-api (never from the client).
import { createHash } from 'node:crypto';
import type { CatalogProduct } from '../clients/product-api';
import { MixedCurrenciesError } from './errors';
import type { OrderLine, OrderRequest } from './types';

/** JSON with object keys sorted, so equal values always serialise alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same request (items in any order, ids in any case, keys in any order) → same hash. */
export function requestHash(r: OrderRequest): string {
  const items = r.items
    .map((i) => ({ productId: i.productId.toLowerCase(), quantity: i.quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : 1));
  return createHash('sha256')
    .update(canonical({ ...r, items }))
    .digest('hex');
}

export interface PricedOrder {
  lines: OrderLine[];
  currency: string;
  totalMinor: number;
}

/** Lines in request order, each priced from its product; one currency per order. */
export function priceOrder(r: OrderRequest, products: Map<string, CatalogProduct>): PricedOrder {
  const currencies = new Set<string>();
  const lines = r.items.map((item): OrderLine => {
    const p = products.get(item.productId.toLowerCase());
    if (!p) throw new Error(`product ${item.productId} was not looked up`);
    currencies.add(p.currency);
    return {
      productId: p.id,
      sku: p.sku,
      name: p.name,
      quantity: item.quantity,
      unitPriceMinor: p.priceMinor,
      lineTotalMinor: p.priceMinor * item.quantity,
    };
  });
  if (currencies.size > 1) throw new MixedCurrenciesError([...currencies].sort());
  return {
    lines,
    currency: [...currencies][0]!,
    totalMinor: lines.reduce((sum, l) => sum + l.lineTotalMinor, 0),
  };
}
