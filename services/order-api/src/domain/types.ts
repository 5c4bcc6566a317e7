// order-api's domain as the API shows it (camelCase, ISO timestamps, money in minor units).
import type { Problem } from '@techcommerce/runtime';

/** The customer's view: pending until product-api has taken the stock. */
export type OrderStatus = 'pending' | 'confirmed' | 'failed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'confirmed', 'failed', 'cancelled'];

/**
 * The order's stock in product-api: none (nothing taken yet, or never) → committed (taken while
 * the order was placed) → releasing → released (given back: cancelled, or failed after product-api
 * took it). releasing is recorded before product-api is asked, so the reconciler can finish it.
 * reserved, committing and lost only occur on orders confirmed by the earlier version that
 * committed after a cancellation window (the reconciler commits them; lost: product-api had
 * released the reservation first).
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

/**
 * One line, priced by product-api when it took the stock. Until then (a pending order, or one that
 * failed before product-api took its stock) sku, name and the prices are null.
 */
export interface OrderLine {
  productId: string;
  sku: string | null;
  name: string | null;
  quantity: number;
  unitPriceMinor: number | null;
  lineTotalMinor: number | null;
}

/** Why an order failed; kept so a retry with the same Idempotency-Key gets the same answer. */
export type FailureReason =
  'out_of_stock' | 'unknown_product' | 'mixed_currencies' | 'reservation_expired' | 'abandoned';

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
  /** Null until product-api priced the order (like the lines' prices). */
  currency: string | null;
  totalMinor: number | null;
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
