// The cart lives in the browser as a signed cookie: payload.signature, where the signature is an
// HMAC-SHA256 over a versioned label and the payload with the COOKIE_SECRET key. The server keeps
// no session state, so any replica can serve any shopper, and an edited cookie is simply refused.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Cart, CartError, type CartLimits } from './cart';

export const CART_COOKIE = 'tc_cart';
const LABEL = 'tc-cart-v1.';

export interface CookieOptions {
  maxAgeSeconds: number;
  /** Secure flag: on whenever the shop is served over HTTPS (every cluster environment). */
  secure: boolean;
}

export type CartReadResult =
  | { kind: 'none'; cart: Cart }
  | { kind: 'ok'; cart: Cart }
  | { kind: 'rejected'; cart: Cart; reason: string };

export class CartCookie {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly limits: CartLimits,
    private readonly options: CookieOptions,
  ) {
    if (Buffer.byteLength(secret) < 32) throw new Error('COOKIE_SECRET must be at least 32 bytes');
    this.key = Buffer.from(secret);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(LABEL).update(payload).digest('base64url');
  }

  encode(cart: Cart): string {
    const payload = Buffer.from(JSON.stringify(cart.toLines())).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** A missing cookie is an empty cart; a forged, edited or malformed one is refused, never used. */
  decode(value: string | undefined): CartReadResult {
    const empty = Cart.empty(this.limits);
    if (!value) return { kind: 'none', cart: empty };
    const dot = value.indexOf('.');
    if (dot <= 0) return { kind: 'rejected', cart: empty, reason: 'not payload.signature' };
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { kind: 'rejected', cart: empty, reason: 'bad signature' };
    try {
      const lines: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return { kind: 'ok', cart: Cart.fromLines(lines, this.limits) };
    } catch (err) {
      const reason = err instanceof CartError ? err.message : 'payload is not JSON';
      return { kind: 'rejected', cart: empty, reason };
    }
  }

  /** Set-Cookie value. HttpOnly (no script reads it), SameSite=Lax (no cross-site form posts). */
  header(cart: Cart): string {
    if (cart.isEmpty) return this.clearHeader();
    const attrs = [`${CART_COOKIE}=${this.encode(cart)}`, 'Path=/', `Max-Age=${this.options.maxAgeSeconds}`];
    return [...attrs, ...this.flags()].join('; ');
  }

  clearHeader(): string {
    return [`${CART_COOKIE}=`, 'Path=/', 'Max-Age=0', ...this.flags()].join('; ');
  }

  private flags(): string[] {
    return ['HttpOnly', 'SameSite=Lax', ...(this.options.secure ? ['Secure'] : [])];
  }
}

/** The value of one cookie from a Cookie header (first occurrence wins). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
