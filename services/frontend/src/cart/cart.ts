// The cart is only product ids and quantities: names, prices and stock always come from
// product-api when a page is drawn, so a stale or edited cart can never set a price.
export interface CartLine {
  productId: string;
  quantity: number;
}

export interface CartLimits {
  /** Most distinct products in one cart. */
  maxLines: number;
  /** Most units of one product. */
  maxQuantity: number;
}

export class CartError extends Error {
  override name = 'CartError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The Idempotency-Key of a checkout: made by this storefront (a UUID), never by the shopper. */
export const CHECKOUT_KEY = /^[A-Za-z0-9-]{16,64}$/;

export function isProductId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

// A cart carries the idempotency key of the checkout started for exactly these lines: every
// attempt to place it (a double click, a retry after a timeout, the outage page, a new visit to
// /checkout) sends the same key, so order-api makes one order. Changing the lines drops the key:
// different items are a different order.
export class Cart {
  private constructor(
    private readonly lines: ReadonlyMap<string, number>,
    readonly limits: CartLimits,
    readonly checkoutKey?: string,
  ) {}

  static empty(limits: CartLimits): Cart {
    return new Cart(new Map(), limits);
  }

  /** From untrusted data (a verified cookie may still come from an older release): checked. */
  static fromLines(lines: unknown, limits: CartLimits, checkoutKey?: unknown): Cart {
    if (checkoutKey !== undefined && (typeof checkoutKey !== 'string' || !CHECKOUT_KEY.test(checkoutKey)))
      throw new CartError('cart checkout key is malformed');
    if (!Array.isArray(lines)) throw new CartError('cart is not a list of lines');
    if (lines.length > limits.maxLines) throw new CartError(`cart has more than ${limits.maxLines} lines`);
    const map = new Map<string, number>();
    for (const line of lines) {
      if (!Array.isArray(line) || line.length !== 2) throw new CartError('cart line is not [id, quantity]');
      const [id, qty] = line as [unknown, unknown];
      if (!isProductId(id)) throw new CartError('cart line has no valid product id');
      if (!Number.isInteger(qty) || (qty as number) < 1 || (qty as number) > limits.maxQuantity)
        throw new CartError(`cart quantity must be 1-${limits.maxQuantity}`);
      if (map.has(id)) throw new CartError('cart lists a product twice');
      map.set(id, qty as number);
    }
    return new Cart(map, limits, checkoutKey as string | undefined);
  }

  /** The same lines, no longer bound to a checkout (the last one failed: the next is a new order). */
  withoutCheckoutKey(): Cart {
    return new Cart(this.lines, this.limits);
  }

  /** The same lines, bound to the checkout with this idempotency key. */
  withCheckoutKey(key: string): Cart {
    if (!CHECKOUT_KEY.test(key)) throw new CartError('checkout key is malformed');
    return new Cart(this.lines, this.limits, key);
  }

  /** Compact form for the cookie: [[id, quantity], ...]. */
  toLines(): [string, number][] {
    return [...this.lines];
  }

  get items(): CartLine[] {
    return [...this.lines].map(([productId, quantity]) => ({ productId, quantity }));
  }

  get count(): number {
    let n = 0;
    for (const q of this.lines.values()) n += q;
    return n;
  }

  get isEmpty(): boolean {
    return this.lines.size === 0;
  }

  quantityOf(productId: string): number {
    return this.lines.get(productId) ?? 0;
  }

  /** Adds units; the total for one product is capped at maxQuantity. */
  add(productId: string, quantity: number): Cart {
    this.checkQuantity(quantity);
    if (!this.lines.has(productId) && this.lines.size >= this.limits.maxLines)
      throw new CartError(`a cart holds at most ${this.limits.maxLines} different products`);
    const next = new Map(this.lines);
    next.set(productId, Math.min(this.limits.maxQuantity, this.quantityOf(productId) + quantity));
    return new Cart(next, this.limits);
  }

  /** Sets the quantity; 0 removes the line. */
  set(productId: string, quantity: number): Cart {
    const next = new Map(this.lines);
    if (quantity === 0) next.delete(productId);
    else {
      this.checkQuantity(quantity);
      if (!next.has(productId)) return this.add(productId, quantity);
      next.set(productId, quantity);
    }
    return new Cart(next, this.limits);
  }

  cleared(): Cart {
    return Cart.empty(this.limits);
  }

  remove(productId: string): Cart {
    return this.set(productId, 0);
  }

  private checkQuantity(quantity: number): void {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > this.limits.maxQuantity)
      throw new CartError(`quantity must be a whole number from 1 to ${this.limits.maxQuantity}`);
  }
}
