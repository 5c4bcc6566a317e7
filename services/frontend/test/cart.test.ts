import { Cart, CartError } from '../src/cart/cart';
import { CART_COOKIE, CartCookie, readCookie } from '../src/cart/cookie';

const limits = { maxLines: 3, maxQuantity: 5 };
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const secret = 'a-test-secret-that-is-long-enough-for-hmac';
const cookie = new CartCookie(secret, limits, { maxAgeSeconds: 60, secure: false });

function tamper(value: string, f: (payload: string, sig: string) => string): string {
  const [payload, sig] = value.split('.') as [string, string];
  return f(payload, sig);
}

describe('cart', () => {
  it('adds, caps, sets and removes lines', () => {
    let cart = Cart.empty(limits).add(A, 2).add(B, 1).add(A, 4);
    expect(cart.quantityOf(A)).toBe(5);
    expect(cart.count).toBe(6);
    cart = cart.set(B, 3).remove(A);
    expect(cart.items).toEqual([{ productId: B, quantity: 3 }]);
    expect(() => cart.add(A, 0)).toThrow(CartError);
    expect(() => cart.set(B, 6)).toThrow(CartError);
  });

  it('refuses more distinct products than maxLines', () => {
    const full = Cart.empty(limits).add(A, 1).add(B, 1).add('33333333-3333-4333-8333-333333333333', 1);
    expect(() => full.add('44444444-4444-4444-8444-444444444444', 1)).toThrow(/at most 3/);
  });
});

describe('signed cart cookie', () => {
  const cart = Cart.empty(limits).add(A, 2).add(B, 1);

  it('round-trips a cart', () => {
    const back = cookie.decode(cookie.encode(cart));
    expect(back.kind).toBe('ok');
    expect(back.cart.items).toEqual(cart.items);
  });

  it('rejects an edited payload (a shopper raising quantities or adding lines)', () => {
    const forged = tamper(cookie.encode(cart), (_p, sig) => {
      const lines = [
        [A, 5],
        [B, 5],
      ];
      return `${Buffer.from(JSON.stringify(lines)).toString('base64url')}.${sig}`;
    });
    const r = cookie.decode(forged);
    expect(r).toMatchObject({ kind: 'rejected', reason: 'bad signature' });
    expect(r.cart.isEmpty).toBe(true);
  });

  it('rejects a changed signature, a missing signature and another key', () => {
    const good = cookie.encode(cart);
    const flipped = tamper(good, (p, sig) => `${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'AB' : 'AA'}`);
    expect(cookie.decode(flipped).kind).toBe('rejected');
    expect(cookie.decode(good.split('.')[0]).kind).toBe('rejected');
    const other = new CartCookie(`${secret}-other`, limits, { maxAgeSeconds: 60, secure: false });
    expect(other.decode(good).kind).toBe('rejected');
  });

  it('rejects a correctly signed cart that breaks the limits (e.g. from an older release)', () => {
    const loose = new CartCookie(
      secret,
      { maxLines: 3, maxQuantity: 50 },
      { maxAgeSeconds: 60, secure: false },
    );
    const big = loose.encode(Cart.empty({ maxLines: 3, maxQuantity: 50 }).add(A, 40));
    expect(cookie.decode(big)).toMatchObject({ kind: 'rejected', reason: 'cart quantity must be 1-5' });
  });

  it('treats no cookie as an empty cart', () => {
    expect(cookie.decode(undefined)).toMatchObject({ kind: 'none' });
  });

  it('sets HttpOnly, SameSite=Lax, and Secure only when asked; an empty cart clears the cookie', () => {
    expect(cookie.header(cart)).toMatch(/^tc_cart=[^;]+; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax$/);
    const secure = new CartCookie(secret, limits, { maxAgeSeconds: 60, secure: true });
    expect(secure.header(cart)).toMatch(/; Secure$/);
    expect(cookie.header(Cart.empty(limits))).toBe('tc_cart=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it('refuses a short secret', () => {
    expect(() => new CartCookie('short', limits, { maxAgeSeconds: 60, secure: false })).toThrow(/32 bytes/);
  });

  it('reads one cookie from a Cookie header', () => {
    expect(readCookie(`a=1; ${CART_COOKIE}=x.y; b=2`, CART_COOKIE)).toBe('x.y');
    expect(readCookie('a=1', CART_COOKIE)).toBeUndefined();
    expect(readCookie(undefined, CART_COOKIE)).toBeUndefined();
  });
});
