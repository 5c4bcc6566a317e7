// order-api's domain as the API shows it (camelCase, ISO timestamps, money in minor units).
import type { Problem } from '@techcommerce/runtime';

/** The customer's view: pending until product-api has reserved the stock. */
export type OrderStatus = 'pending' | 'confirmed' | 'failed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'confirmed', 'failed', 'cancelled'];

/**
 * The order's reservation in product-api: none → reserved → committing → committed, or
 * → releasing → released; lost when product-api released it (expired) before order-api committed.
 */
export type StockStatus =
  'none' | 'reserved' | 'committing' | 'committed' | 'releasing' | 'released' | 'lost';

export interface RequestedItem {
  productId: string;
  quantity: number;
}

export interface Contact {
  name: string;
  email: string;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** The body of POST /orders (already validated against the OpenAPI document). */
export interface OrderRequest {
  customerId: string;
  items: RequestedItem[];
  contact?: Contact;
  shippingAddress?: Address;
}

/** One line, priced from product-api when the order was placed. */
export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

/** Why an order failed; kept so a retry with the same Idempotency-Key gets the same answer. */
export type FailureReason = 'out_of_stock' | 'unknown_product' | 'reservation_expired' | 'abandoned';

export interface OrderFailure {
  reason: FailureReason;
  status: number;
  problem: Problem;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  stockStatus: StockStatus;
  currency: string;
  totalMinor: number;
  items: OrderLine[];
  contact: Contact | null;
  shippingAddress: Address | null;
  failure: OrderFailure | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
}

/** What the store keeps beyond the API view. */
export interface StoredOrder extends Order {
  idempotencyKey: string;
  requestHash: string;
}

export interface OrderPage {
  items: Order[];
  /** Pass as ?cursor= for the next page; null on the last page. */
  nextCursor: string | null;
}
