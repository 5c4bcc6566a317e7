// The storefront in front of a real product-api (PostgreSQL and PGlite): requests carrying NUL or a
// forged cursor are the shopper's fault. product-api answers them 400, the storefront shows a 4xx
// page, and its circuit breaker stays closed, so the next shopper's catalog page still answers
// 200. On today's main each was a 500 that opened the breaker after two of them.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createService, type ServiceInstance } from '@techcommerce/runtime';
import { productApi, type ProductApiConfig } from '../../product-api/src/service';
import { DRIVERS, databaseSettings } from '../../runtime/test/helpers';
import { frontend, type FrontendConfig } from '../src/service';

const quiet = new Writable({ write: (_c, _e, done) => done() });
const UUID = '0b6d6a4e-4f6b-4d43-9a55-0a0b0c0d0e0f';
const forgedCursor = (v: unknown) =>
  encodeURIComponent(Buffer.from(JSON.stringify({ k: 'name||', v, id: UUID })).toString('base64url'));

describe.each(DRIVERS)('storefront against product-api on %s: hostile requests', (driver) => {
  let products: ServiceInstance<ProductApiConfig>;
  let shop: ServiceInstance<FrontendConfig>;
  beforeAll(async () => {
    products = await createService(productApi, {
      env: {},
      config: {
        server: { port: 5000, drainDelaySeconds: 0 },
        database: await databaseSettings(driver, 'fe_hostile'),
        log: { requests: false },
      },
      logDestination: quiet,
    });
    const addr = (await products.listen(0, '127.0.0.1')) as AddressInfo;
    shop = await createService(frontend, {
      env: {},
      config: {
        server: { port: 3000, drainDelaySeconds: 0 },
        log: { requests: false },
        apis: { productApi: { url: `http://127.0.0.1:${addr.port}` } },
      },
      logDestination: quiet,
    });
  }, 60_000);
  afterAll(async () => {
    await shop?.shutdown();
    await products?.shutdown();
  });

  test('20 NUL and forged-cursor requests are 4xx pages; the breaker stays closed; the catalog answers 200', async () => {
    const hostile = [
      '/products?q=%00',
      '/products?q=head%00phones',
      `/products?cursor=${forgedCursor('a\u0000b')}`,
      `/products?cursor=${forgedCursor({ nested: true })}`,
      '/products/%00',
    ];
    for (let i = 0; i < 20; i++) {
      const res = await request(shop.app.server).get(hostile[i % hostile.length]!);
      expect([400, 404]).toContain(res.status);
    }
    const metrics = await request(shop.app.server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/upstream_circuit_state\{upstream="product-api"\} 0\b/);
    const page = await request(shop.app.server).get('/products').expect(200);
    expect(page.text).toContain('All products');
  });
});
