// The cart lives in the browser as a signed cookie: payload.signature, where the signature is an
// HMAC-SHA256 over a versioned label and the payload with the COOKIE_SECRET key. The server keeps
// no session state, so any replica can serve any shopper, and an edited cookie is simply refused.
import { Signer } from '../web/signer';
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
  private readonly signer: Signer;

  constructor(
    secret: string,
    private readonly limits: CartLimits,
    private readonly options: CookieOptions,
  ) {
    this.signer = new Signer(secret, LABEL);
  }

  // Lines only: [[id, quantity], ...]; with a checkout started: { l: lines, k: key }.
  encode(cart: Cart): string {
    const data = cart.checkoutKey ? { l: cart.toLines(), k: cart.checkoutKey } : cart.toLines();
    const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
    return this.signer.sign(payload);
  }

  /** A missing cookie is an empty cart; a forged, edited or malformed one is refused, never used. */
  decode(value: string | undefined): CartReadResult {
    const empty = Cart.empty(this.limits);
    if (!value) return { kind: 'none', cart: empty };
    const verified = this.signer.verify(value);
    if (!verified.ok) return { kind: 'rejected', cart: empty, reason: verified.reason };
    const payload = verified.payload;
    try {
      const data: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const cart =
        data && typeof data === 'object' && !Array.isArray(data)
          ? Cart.fromLines((data as { l?: unknown }).l, this.limits, (data as { k?: unknown }).k)
          : Cart.fromLines(data, this.limits);
      return { kind: 'ok', cart };
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
    return cookieFlags(this.options);
  }
}

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site form posts), Secure over HTTPS. */
export const cookieFlags = (o: CookieOptions): string[] => [
  'HttpOnly',
  'SameSite=Lax',
  ...(o.secure ? ['Secure'] : []),
];

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
