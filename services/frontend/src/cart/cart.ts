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

export function isProductId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export class Cart {
  private constructor(
    private readonly lines: ReadonlyMap<string, number>,
    readonly limits: CartLimits,
  ) {}

  static empty(limits: CartLimits): Cart {
    return new Cart(new Map(), limits);
  }

  /** From untrusted data (a verified cookie may still come from an older release): checked. */
  static fromLines(lines: unknown, limits: CartLimits): Cart {
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
    return new Cart(map, limits);
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
