// The storefront over HTTP against upstreams that are real local HTTP servers this test controls
// (fixtures standing in for product-api and order-api, so timeouts and failures are exact).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createService, type ServiceInstance } from '@techcommerce/runtime';
import { CatalogApi } from '../src/api/catalog';
import { frontend, type FrontendConfig } from '../src/service';
import { Cart } from '../src/cart/cart';
import { CartCookie } from '../src/cart/cookie';
import { DEVELOPMENT_COOKIE_SECRET } from '../src/service';
import { UpstreamClient, UpstreamTimeout, UpstreamUnavailable } from '@techcommerce/runtime';

const P1 = '0b7e4a52-8a43-4f35-9d5f-2a8f0c6d9e11';
const product = {
  id: P1,
  sku: 'AUD-1',
  name: '<script>alert(1)</script> Headphones',
  description: 'Closed-back headphones.',
  category: 'audio',
  priceMinor: 12999,
  currency: 'EUR',
  stock: 4,
};

type Mode = 'ok' | 'slow' | 'error';

class Fixture {
  mode: Mode = 'ok';
  readonly seen: { url: string; requestId?: string; body?: string; key?: string }[] = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      this.seen.push({
        url: req.url ?? '',
        requestId: req.headers['x-request-id'] as string | undefined,
        body,
        key: req.headers['idempotency-key'] as string | undefined,
      });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (this.mode === 'slow') return void setTimeout(() => send(200, {}), 1500);
      if (this.mode === 'error') return send(500, { type: 'about:blank', title: 'Boom', status: 500 });
      this.route(req.method ?? 'GET', req.url ?? '/', body, send);
    });
  });
  constructor(
    private readonly route: (m: string, u: string, b: string, s: (st: number, v: unknown) => void) => void,
  ) {}
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const catalogRoutes = (m: string, u: string, _b: string, send: (s: number, v: unknown) => void) => {
  const url = new URL(u, 'http://x');
  if (url.pathname === '/healthz') return send(200, { status: 'ok' });
  if (url.pathname === '/categories') return send(200, { items: [{ category: 'audio', products: 1 }] });
  if (url.pathname === '/products') {
    if (url.searchParams.get('cursor') === 'bad')
      return send(400, { title: 'Bad', status: 400, detail: 'bad cursor' });
    return send(200, { items: [product], nextCursor: url.searchParams.get('cursor') ? null : 'c2' });
  }
  if (url.pathname === `/products/${P1}`) return send(200, product);
  send(404, { title: 'Not Found', status: 404 });
};

const orderRoutes = (m: string, u: string, b: string, send: (s: number, v: unknown) => void) => {
  if (u === '/healthz') return send(200, { status: 'ok' });
  if (m === 'POST' && u === '/orders') {
    const req = JSON.parse(b) as {
      items: { productId: string; quantity: number }[];
      contact: { name: string; email: string };
    };
    if (req.contact.name === 'Refused By Api')
      return send(400, {
        type: 'urn:techcommerce:problem:validation',
        title: 'Request is not valid',
        status: 400,
        errors: [{ field: 'body.contact.name', message: 'must not contain control characters' }],
      });
    if (req.contact.name === 'Out Of Stock')
      return send(409, {
        title: 'Out of stock',
        status: 409,
        detail: 'not enough',
        items: [{ productId: P1 }],
      });
    return send(201, {
      id: 'ord-1',
      customerId: req.contact.email,
      status: 'confirmed',
      currency: 'EUR',
      totalMinor: 12999 * req.items[0]!.quantity,
      items: [
        {
          productId: P1,
          sku: 'AUD-1',
          name: 'Headphones',
          quantity: req.items[0]!.quantity,
          unitPriceMinor: 12999,
          lineTotalMinor: 12999 * req.items[0]!.quantity,
        },
      ],
      contact: req.contact,
      createdAt: new Date().toISOString(),
    });
  }
  // An order product-api has not priced yet (it was down while the order was placed).
  if (m === 'GET' && u === '/orders/ord-pending')
    return send(200, {
      id: 'ord-pending',
      customerId: 'ada@example.com',
      status: 'pending',
      currency: null,
      totalMinor: null,
      items: [
        { productId: P1, sku: null, name: null, quantity: 1, unitPriceMinor: null, lineTotalMinor: null },
      ],
      contact: { name: 'Ada', email: 'ada@example.com' },
      createdAt: new Date().toISOString(),
    });
  send(404, { title: 'Not Found', status: 404 });
};

