// payload.signature values the storefront hands the browser (the cart, the orders it may show):
// an HMAC-SHA256 with the COOKIE_SECRET key over a label naming what is signed and the payload,
// so a value signed for one purpose is never accepted for another.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class Signer {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly label: string,
  ) {
    if (Buffer.byteLength(secret) < 32) throw new Error('COOKIE_SECRET must be at least 32 bytes');
    this.key = Buffer.from(secret);
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(this.label).update(payload).digest();
  }

  /** `payload.signature` (the payload must not contain a dot: base64url does not). */
  sign(payload: string): string {
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The payload when the signature holds; otherwise why not. */
  verify(value: string): { ok: true; payload: string } | { ok: false; reason: string } {
    const dot = value.indexOf('.');
    if (dot <= 0) return { ok: false, reason: 'not payload.signature' };
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'bad signature' };
    return { ok: true, payload };
  }
}
