// Input a client can send never reaches PostgreSQL as something it refuses: NUL in an order and a
// forged list cursor are 400 problems on both drivers (today's main answered 500), and nothing is
// recorded for them.
import request from 'supertest';
import {
  DRIVERS,
  newKey,
  startOrderApi,
  startProductApi,
  type CatalogItem,
  type OrderApi,
  type RunningProductApi,
} from './helpers';

const UUID = '0b6d6a4e-4f6b-4d43-9a55-0a0b0c0d0e0f';

let products: RunningProductApi;
let item: CatalogItem;
beforeAll(async () => {
  products = await startProductApi();
  item = await products.product('HOSTILE', { stock: 5 });
}, 60_000);
afterAll(() => products.close());

describe.each(DRIVERS)('hostile input (order database: %s)', (driver) => {
  let svc: OrderApi;
  let api: ReturnType<typeof request>;
  beforeAll(async () => {
    svc = await startOrderApi(products.url, { driver });
    api = request(svc.app.server);
  }, 60_000);
  afterAll(() => svc.shutdown());

  test('NUL in the contact name is a 400 naming body.contact.name; no order, no stock taken', async () => {
    const res = await api
      .post('/orders')
      .set('Idempotency-Key', newKey())
      .send({
        customerId: 'nul@example.org',
        items: [{ productId: item.id, quantity: 1 }],
        contact: { name: 'Ada\u0000Lovelace', email: 'nul@example.org' },
      })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.contact.name' })]);
    expect(await products.stockOf(item.id)).toBe(5);
    const list = await api.get('/orders').query({ customerId: 'nul@example.org' }).expect(200);
    expect(list.body.items).toEqual([]);
  });

  test.each([['yesterday'], [42], ['2024-02-30T25:00:00Z']])(
    'a forged cursor holding %j is a 400 before any SQL',
    async (v) => {
      const cursor = Buffer.from(JSON.stringify({ k: 'c1|', v, id: UUID })).toString('base64url');
      const res = await api.get('/orders').query({ customerId: 'c1', cursor }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    },
  );
});
