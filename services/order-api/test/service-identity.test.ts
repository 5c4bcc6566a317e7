// order-api calls product-api's reservation endpoints with its service token (every suite here
// runs so: see helpers.ts), and a customer's order list and cancelling need ORDERS_ADMIN_TOKEN,
// which no storefront pod has.
import request from 'supertest';
import { newKey, startOrderApi, startProductApi, type OrderApi, type RunningProductApi } from './helpers';

const ORDERS_ADMIN_TOKEN = 'order-api-test-orders-admin-token';

let products: RunningProductApi;
let svc: OrderApi;
beforeAll(async () => {
  products = await startProductApi();
  svc = await startOrderApi(products.url, { driver: 'pglite', env: { ORDERS_ADMIN_TOKEN } });
}, 60_000);
afterAll(async () => {
  await svc.shutdown();
  await products.close();
});

test('order placement carries the service token to product-api; listing and cancel need the admin token', async () => {
  const api = request(svc.app.server);
  const item = await products.product('IDENTITY', { stock: 3 });
  const placed = await api
    .post('/orders')
    .set('Idempotency-Key', newKey())
    .send({ customerId: 'id@example.org', items: [{ productId: item.id, quantity: 1 }] })
    .expect(201);
  expect(await products.stockOf(item.id)).toBe(2);
  // Reading one order by its id is what the storefront does: open.
  await api.get(`/orders/${placed.body.id}`).expect(200);
  const list = await api.get('/orders').query({ customerId: 'id@example.org' }).expect(401);
  expect(list.headers['www-authenticate']).toMatch(/^Bearer realm="order-api customer orders"/);
  await api.post(`/orders/${placed.body.id}/cancel`).expect(401);
  await api
    .post(`/orders/${placed.body.id}/cancel`)
    .set('authorization', 'Bearer wrong-token-wrong-token')
    .expect(401);
  expect(await products.stockOf(item.id)).toBe(2);
  const auth = { authorization: `Bearer ${ORDERS_ADMIN_TOKEN}` };
  expect(
    (await api.get('/orders').query({ customerId: 'id@example.org' }).set(auth).expect(200)).body.items,
  ).toHaveLength(1);
  expect((await api.post(`/orders/${placed.body.id}/cancel`).set(auth).expect(200)).body.status).toBe(
    'cancelled',
  );
  expect(await products.stockOf(item.id)).toBe(3);
});
