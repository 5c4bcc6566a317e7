// order-api as the storefront sees it. Totals always come from order-api (it prices the items
// with product-api's prices); the storefront never sends a price.
import { UpstreamRejected, type UpstreamClient } from '@techcommerce/runtime';
import type { CallContext } from './catalog';

export interface Contact {
  name: string;
  email: string;
}

export interface ShippingAddress {
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** sku, name and prices are null until product-api priced the order (a pending or failed one). */
export interface OrderLine {
  productId: string;
  sku: string | null;
  name: string | null;
  quantity: number;
  unitPriceMinor: number | null;
  lineTotalMinor: number | null;
}

/** pending until product-api reserved the stock; then confirmed (or failed, or cancelled). */
export type OrderStatus = 'pending' | 'confirmed' | 'failed' | 'cancelled';

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalMinor: number | null;
  currency: string | null;
  contact: Contact | null;
  createdAt: string;
}

export interface NewOrder {
  /** The shop has no accounts: the customer is their email address (lower case). */
  customerId: string;
  contact: Contact;
  shippingAddress: ShippingAddress;
  items: { productId: string; quantity: number }[];
}

/**
 * order-api refused the order for a reason the shopper can act on: an item is out of stock (409)
 * or no longer sold (422). The message is written for the checkout page.
 */
export class OrderRejected extends Error {
  override name = 'OrderRejected';
  constructor(
    message: string,
    readonly status: number,
    /** The product ids the refusal names, when order-api listed them. */
    readonly productIds: string[],
  ) {
    super(message);
  }
}

/** order-api found a field of the order not valid (its 400 `errors`, e.g. body.contact.name). */
export class OrderInvalid extends Error {
  override name = 'OrderInvalid';
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'the order is not valid');
  }
}

/** The checkout's key already placed order `orderId`, with other details (the form was edited). */
export class CheckoutKeyUsed extends Error {
  override name = 'CheckoutKeyUsed';
  constructor(readonly orderId: string) {
    super(`the checkout already placed order ${orderId}`);
  }
}

export class OrdersApi {
  /**
   * placeOrderTimeoutMs: the whole budget of POST /orders, longer than order-api's own budget for
   * product-api (see service.ts), so the storefront does not give up on an order order-api is
   * still confirming. A retry is the shopper's, with the same key.
   */
  constructor(
    private readonly client: UpstreamClient,
    private readonly placeOrderTimeoutMs: number,
  ) {}

  /** The idempotency key makes a resubmitted form (or a retried call) return the same order. */
  async create(ctx: CallContext, order: NewOrder, idempotencyKey: string): Promise<Order> {
    try {
      const res = await this.client.post<Order>('/orders', {
        context: ctx,
        body: order,
        idempotencyKey,
        timeoutMs: this.placeOrderTimeoutMs,
        totalTimeoutMs: this.placeOrderTimeoutMs,
      });
      return res.body;
    } catch (err) {
      if (!(err instanceof UpstreamRejected)) throw err;
      const problem = err.problem as { type?: string; orderId?: unknown; errors?: unknown } | undefined;
      if (
        err.status === 422 &&
        problem?.type?.endsWith(':idempotency-key-reuse') &&
        typeof problem.orderId === 'string'
      )
        throw new CheckoutKeyUsed(problem.orderId);
      if (err.status === 409 || err.status === 422)
        throw new OrderRejected(rejectionMessage(err), err.status, namedProducts(err.problem));
      if (err.status === 400 && Array.isArray(problem?.errors))
        throw new OrderInvalid(problem.errors as { field: string; message: string }[]);
      throw err;
    }
  }

  async get(ctx: CallContext, id: string): Promise<Order | undefined> {
    try {
      const res = await this.client.get<Order>(`/orders/${encodeURIComponent(id)}`, { context: ctx });
      return res.body;
    } catch (err) {
      if (err instanceof UpstreamRejected && (err.status === 404 || err.status === 400)) return undefined;
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.client.get('/healthz', { timeoutMs: 500 });
  }
}

function rejectionMessage(err: UpstreamRejected): string {
  if (err.status === 409)
    return 'Some items in your cart are no longer in stock in the quantity you chose. Please adjust your cart.';
  return err.problem?.detail
    ? `The order could not be placed: ${err.problem.detail}`
    : 'The order could not be placed: some items are no longer available.';
}

/** Product ids a problem document names (shortages or unknown products), for marking cart lines. */
function namedProducts(problem: Record<string, unknown> | undefined): string[] {
  const ids = new Set<string>();
  for (const key of ['shortages', 'unknownProducts', 'items', 'products']) {
    const list = problem?.[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry === 'string') ids.add(entry);
      else if (
        entry &&
        typeof entry === 'object' &&
        typeof (entry as { productId?: unknown }).productId === 'string'
      )
        ids.add((entry as { productId: string }).productId);
    }
  }
  return [...ids];
}
