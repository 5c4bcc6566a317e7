// Input a client can send never reaches PostgreSQL as something it refuses: NUL and other control
// characters, and forged cursors, are 400 problems on both drivers (today's main answered 500).
import { createService, type ServiceInstance } from '@techcommerce/runtime';
import request from 'supertest';
import type { Product } from '../src/domain/types';
import { productApi, type ProductApiConfig } from '../src/service';
import { ADMIN_TOKEN, DRIVERS, LogSink, databaseSettings } from './helpers';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const UUID = '0b6d6a4e-4f6b-4d43-9a55-0a0b0c0d0e0f';
/** A cursor a client forged: the right scope, a value of the wrong shape for the sort. */
const forged = (scope: string, v: unknown) =>
  Buffer.from(JSON.stringify({ k: scope, v, id: UUID })).toString('base64url');

describe.each(DRIVERS)('hostile input (%s)', (driver) => {
  let svc: ServiceInstance<ProductApiConfig>;
  let api: ReturnType<typeof request>;
  let product: Product;
  beforeAll(async () => {
    svc = await createService(productApi, {
      env: { ADMIN_TOKEN },
      config: {
        server: { port: 5000, drainDelaySeconds: 0 },
        database: await databaseSettings(driver, 'pa_hostile'),
        log: { requests: false },
      },
      logDestination: new LogSink(),
    });
    api = request(svc.app.server);
    product = (await api.get('/products?limit=1').expect(200)).body.items[0] as Product;
  }, 120_000);
  afterAll(() => svc.shutdown());

  const problemAt = (field: string) =>
    expect.objectContaining({
      status: 400,
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });

  test.each([
    ['q', '/products?q=%00'],
    ['q', '/products?q=a%1Bb'],
    ['category', '/products?category=%00'],
  ])('a control character in query.%s is a 400 naming it', async (field, url) => {
    const res = await api.get(url).expect(400);
    expect(res.body).toEqual(problemAt(`query.${field}`));
  });

  test.each([
    ['price', 'price', 'abc'],
    ['-price', '-price', 1e12],
    ['createdAt', 'createdAt', 'yesterday'],
    ['-createdAt', '-createdAt', '2024-99-99T00:00:00Z'],
    ['name', 'name', 'a\u0000b'],
    ['name', 'name', 7],
  ])('a forged cursor for sort=%s is a 400 before any SQL', async (sort, scopeSort, v) => {
    const cursor = forged(`${scopeSort}||`, v);
    const res = await api.get('/products').query({ sort, cursor }).expect(400);
    expect(res.body).toEqual(problemAt('query.cursor'));
  });

  test('NUL in a created or patched product is a 400 naming the field; nothing is written', async () => {
    const created = await api
      .post('/products')
      .set(auth)
      .send({ sku: 'NUL-1', name: 'Bad\u0000name', category: 'x', priceMinor: 1, currency: 'EUR', stock: 1 })
      .expect(400);
    expect(created.body).toEqual(problemAt('body.name'));
    const patched = await api
      .patch(`/products/${product.id}`)
      .set(auth)
      .send({ description: 'ok\u0000not ok' })
      .expect(400);
    expect(patched.body).toEqual(problemAt('body.description'));
    expect((await api.get(`/products/${product.id}`).expect(200)).body.description).toBe(product.description);
    // Tab and newlines are text.
    await api
      .patch(`/products/${product.id}`)
      .set(auth)
      .send({ description: 'line 1\n\tline 2' })
      .expect(200);
  });
});
