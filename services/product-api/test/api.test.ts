// product-api over HTTP (supertest) on a real PostgreSQL database.
import { createService, type ServiceInstance } from '@techcommerce/runtime';
import request from 'supertest';
import type { Product } from '../src/domain/types';
import { productApi, type ProductApiConfig } from '../src/service';
import { ADMIN_TOKEN, databaseSettings, LogSink } from './helpers';

type Svc = ServiceInstance<ProductApiConfig>;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function start(
  config: Partial<ProductApiConfig> = {},
  env: Record<string, string> = { ADMIN_TOKEN },
): Promise<Svc> {
  const database = config.database ?? (await databaseSettings('postgres', 'pa_api'));
  return createService(productApi, {
    env,
    config: { server: { port: 5000, drainDelaySeconds: 0 }, ...config, database },
    logDestination: new LogSink(),
  });
}

const newProduct = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  name: `Product ${sku}`,
  category: 'test',
  priceMinor: 2500,
  currency: 'EUR',
  stock: 10,
  ...extra,
});

describe('product-api HTTP (PostgreSQL)', () => {
  let svc: Svc;
  let api: ReturnType<typeof request>;
  beforeAll(async () => {
    svc = await start({ catalog: { cacheTtlMs: 60_000 } });
    api = request(svc.app.server);
  }, 60_000);
  afterAll(() => svc.shutdown());

  const create = async (sku: string, extra: Record<string, unknown> = {}) =>
    (await api.post('/products').set(auth).send(newProduct(sku, extra)).expect(201)).body as Product;

  describe('catalog reads', () => {
    test('GET /products pages through the seeded catalog with a cursor', async () => {
      const first = await api.get('/products').expect(200);
      expect(first.body.items).toHaveLength(20);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api.get('/products').query({ cursor: first.body.nextCursor }).expect(200);
      const ids = new Set([...first.body.items, ...second.body.items].map((p: Product) => p.id));
      expect(ids.size).toBe(40);
      expect(first.body.items[0]).toEqual({
        id: expect.any(String),
        sku: expect.any(String),
        name: expect.any(String),
        description: expect.any(String),
        category: expect.any(String),
        priceMinor: expect.any(Number),
        currency: 'EUR',
        stock: expect.any(Number),
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      });
    });

    test('filters, search and sort', async () => {
      const res = await api.get('/products?category=phones&sort=-price&limit=3').expect(200);
      const prices = res.body.items.map((p: Product) => p.priceMinor);
      expect(prices).toEqual([...prices].sort((a: number, b: number) => b - a));
      expect(res.body.items.every((p: Product) => p.category === 'phones')).toBe(true);
      const found = await api.get('/products').query({ q: 'thunderbolt' }).expect(200);
      expect(found.body.items.map((p: Product) => p.sku)).toEqual(['ACC-DOCK-TB4']);
    });

    test.each([
      ['limit=0', 'query.limit', 'must be >= 1'],
      ['limit=101', 'query.limit', 'must be <= 100'],
      ['limit=ten', 'query.limit', 'must be integer'],
      [
        'sort=cheapest',
        'query.sort',
        'must be one of "name", "-name", "price", "-price", "createdAt", "-createdAt"',
      ],
      ['category=Phones!', 'query.category', 'must match pattern "^[a-z0-9][a-z0-9-]{0,39}$"'],
      ['q=', 'query.q', 'must NOT have fewer than 1 characters'],
      ['colour=red', 'query.colour', 'is not an allowed key'],
      [
        'cursor=garbage',
        'query.cursor',
        'cursor is malformed: pass nextCursor from a previous page unchanged',
      ],
    ])('GET /products?%s is a 400 naming %s', async (qs, field, message) => {
      const res = await api.get(`/products?${qs}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field, message }]);
    });

    test('GET /products/:id: 200, 404 problem, 400 for a malformed id', async () => {
      const [p] = (await api.get('/products?limit=1').expect(200)).body.items as Product[];
      expect((await api.get(`/products/${p!.id}`).expect(200)).body).toEqual(p);
      const nf = await api.get('/products/00000000-0000-4000-8000-000000000000').expect(404);
      expect(nf.body).toMatchObject({ status: 404, title: 'Not Found' });
      const bad = await api.get('/products/42').expect(400);
      expect(bad.body.errors).toEqual([{ field: 'path.id', message: 'must match format "uuid"' }]);
    });

    test('GET /categories counts products per category', async () => {
      const res = await api.get('/categories').expect(200);
      expect(res.body.items).toEqual(expect.arrayContaining([{ category: 'laptops', products: 5 }]));
    });

    test('GET /openapi.json is the OpenAPI 3.1 document', async () => {
      const res = await api.get('/openapi.json').expect(200);
      expect(res.body.openapi).toBe('3.1.0');
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/products',
          '/products/{id}',
          '/reservations/{id}',
          '/reservations/{id}/commit',
        ]),
      );
      expect(res.body.paths['/admin/faults']).toBeUndefined();
    });
  });

  describe('admin writes', () => {
    test('need the bearer token: missing or wrong is 401 with a challenge, before the body is looked at', async () => {
      const none = await api.post('/products').send({ nonsense: true }).expect(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      await api
        .post('/products')
        .set({ authorization: 'Bearer wrong-token-wrong-token' })
        .send(newProduct('X-1'))
        .expect(401);
      await api.post('/products').set({ authorization: ADMIN_TOKEN }).send(newProduct('X-1')).expect(401);
      await api.delete('/products/00000000-0000-4000-8000-000000000000').expect(401);
    });

    test('create: 201 with Location; each invalid field named; duplicate sku 409', async () => {
      const res = await api
        .post('/products')
        .set(auth)
        .send(newProduct('NEW-1', { description: 'd' }))
        .expect(201);
      expect(res.headers.location).toBe(`/products/${res.body.id}`);
      expect(res.body).toMatchObject({ sku: 'NEW-1', stock: 10, priceMinor: 2500, description: 'd' });
      const bad = await api
        .post('/products')
        .set(auth)
        .send({
          sku: 'bad sku',
          category: 'test',
          priceMinor: -1,
          currency: 'eur',
          stock: 1.5,
          colour: 'red',
        })
        .expect(400);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'body.name', message: 'is required' },
          { field: 'body.colour', message: 'is not an allowed key' },
          { field: 'body.sku', message: 'must match pattern "^[A-Z0-9][A-Z0-9-]{2,39}$"' },
          { field: 'body.priceMinor', message: 'must be >= 0' },
          { field: 'body.currency', message: 'must match pattern "^[A-Z]{3}$"' },
          { field: 'body.stock', message: 'must be integer' },
        ]),
      );
      const dup = await api.post('/products').set(auth).send(newProduct('NEW-1')).expect(409);
      expect(dup.body).toMatchObject({ type: 'urn:techcommerce:problem:duplicate-sku', status: 409 });
    });

    test('update and delete', async () => {
      const p = await create('UPD-1');
      const etag = (await api.get(`/products/${p.id}`).expect(200)).headers.etag as string;
      const res = await api
        .patch(`/products/${p.id}`)
        .set({ ...auth, 'if-match': etag })
        .send({ priceMinor: 999, stock: 3 })
        .expect(200);
      expect(res.body).toMatchObject({ id: p.id, priceMinor: 999, stock: 3, sku: 'UPD-1' });
      const empty = await api.patch(`/products/${p.id}`).set(auth).send({}).expect(400);
      expect(empty.body.errors).toEqual([
        { field: 'body', message: 'must NOT have fewer than 1 properties' },
      ]);
      await api.delete(`/products/${p.id}`).set(auth).expect(204);
      await api.delete(`/products/${p.id}`).set(auth).expect(404);
      await api.patch(`/products/${p.id}`).set(auth).send({ stockDelta: 1 }).expect(404);
    });

    test('stock writes cannot undo a concurrent reservation: deltas, or an absolute stock with If-Match', async () => {
      const p = await create('STOCK-1', { stock: 10 });
      const read = await api.get(`/products/${p.id}`).expect(200);
      const etag = read.headers.etag as string;
      expect(etag).toMatch(/^"\d+\.10"$/);
      // Someone reserves 3 after the admin read the product...
      await api
        .put('/reservations/stock-1')
        .send({ items: [{ productId: p.id, quantity: 3 }] })
        .expect(201);
      // ...so the admin's absolute write, conditional on what was read, is refused, not applied.
      const stale = await api
        .patch(`/products/${p.id}`)
        .set({ ...auth, 'if-match': etag })
        .send({ stock: 20 });
      expect(stale.status).toBe(412);
      expect(stale.body.type).toBe('urn:techcommerce:problem:precondition-failed');
      const blind = await api.patch(`/products/${p.id}`).set(auth).send({ stock: 20 }).expect(428);
      expect(blind.body.type).toBe('urn:techcommerce:problem:precondition-required');
      expect((await api.get(`/products/${p.id}`).expect(200)).body.stock).toBe(7);
      // A delta applies on top of whatever the stock is now.
      const added = await api.patch(`/products/${p.id}`).set(auth).send({ stockDelta: 5 }).expect(200);
      expect(added.body.stock).toBe(12);
      expect(added.headers.etag).toBe(`"${Date.parse(added.body.updatedAt)}.12"`);
      const below = await api.patch(`/products/${p.id}`).set(auth).send({ stockDelta: -13 }).expect(409);
      expect(below.body.type).toBe('urn:techcommerce:problem:insufficient-stock');
      const both = await api
        .patch(`/products/${p.id}`)
        .set(auth)
        .send({ stock: 1, stockDelta: 1 })
        .expect(400);
      expect(both.body.errors).toEqual([
        { field: 'body.stock', message: 'cannot be sent together with stockDelta' },
      ]);
      // With the current ETag the absolute write goes through.
      const now = (await api.get(`/products/${p.id}`).expect(200)).headers.etag as string;
      await api
        .patch(`/products/${p.id}`)
        .set({ ...auth, 'if-match': now })
        .send({ stock: 20 })
        .expect(200);
    });

    test("writes invalidate this process's read cache at once", async () => {
      const p = await create('CACHE-1', { category: 'cachetest' });
      const before = await api.get('/products?category=cachetest').expect(200);
      expect(before.body.items.map((i: Product) => i.priceMinor)).toEqual([2500]);
      await api.get(`/products/${p.id}`).expect(200);
      await api.patch(`/products/${p.id}`).set(auth).send({ priceMinor: 1999 }).expect(200);
      expect((await api.get('/products?category=cachetest').expect(200)).body.items[0].priceMinor).toBe(1999);
      expect((await api.get(`/products/${p.id}`).expect(200)).body.priceMinor).toBe(1999);
    });
  });

  describe('stock reservations', () => {
    test('reserve (201, priced), replay (200), id reused with other items (409), commit, release (also committed stock)', async () => {
      const [a, b] = [await create('R-A', { stock: 5 }), await create('R-B', { stock: 5 })];
      const body = {
        items: [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 1 },
        ],
      };
      const first = await api.put('/reservations/ord-1').send(body).expect(201);
      expect(first.body).toMatchObject({
        id: 'ord-1',
        status: 'reserved',
        expiresAt: expect.stringMatching(/Z$/),
      });
      expect(first.body.items).toEqual(
        expect.arrayContaining([
          {
            productId: a.id,
            quantity: 2,
            sku: 'R-A',
            name: 'Product R-A',
            priceMinor: 2500,
            currency: 'EUR',
          },
          {
            productId: b.id,
            quantity: 1,
            sku: 'R-B',
            name: 'Product R-B',
            priceMinor: 2500,
            currency: 'EUR',
          },
        ]),
      );
      const replay = await api.put('/reservations/ord-1').send(body).expect(200);
      expect(replay.body).toEqual(first.body);
      const conflict = await api
        .put('/reservations/ord-1')
        .send({ items: [{ productId: a.id, quantity: 1 }] })
        .expect(409);
      expect(conflict.body.type).toBe('urn:techcommerce:problem:reservation-id-conflict');
      // The item read shows the new stock at once (its cache entry was invalidated).
      expect((await api.get(`/products/${a.id}`).expect(200)).body.stock).toBe(3);
      expect((await api.get('/reservations/ord-1').expect(200)).body.status).toBe('reserved');
      expect((await api.post('/reservations/ord-1/commit').expect(200)).body.status).toBe('committed');
      // Reserved and committed in one call.
      const both = await api
        .put('/reservations/ord-2')
        .send({ ...body, commit: true })
        .expect(201);
      expect(both.body.status).toBe('committed');
      expect((await api.get(`/products/${a.id}`).expect(200)).body.stock).toBe(1);
      // Releasing committed stock (a cancelled order) gives it back, once.
      expect((await api.post('/reservations/ord-1/release').expect(200)).body.status).toBe('released');
      expect((await api.post('/reservations/ord-1/release').expect(200)).body.status).toBe('released');
      expect((await api.get(`/products/${a.id}`).expect(200)).body.stock).toBe(3);
      const refused = await api.post('/reservations/ord-1/commit').expect(409);
      expect(refused.body.type).toBe('urn:techcommerce:problem:invalid-transition');
      await api.get('/reservations/unknown').expect(404);
      await api.post('/reservations/unknown/commit').expect(404);
      // An id released before it was reserved (a cancel that won a race) takes no stock later.
      expect((await api.post('/reservations/never/release').expect(200)).body).toMatchObject({
        status: 'released',
        items: [],
      });
      const late = await api
        .put('/reservations/never')
        .send({ ...body, commit: true })
        .expect(200);
      expect(late.body).toMatchObject({ status: 'released', items: [] });
      expect((await api.get(`/products/${a.id}`).expect(200)).body.stock).toBe(3);
    });

    test('insufficient stock is 409 with the shortages; unknown products 422', async () => {
      const p = await create('R-SHORT', { stock: 1 });
      const short = await api
        .put('/reservations/short-1')
        .send({ items: [{ productId: p.id, quantity: 2 }] })
        .expect(409);
      expect(short.body).toMatchObject({
        type: 'urn:techcommerce:problem:insufficient-stock',
        shortages: [{ productId: p.id, sku: 'R-SHORT', name: 'Product R-SHORT', requested: 2, available: 1 }],
      });
      const ghost = '00000000-0000-4000-8000-00000000cafe';
      const unknown = await api
        .put('/reservations/short-2')
        .send({ items: [{ productId: ghost, quantity: 1 }] })
        .expect(422);
      expect(unknown.body).toMatchObject({
        type: 'urn:techcommerce:problem:unknown-products',
        productIds: [ghost],
      });
    });

    test.each([
      [{}, 'body.items', 'is required'],
      [{ items: [] }, 'body.items', 'must NOT have fewer than 1 items'],
      [{ items: [{ productId: 'x', quantity: 1 }] }, 'body.items[0].productId', 'must match format "uuid"'],
      [
        { items: [{ productId: '00000000-0000-4000-8000-000000000001', quantity: 0 }] },
        'body.items[0].quantity',
        'must be >= 1',
      ],
      [
        { items: [{ productId: '00000000-0000-4000-8000-000000000001' }] },
        'body.items[0].quantity',
        'is required',
      ],
    ])('PUT /reservations/:id with %j is a 400 naming %s', async (body, field, message) => {
      const res = await api.put('/reservations/v-1').send(body).expect(400);
      expect(res.body.errors).toEqual([{ field, message }]);
    });

    test('a product listed twice fits the document, so it is a 422 (documented), not a 400', async () => {
      const id = '00000000-0000-4000-8000-000000000001';
      const res = await api
        .put('/reservations/v-1')
        .send({
          items: [
            { productId: id, quantity: 1 },
            { productId: id.toUpperCase(), quantity: 2 },
          ],
        })
        .expect(422);
      expect(res.body.type).toBe('urn:techcommerce:problem:repeated-product');
      expect(res.body.errors).toEqual([
        { field: 'body.items[1].productId', message: 'repeats items[0]; list each product once' },
      ]);
    });

    test('a reservation id outside [A-Za-z0-9._:-]{1,100} is a 400', async () => {
      const res = await api.put('/reservations/bad%20id').send({ items: [] }).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'path.id', message: 'must match pattern "^[A-Za-z0-9._:-]{1,100}$"' },
        ]),
      );
    });

    test('concurrent HTTP reservations on one item never oversell', async () => {
      const p = await create('R-HOT-HTTP', { stock: 20 });
      const codes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          api
            .put(`/reservations/hot-http-${i}`)
            .send({ items: [{ productId: p.id, quantity: 1 }] })
            .then((r) => r.status),
        ),
      );
      expect(codes.filter((c) => c === 201)).toHaveLength(20);
      expect(codes.filter((c) => c === 409)).toHaveLength(20);
      expect((await api.get(`/products/${p.id}`).expect(200)).body.stock).toBe(0);
    }, 30_000);

    test('reservations are counted by operation and result in /metrics', async () => {
      await api.get('/categories').expect(200);
      await api.get('/categories').expect(200); // a cache hit
      const text = (await api.get('/metrics').expect(200)).text;
      expect(text).toMatch(
        /product_stock_reservations_total\{operation="reserve",result="reserved"\} (2[0-9]|[3-9][0-9])/,
      );
      expect(text).toMatch(
        /product_stock_reservations_total\{operation="reserve",result="insufficient_stock"\} (2[0-9]|[3-9][0-9])/,
      );
      expect(text).toMatch(/product_stock_reservations_total\{operation="reserve",result="replayed"\} 2/);
      expect(text).toMatch(/product_stock_reservations_total\{operation="reserve",result="id_conflict"\} 1/);
      expect(text).toMatch(
        /product_stock_reservations_total\{operation="reserve",result="unknown_product"\} 1/,
      );
      expect(text).toMatch(/product_stock_reservations_total\{operation="reserve",result="committed"\} 1/);
      expect(text).toMatch(/product_stock_reservations_total\{operation="commit",result="committed"\} 1/);
      expect(text).toMatch(
        /product_stock_reservations_total\{operation="commit",result="invalid_transition"\} 1/,
      );
      expect(text).toMatch(/product_stock_reservations_total\{operation="release",result="returned"\} 1/);
      expect(text).toMatch(
        /product_stock_reservations_total\{operation="release",result="already_released"\} 1/,
      );
      expect(text).toMatch(/product_stock_reservations_total\{operation="release",result="absent"\} 1/);
      expect(text).toMatch(/product_stock_reservations_total\{operation="release",result="released"\} 0/);
      expect(text).toMatch(/product_catalog_cache_requests_total\{result="hit"\} [1-9]/);
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="PUT",route="\/reservations\/:id",status_class="2xx"\}/,
      );
    });
  });

  test('/readyz checks the database', async () => {
    expect((await api.get('/readyz').expect(200)).body.checks).toEqual({ database: 'ok' });
  });
});

describe('product-api read cache staleness is bounded by catalog.cacheTtlMs', () => {
  test('a write by another replica shows after the TTL, not before', async () => {
    const database = await databaseSettings('postgres', 'pa_ttl');
    const [one, two] = [
      await start({ database, catalog: { cacheTtlMs: 400 } }),
      await start({ database, catalog: { cacheTtlMs: 400 } }),
    ];
    try {
      const p = (
        await request(one.app.server)
          .post('/products')
          .set(auth)
          .send(newProduct('TTL-1', { category: 'ttl' }))
          .expect(201)
      ).body as Product;
      expect((await request(two.app.server).get('/products?category=ttl')).body.items[0].priceMinor).toBe(
        2500,
      );
      await request(one.app.server)
        .patch(`/products/${p.id}`)
        .set(auth)
        .send({ priceMinor: 100 })
        .expect(200);
      // Replica two still serves its cached page...
      expect((await request(two.app.server).get('/products?category=ttl')).body.items[0].priceMinor).toBe(
        2500,
      );
      await new Promise((r) => setTimeout(r, 450));
      // ...until the TTL has passed.
      expect((await request(two.app.server).get('/products?category=ttl')).body.items[0].priceMinor).toBe(
        100,
      );
    } finally {
      await one.shutdown();
      await two.shutdown();
    }
  }, 60_000);
});

describe('product-api admin token and fault switch', () => {
  test('without ADMIN_TOKEN admin writes are refused with a clear reason', async () => {
    const svc = await start({ database: { driver: 'pglite' } }, {});
    try {
      const res = await request(svc.app.server)
        .post('/products')
        .set(auth)
        .send(newProduct('Z-1'))
        .expect(401);
      expect(res.body.detail).toBe('admin writes are disabled: the ADMIN_TOKEN secret is not set');
      await request(svc.app.server)
        .put('/admin/faults')
        .set(auth)
        .send({ errorRatio: 1, latencyMs: 0 })
        .expect(404);
    } finally {
      await svc.shutdown();
    }
  }, 60_000);

  test('an ADMIN_TOKEN shorter than 16 characters stops start-up', async () => {
    await expect(start({ database: { driver: 'pglite' } }, { ADMIN_TOKEN: 'short' })).rejects.toThrow(
      'ADMIN_TOKEN is too short: use at least 16 characters',
    );
  });

  test('faults.enabled: PUT /admin/faults sets an error ratio and added latency on product routes', async () => {
    const svc = await start({
      database: { driver: 'pglite' },
      faults: { enabled: true },
      catalog: { cacheTtlMs: 0 },
    });
    const api = request(svc.app.server);
    try {
      await api.put('/admin/faults').send({ errorRatio: 1, latencyMs: 0 }).expect(401);
      const bad = await api.put('/admin/faults').set(auth).send({ errorRatio: 2, latencyMs: -1 }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'body.errorRatio',
        'body.latencyMs',
      ]);
      await api.put('/admin/faults').set(auth).send({ errorRatio: 1, latencyMs: 0 }).expect(200);
      const failed = await api.get('/products').expect(500);
      expect(failed.body).toMatchObject({ type: 'urn:techcommerce:problem:injected-fault', status: 500 });
      await api.get('/healthz').expect(200); // only product routes are affected
      await api.put('/admin/faults').set(auth).send({ errorRatio: 0, latencyMs: 250 }).expect(200);
      const t0 = Date.now();
      await api.get('/products?limit=1').expect(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
      expect((await api.get('/admin/faults').set(auth).expect(200)).body).toEqual({
        errorRatio: 0,
        latencyMs: 250,
      });
      expect((await api.get('/openapi.json')).body.paths['/admin/faults']).toBeDefined();
    } finally {
      await svc.shutdown();
    }
  }, 60_000);
});
