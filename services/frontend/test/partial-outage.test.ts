// The storefront with the real APIs (in-process, over loopback HTTP): a partial outage stays
// partial, and one checkout is one order whatever the shopper does.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createService, loadConfig, type ServiceInstance } from '@techcommerce/runtime';
import { FaultProxy } from '../../order-api/test/proxy';
import {
  startOrderApi,
  startProductApi,
  type CatalogItem,
  type OrderApi,
  type RunningProductApi,
} from '../../order-api/test/helpers';
import { Cart } from '../src/cart/cart';
import { CartCookie } from '../src/cart/cookie';
import { orderApi } from '../../order-api/src/service';
import {
  DEVELOPMENT_COOKIE_SECRET,
  frontend,
  placeOrderTimeoutMs,
  type FrontendConfig,
} from '../src/service';
import { freePort } from '../../../scripts/src/testing/postgres';

const quiet = new Writable({ write: (_c, _e, done) => done() });
const limits = { maxLines: 20, maxQuantity: 10 };
const carts = new CartCookie(DEVELOPMENT_COOKIE_SECRET, limits, { maxAgeSeconds: 60, secure: false });
const form = {
  name: 'Grace Hopper',
  email: 'grace@example.org',
  line1: 'Navy Yard 1',
  postalCode: '20374',
  city: 'Washington',
  country: 'GB',
};

function startShop(apis: FrontendConfig['apis'], extra: Partial<FrontendConfig> = {}) {
  return createService(frontend, {
    env: {},
    config: { server: { port: 3000, drainDelaySeconds: 0 }, log: { requests: false }, apis, ...extra },
    logDestination: quiet,
  });
}

let products: RunningProductApi;
let item: CatalogItem;
beforeAll(async () => {
  products = await startProductApi();
  item = await products.product('OUTAGE', { stock: 20 });
}, 60_000);
afterAll(() => products.close());

describe('order-api down (nothing listens on its port)', () => {
  let shop: ServiceInstance<FrontendConfig>;
  beforeAll(async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    shop = await startShop({ productApi: { url: products.url }, orderApi: { url: nowhere } });
  });
  afterAll(() => shop.shutdown());

  test('the storefront stays ready and serves the catalog; checkout says the order is not confirmed yet', async () => {
    expect((await request(shop.app.server).get('/readyz')).status).toBe(200);
    const list = await request(shop.app.server).get('/products').expect(200);
    expect(list.text).toContain('All products');
    await request(shop.app.server).get(`/products/${item.id}`).expect(200);
    const cookie = `tc_cart=${carts.encode(Cart.empty(limits).add(item.id, 1))}`;
    const res = await request(shop.app.server)
      .post('/checkout')
      .set('cookie', cookie)
      .type('form')
      .send(form);
    expect(res.status).toBe(503);
    expect(res.text).toContain('We could not confirm your order yet');
  });
});

describe('a slow order-api (1.5 s, then it confirms) and a shopper who retries', () => {
  let orders: OrderApi;
  let proxy: FaultProxy;
  let shop: ServiceInstance<FrontendConfig>;
  beforeAll(async () => {
    // order-api -> proxy -> product-api: the first reservation is held back 1.5 s, so order-api
    // takes that long and then confirms.
    proxy = new FaultProxy(products.url);
    const proxyUrl = await proxy.start();
    let held = false;
    proxy.rule = (r) =>
      r.method === 'PUT' && r.path.startsWith('/reservations/') && !held
        ? ((held = true), { kind: 'delayed', ms: 1500 })
        : { kind: 'pass' };
    orders = await startOrderApi(proxyUrl, {
      driver: 'pglite',
      config: { productApi: { url: proxyUrl, timeoutMs: 2500, totalTimeoutMs: 4000 } },
    });
    const addr = (await orders.listen(0, '127.0.0.1')) as AddressInfo;
    // A storefront whose budget is shorter than order-api's work (as after a bad override): it
    // gives up at 1 s and shows the "not confirmed yet" page while order-api goes on to confirm.
    shop = await startShop(
      { productApi: { url: products.url }, orderApi: { url: `http://127.0.0.1:${addr.port}` } },
      { checkout: { placeOrderTimeoutMs: 1000 } },
    );
  }, 60_000);
  afterAll(async () => {
    await shop.shutdown();
    await orders.shutdown();
    await proxy.close();
  });

  test('exactly one order after the shopper retries from the outage page (and clicks twice)', async () => {
    const before = await products.stockOf(item.id);
    const cookie = `tc_cart=${carts.encode(Cart.empty(limits).add(item.id, 2))}`;
    const first = await request(shop.app.server)
      .post('/checkout')
      .set('cookie', cookie)
      .type('form')
      .send(form);
    expect(first.status).toBe(503);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(first.text)![1]!;
    const keyedCart = first.headers['set-cookie']![0]!.split(';')[0]!;
    await new Promise((r) => setTimeout(r, 1500)); // order-api confirms meanwhile
    // The shopper presses "Place order" on the outage page, twice.
    for (let i = 0; i < 2; i++) {
      const retry = await request(shop.app.server)
        .post('/checkout')
        .set('cookie', keyedCart)
        .type('form')
        .send({ ...form, idempotencyKey: key });
      expect(retry.status).toBe(303);
      expect(retry.headers.location).toMatch(/^\/orders\/[0-9a-f-]{36}\?placed=1$/);
    }
    const list = await request(orders.app.server)
      .get('/orders')
      .query({ customerId: form.email })
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].status).toBe('confirmed');
    expect(await products.stockOf(item.id)).toBe(before - 2);
  });
});

describe("the storefront's budget for placing an order", () => {
  test("is longer than order-api's budget for product-api (both from the upstream schema's default)", () => {
    // order-api's config as it runs with nothing set: its product-api client's whole budget.
    const orderApiConfig = loadConfig<{ productApi: { totalTimeoutMs: number } }>({
      service: 'order-api',
      schema: orderApi.configSchema,
      env: {},
      config: { server: { port: 7000 } },
    });
    expect(placeOrderTimeoutMs({ server: { port: 3000 } })).toBeGreaterThan(
      orderApiConfig.productApi.totalTimeoutMs,
    );
    // An explicit setting wins.
    expect(placeOrderTimeoutMs({ server: { port: 3000 }, checkout: { placeOrderTimeoutMs: 9000 } })).toBe(
      9000,
    );
  });
});
