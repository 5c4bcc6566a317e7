// Who may see an order page. The shop has no accounts, and an order number alone proves nothing
// (it is in emails, screenshots and browser history), so a page needs proof: this browser placed
// the order (the confirmation grants it), or the shopper typed the order's email address on the
// lookup form. The grant is a signed cookie listing the last few order ids, never a session.
import { cookieFlags, readCookie, type CookieOptions } from '../cart/cookie';
import { Signer } from './signer';

export const ORDERS_COOKIE = 'tc_orders';
const LABEL = 'tc-orders-v1.';
/** Order ids one browser keeps access to (the newest win). */
const KEEP = 10;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class OrderAccess {
  private readonly signer: Signer;

  constructor(
    secret: string,
    private readonly options: CookieOptions,
  ) {
    this.signer = new Signer(secret, LABEL);
  }

  /** The order ids this browser was granted; a missing, edited or malformed cookie grants none. */
  granted(cookieHeader: string | undefined): string[] {
    const value = readCookie(cookieHeader, ORDERS_COOKIE);
    if (!value) return [];
    const verified = this.signer.verify(value);
    if (!verified.ok) return [];
    try {
      const ids: unknown = JSON.parse(Buffer.from(verified.payload, 'base64url').toString('utf8'));
      return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string' && ID.test(i)) : [];
    } catch {
      return [];
    }
  }

  mayView(cookieHeader: string | undefined, id: string): boolean {
    return this.granted(cookieHeader).includes(id);
  }

  /** Set-Cookie that adds `id` to what this browser may view. */
  grant(cookieHeader: string | undefined, id: string): string {
    const ids = [id, ...this.granted(cookieHeader).filter((i) => i !== id)].slice(0, KEEP);
    const payload = Buffer.from(JSON.stringify(ids)).toString('base64url');
    return [
      `${ORDERS_COOKIE}=${this.signer.sign(payload)}`,
      'Path=/orders',
      `Max-Age=${this.options.maxAgeSeconds}`,
      ...cookieFlags(this.options),
    ].join('; ');
  }
}
