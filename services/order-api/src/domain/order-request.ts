// Turning a validated POST /orders body into an order: the fingerprint that tells a retry from a
// different request, and the lines priced with what product-api reserved them at (never with
// anything from the client).
import { createHash } from 'node:crypto';
import type { ReservedItem } from '../clients/product-api';
import { MixedCurrenciesError, UnpricedItemsError } from './errors';
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

/**
 * The order's lines (in request order) priced with what product-api reserved them at; one
 * currency per order.
 */
export function priceOrder(lines: OrderLine[], reserved: ReservedItem[]): PricedOrder {
  const byId = new Map(reserved.map((i) => [i.productId.toLowerCase(), i]));
  const unpriced = lines
    .filter((l) => {
      const item = byId.get(l.productId);
      return item?.priceMinor == null || item.currency == null;
    })
    .map((l) => l.productId);
  if (unpriced.length) throw new UnpricedItemsError(unpriced);
  const currencies = new Set<string>();
  const priced = lines.map((l): OrderLine => {
    const item = byId.get(l.productId)!;
    currencies.add(item.currency!);
    return {
      productId: l.productId,
      sku: item.sku,
      name: item.name,
      quantity: l.quantity,
      unitPriceMinor: item.priceMinor!,
      lineTotalMinor: item.priceMinor! * l.quantity,
    };
  });
  if (currencies.size > 1) throw new MixedCurrenciesError([...currencies].sort());
  return {
    lines: priced,
    currency: [...currencies][0]!,
    totalMinor: priced.reduce((sum, l) => sum + l.lineTotalMinor!, 0),
  };
}
