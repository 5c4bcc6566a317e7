// Stock is changed only by the service that may: the reservation endpoints need the service token
// (RESERVATIONS_TOKEN, which only order-api's pods get); without it, or with another, 401 before
// the body is read, and no stock moves.
import { createService, type ServiceInstance } from '@techcommerce/runtime';
import request from 'supertest';
import type { Product } from '../src/domain/types';
import { productApi, type ProductApiConfig } from '../src/service';
import { ADMIN_TOKEN, LogSink } from './helpers';

const RESERVATIONS_TOKEN = 'product-api-test-reservations-token';

describe('reservation endpoints need the service token', () => {
  let svc: ServiceInstance<ProductApiConfig>;
  let api: ReturnType<typeof request>;
  let product: Product;
  beforeAll(async () => {
    svc = await createService(productApi, {
      env: { ADMIN_TOKEN, RESERVATIONS_TOKEN },
      config: {
        server: { port: 5000, drainDelaySeconds: 0 },
        database: { driver: 'pglite' },
        log: { requests: false },
      },
      logDestination: new LogSink(),
    });
    api = request(svc.app.server);
    product = (await api.get('/products?limit=1').expect(200)).body.items[0] as Product;
  }, 60_000);
  afterAll(() => svc.shutdown());

  const body = () => ({ items: [{ productId: product.id, quantity: 1 }], commit: true });

  test.each([
    ['no credential', {}],
    ['the admin token', { authorization: `Bearer ${ADMIN_TOKEN}` }],
    ['a wrong token', { authorization: 'Bearer not-the-reservations-token' }],
    ['another scheme', { authorization: `Basic ${RESERVATIONS_TOKEN}` }],
  ])(
    'with %s: PUT, commit, release and GET are 401 with a challenge; stock unchanged',
    async (_what, headers) => {
      const put = await api.put('/reservations/stolen-1').set(headers).send(body()).expect(401);
      expect(put.headers['www-authenticate']).toBe('Bearer realm="product-api reservations"');
      expect(put.body).toMatchObject({
        status: 401,
        detail: 'reservation calls need a valid bearer token (RESERVATIONS_TOKEN)',
      });
      await api.post('/reservations/stolen-1/commit').set(headers).expect(401);
      await api.post('/reservations/stolen-1/release').set(headers).expect(401);
      await api.get('/reservations/stolen-1').set(headers).expect(401);
      expect((await api.get(`/products/${product.id}`).expect(200)).body.stock).toBe(product.stock);
    },
  );

  test('with the service token: reserved and committed', async () => {
    const auth = { authorization: `Bearer ${RESERVATIONS_TOKEN}` };
    const res = await api.put('/reservations/order-1').set(auth).send(body()).expect(201);
    expect(res.body.status).toBe('committed');
    expect((await api.get(`/products/${product.id}`).expect(200)).body.stock).toBe(product.stock - 1);
  });
});