const quiet = new Writable({ write: (_c, _e, done) => done() });
const limits = { maxLines: 20, maxQuantity: 10 };
const devCookie = new CartCookie(DEVELOPMENT_COOKIE_SECRET, limits, { maxAgeSeconds: 60, secure: false });
const cartCookie = (cart: Cart) => `tc_cart=${devCookie.encode(cart)}`;

describe('storefront pages', () => {
  const products = new Fixture(catalogRoutes);
  const orders = new Fixture(orderRoutes);
  let svc: ServiceInstance<FrontendConfig>;

  beforeAll(async () => {
    const config = {
      server: { port: 3999 },
      apis: {
        productApi: { url: await products.start(), timeoutMs: 200 },
        orderApi: { url: await orders.start(), timeoutMs: 200 },
      },
    };
    svc = await createService(frontend, { config, env: {}, logDestination: quiet });
  });
  afterAll(async () => {
    await svc.shutdown();
    await products.stop();
    await orders.stop();
  });
  afterEach(() => {
    products.mode = 'ok';
    orders.mode = 'ok';
  });

  it('lists products with pagination and forwards the request id', async () => {
    const res = await request(svc.app.server).get('/products?q=head').set('x-request-id', 'shopper-req-1');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Headphones');
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('href="/products?q=head&amp;cursor=c2&amp;page=2"');
    expect(products.seen.some((s) => s.url.startsWith('/products?') && s.requestId === 'shopper-req-1')).toBe(
      true,
    );
  });

  it('sends a strict CSP and no-store on pages, immutable caching on fingerprinted assets, gzip', async () => {
    const page = await request(svc.app.server).get('/products').set('accept-encoding', 'gzip');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-encoding']).toBe('gzip');
    const css = /href="(\/assets\/styles\.[0-9a-f]{12}\.css)"/.exec(page.text)![1]!;
    const asset = await request(svc.app.server).get(css).set('accept-encoding', 'gzip');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect((await request(svc.app.server).get('/assets/styles.000000000000.css')).status).toBe(404);
  });

  it('answers 503 with the unavailable page when product-api fails, and when it times out', async () => {
    products.mode = 'error';
    const failing = await request(svc.app.server).get('/products');
    expect(failing.status).toBe(503);
    expect(failing.text).toContain('Catalog temporarily unavailable');
    expect(failing.headers['retry-after']).toBe('30');
  });

  it('adds to the cart through a signed cookie that survives the next request', async () => {
    const agent = request.agent(svc.app.server);
    const add = await agent.post('/cart/items').type('form').send({ productId: P1, quantity: '2' });
    expect(add.status).toBe(303);
    expect(add.headers['set-cookie']![0]).toMatch(/^tc_cart=.+; HttpOnly; SameSite=Lax$/);
    const cart = await agent.get('/cart');
    expect(cart.text).toContain('€259.98');
    expect(cart.text).toMatch(/aria-label="2 items"/);
  });

  it('ignores a tampered cart cookie and clears it', async () => {
    const good = cartCookie(Cart.empty(limits).add(P1, 1));
    const [payload, sig] = good.slice('tc_cart='.length).split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify([[P1, 9]])).toString('base64url');
    expect(edited).not.toBe(payload);
    const res = await request(svc.app.server).get('/cart').set('cookie', `tc_cart=${edited}.${sig}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your cart is empty');
    expect(res.headers['set-cookie']![0]).toMatch(/^tc_cart=; Path=\/; Max-Age=0/);
  });

  it('shows field errors for an empty name and does not call order-api', async () => {
    const before = orders.seen.length;
    const res = await request(svc.app.server)
      .post('/checkout')
      .set('cookie', cartCookie(Cart.empty(limits).add(P1, 1)))
      .type('form')
      .send({
        name: '',
        email: 'a@example.com',
        line1: 'Main 1',
        postalCode: '1000',
        city: 'X',
        country: 'BE',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter your full name');
    expect(res.text).toMatch(/id="name"[^>]*aria-invalid="true"/);
    expect(orders.seen.length).toBe(before);
  });

  it('places an order with an idempotency key and redirects to the confirmation', async () => {
    const res = await request(svc.app.server)
      .post('/checkout')
      .set('cookie', cartCookie(Cart.empty(limits).add(P1, 2)))
      .type('form')
      .send({
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        line1: 'Main 1',
        postalCode: '1000',
        city: 'Brussels',
        country: 'BE',
        idempotencyKey: 'key-0123456789abcdef',
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/orders/ord-1?placed=1');
    expect(res.headers['set-cookie']![0]).toMatch(/^tc_cart=; Path=\/; Max-Age=0/);
    const sent = orders.seen.find((s) => s.url === '/orders')!;
    expect(sent.key).toBe('key-0123456789abcdef');
    expect(JSON.parse(sent.body!)).toEqual({
      customerId: 'ada@example.com',
      contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
      shippingAddress: { line1: 'Main 1', postalCode: '1000', city: 'Brussels', country: 'BE' },
      items: [{ productId: P1, quantity: 2 }],
    });
  });

  it('maps an out-of-stock refusal to a message on the checkout page', async () => {
    const res = await request(svc.app.server)
      .post('/checkout')
      .set('cookie', cartCookie(Cart.empty(limits).add(P1, 1)))
      .type('form')
      .send({
        name: 'Out Of Stock',
        email: 'o@example.com',
        line1: 'M 1',
        postalCode: '1000',
        city: 'X',
        country: 'BE',
      });
    expect(res.status).toBe(409);
    expect(res.text).toContain('no longer in stock');
  });

  it('answers 503 when order-api is down, keeping the checkout and its idempotency key for the retry', async () => {
    orders.mode = 'error';
    const form = {
      name: 'Ada',
      email: 'a@example.com',
      line1: 'M 1',
      postalCode: '1000',
      city: 'X',
      country: 'BE',
    };
    const res = await request(svc.app.server)
      .post('/checkout')
      .set('cookie', cartCookie(Cart.empty(limits).add(P1, 1)))
      .type('form')
      .send(form);
    expect(res.status).toBe(503);
    expect(res.text).toContain('We could not confirm your order yet');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(res.text)![1]!;
    expect(orders.seen.filter((s) => s.url === '/orders').at(-1)!.key).toBe(key);
    // The cart cookie now carries that key: a retry, even from a fresh /checkout, sends it again.
    const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
    expect(devCookie.decode(cookie.slice('tc_cart='.length)).cart.checkoutKey).toBe(key);
    orders.mode = 'ok';
    const page = await request(svc.app.server).get('/checkout').set('cookie', cookie).expect(200);
    expect(page.text).toContain(`value="${key}"`);
    const retry = await request(svc.app.server)
      .post('/checkout')
      .set('cookie', cookie)
      .type('form')
      .send({ ...form, idempotencyKey: 'a-different-key-from-an-old-tab' });
    expect(retry.status).toBe(303);
    expect(orders.seen.filter((s) => s.url === '/orders').at(-1)!.key).toBe(key);
  });

  it("shows an order only with proof: the email on the lookup form (or the confirmation's grant)", async () => {
    const denied = await request(svc.app.server).get('/orders/ord-pending');
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('Enter the email address');
    expect(denied.text).not.toContain(P1);
    const wrong = await request(svc.app.server).get('/orders?id=ord-pending&email=eve@example.com');
    expect(wrong.status).toBe(404);
    const unknown = await request(svc.app.server).get('/orders?id=ord-none&email=ada@example.com');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe(
      wrong.text.replace(/eve@example.com/g, 'ada@example.com').replace(/ord-pending/g, 'ord-none'),
    );
    const found = await request(svc.app.server).get('/orders?id=ord-pending&email=Ada@Example.com');
    expect(found.status).toBe(303);
    expect(found.headers.location).toBe('/orders/ord-pending');
    const grant = found.headers['set-cookie']![0]!.split(';')[0]!;
    expect(grant).toMatch(/^tc_orders=/);
    // A grant edited to name another order is refused.
    const forged = grant.replace(
      /^tc_orders=[^.]+/,
      `tc_orders=${Buffer.from('["ord-1"]').toString('base64url')}`,
    );
    expect((await request(svc.app.server).get('/orders/ord-1').set('cookie', forged)).status).toBe(403);
    // An order product-api has not priced yet (pending): shown without inventing a total.
    const res = await request(svc.app.server).get('/orders/ord-pending').set('cookie', grant);
    expect(res.status).toBe(200);
    expect(res.text).toContain('not priced yet');
    expect(res.text).toContain(P1);
  });

  it('is ready while both APIs answer', async () => {
    expect((await request(svc.app.server).get('/readyz')).status).toBe(200);
  });

  const goodForm = {
    name: 'Ada',
    email: 'a@example.com',
    line1: 'M 1',
    postalCode: '1000',
    city: 'X',
    country: 'BE',
  };
  const checkout = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    request(svc.app.server)
      .post('/checkout')
      .set({ cookie: cartCookie(Cart.empty(limits).add(P1, 1)), ...headers })
      .type('form')
      .send(form);

  it("checks the form against order-api's own schema: what order-api would refuse never reaches it", async () => {
    const before = orders.seen.length;
    const cases: [Record<string, string>, string][] = [
      [{ postalCode: '-1000' }, 'Postal code may only contain'],
      [{ name: 'Ada\u0000Lovelace' }, 'Enter your full name (at most 200 characters)'],
      [{ email: 'not-an-email@' }, 'Enter an email address like'],
      [{ email: "o'brien@example.com" }, 'Enter an email address like'],
      [{ city: 'x'.repeat(101) }, 'Enter your city (at most 100 characters)'],
    ];
    for (const [change, message] of cases) {
      const res = await checkout({ ...goodForm, ...change });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    expect(orders.seen.length).toBe(before);
  });

  it('shows a field order-api refused (its 400) on the form, not as an error page', async () => {
    const res = await checkout({ ...goodForm, name: 'Refused By Api' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter your full name (at most 200 characters)');
  });

  it('refuses a form posted from another site (Origin, Sec-Fetch-Site); its own pages pass', async () => {
    const before = orders.seen.length;
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await checkout(goodForm, headers);
      expect(res.status).toBe(403);
      expect(res.text).toContain('sent from another site');
    }
    const add = await request(svc.app.server)
      .post('/cart/items')
      .set({ origin: 'https://evil.example' })
      .type('form')
      .send({ productId: P1, quantity: '1' });
    expect(add.status).toBe(403);
    expect(orders.seen.length).toBe(before);
    const own = await checkout(goodForm, {
      'sec-fetch-site': 'same-origin',
      origin: 'http://shop.test',
      host: 'shop.test',
    });
    expect(own.status).toBe(303);
  });

  it('refuses to start outside development without COOKIE_SECRET', async () => {
    await expect(
      createService(frontend, {
        config: { server: { port: 3999 }, environment: 'production' },
        env: {},
        logDestination: quiet,
      }),
    ).rejects.toThrow(/COOKIE_SECRET .* is required when environment is production/);
  });
  it('labels metrics with the route template Express matched, never the raw URL', async () => {
    const server = svc.app.server;
    await request(server).get('/').expect(200);
    await request(server).get(`/products/${P1}`).expect(200);
    await request(server).get('/orders/ord-pending'); // refused without the order's cookie; still labelled
    await request(server).post(`/cart/items/${P1}/remove`).type('form').send({}).expect(303);
    const css = /href="(\/assets\/styles\.[0-9a-f]{12}\.css)"/.exec(
      (await request(server).get('/cart')).text,
    )![1]!;
    await request(server).get(css).expect(200);
    await request(server).get('/no/such/page').expect(404);
    const text = (await request(server).get('/metrics').expect(200)).text;
    const routes = new Set(
      [...text.matchAll(/http_request_duration_seconds_count\{method="(\w+)",route="([^"]*)"/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
    for (const r of [
      'GET /',
      'GET /products/:id',
      'GET /orders/:id',
      'POST /cart/items/:id/remove',
      'GET /cart',
      'GET /assets/:file',
      'GET unmatched',
    ])
      expect(routes).toContain(r);
    expect(text).not.toMatch(/route="\/products\/0b7e|route="\/orders\/ord-|route="\/no\/such/);
  });
});

describe('catalog client (real local server)', () => {
  const slow = new Fixture(catalogRoutes);
  let url: string;
  beforeAll(async () => {
    url = await slow.start();
    slow.mode = 'slow';
  });
  afterAll(() => slow.stop());

  it('gives up after the timeout with UpstreamTimeout, not a hang', async () => {
    const client = new UpstreamClient({
      name: 'product-api',
      settings: { url, timeoutMs: 100, totalTimeoutMs: 300, retries: { maxAttempts: 1 } },
    });
    const started = Date.now();
    await expect(new CatalogApi(client).list({ requestId: 'r' }, { limit: 5 })).rejects.toBeInstanceOf(
      UpstreamTimeout,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('maps a refused connection to UpstreamUnavailable, and 404 to "no such product"', async () => {
    const down = new UpstreamClient({
      name: 'product-api',
      settings: { url: 'http://127.0.0.1:9', retries: { maxAttempts: 1 } },
    });
    await expect(new CatalogApi(down).get({ requestId: 'r' }, P1)).rejects.toBeInstanceOf(
      UpstreamUnavailable,
    );
    slow.mode = 'ok';
    const up = new CatalogApi(new UpstreamClient({ name: 'product-api', settings: { url } }));
    expect(await up.get({ requestId: 'r' }, '99999999-9999-4999-8999-999999999999')).toBeUndefined();
    await expect(up.list({ requestId: 'r' }, { limit: 5, cursor: 'bad' })).rejects.toThrow('bad cursor');
  });
});

describe('readiness with the APIs unreachable (nothing listens on their ports)', () => {
  const down = { url: 'http://127.0.0.1:9', timeoutMs: 200 };
  const start = (readiness?: { requireApis: boolean }) =>
    createService(frontend, {
      config: {
        server: { port: 3000 },
        apis: { productApi: down, orderApi: down },
        ...(readiness && { readiness }),
      },
      env: {},
      logDestination: quiet,
    });

  it('is ready by default, so an API outage stays partial (the pages say what is down)', async () => {
    const svc = await start();
    try {
      expect((await request(svc.app.server).get('/readyz')).status).toBe(200);
    } finally {
      await svc.shutdown();
    }
  });

  it('with readiness.requireApis true, is not ready while an API does not answer', async () => {
    const svc = await start({ requireApis: true });
    try {
      const res = await request(svc.app.server).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.text).toContain('product-api');
    } finally {
      await svc.shutdown();
    }
  });

  it('is ready with readiness.requireApis false and shows the outage page', async () => {
    const svc = await start({ requireApis: false });
    try {
      expect((await request(svc.app.server).get('/readyz')).status).toBe(200);
      const page = await request(svc.app.server).get('/');
      expect(page.status).toBe(503);
      expect(page.text).toContain('temporarily unavailable');
    } finally {
      await svc.shutdown();
    }
  });
});
