// The problem documents of failed orders. They are stored with the order, so a retry with the same
// Idempotency-Key gets exactly the answer the first attempt got. Each names the items concerned.
import { problemType } from '@techcommerce/runtime';
import type { Shortage } from '../clients/product-api';
import type { OrderFailure, OrderLine, RequestedItem } from './types';

/** shortages as product-api reported them (with each product's sku and name). */
export function outOfStock(orderId: string, lines: OrderLine[], shortages: Shortage[]): OrderFailure {
  const items = shortages
    .map((s) => ({
      index: lines.findIndex((l) => l.productId === s.productId.toLowerCase()),
      productId: s.productId,
      sku: s.sku,
      name: s.name,
      requested: s.requested,
      available: s.available,
    }))
    .sort((a, b) => a.index - b.index);
  const detail = `not enough stock for ${items
    .map(
      (i) =>
        `items[${i.index}] ${i.name !== undefined ? `"${i.name}" (${i.sku})` : i.productId}: requested ${i.requested}, available ${i.available}`,
    )
    .join('; ')}`;
  return {
    reason: 'out_of_stock',
    status: 409,
    problem: {
      type: problemType('out-of-stock'),
      title: 'Out of stock',
      status: 409,
      detail,
      orderId,
      items,
    },
  };
}

/** items: the request's items (indexes refer to them); productIds: those product-api does not know. */
export function unknownProduct(items: RequestedItem[], productIds: string[], orderId?: string): OrderFailure {
  const unknown = new Set(productIds.map((id) => id.toLowerCase()));
  const named = items
    .map((item, index) => ({ index, productId: item.productId }))
    .filter((i) => unknown.has(i.productId.toLowerCase()));
  const detail = `no such product: ${named.map((i) => `items[${i.index}].productId ${i.productId}`).join(', ')}`;
  return {
    reason: 'unknown_product',
    status: 422,
    problem: {
      type: problemType('unknown-product'),
      title: 'Unknown product',
      status: 422,
      detail,
      ...(orderId ? { orderId } : {}),
      items: named,
    },
  };
}

export function mixedCurrencies(orderId: string, currencies: string[]): OrderFailure {
  return {
    reason: 'mixed_currencies',
    status: 422,
    problem: {
      type: problemType('mixed-currencies'),
      title: 'Mixed currencies',
      status: 422,
      detail: `the items are priced in different currencies (${currencies.join(', ')}): place one order per currency`,
      orderId,
      currencies,
    },
  };
}

export function reservationExpired(orderId: string): OrderFailure {
  return {
    reason: 'reservation_expired',
    status: 409,
    problem: {
      type: problemType('reservation-expired'),
      title: 'Reservation expired',
      status: 409,
      detail: `the stock for order ${orderId} was released before the order was confirmed (it was cancelled, or its reservation expired); place the order again with a new Idempotency-Key`,
      orderId,
    },
  };
}

export function abandoned(orderId: string, seconds: number): OrderFailure {
  return {
    reason: 'abandoned',
    status: 409,
    problem: {
      type: problemType('order-abandoned'),
      title: 'Order abandoned',
      status: 409,
      detail: `order ${orderId} stayed pending for over ${seconds} s (product-api was unavailable and it was not retried); place the order again with a new Idempotency-Key`,
      orderId,
    },
  };
}
