// order-api over HTTP (supertest) against a real product-api on PostgreSQL; order-api's own
// database on PostgreSQL and on PGlite (the same suite on both drivers).
import request from 'supertest';
import type { OrderView } from '../src/routes/view';
import {
  DRIVERS,
  metric,
  newKey,
  startOrderApi,
  startProductApi,
  type CatalogItem,
  type OrderApi,
  type RunningProductApi,
} from './helpers';

let products: RunningProductApi;
beforeAll(async () => {
  products = await startProductApi();
}, 60_000);
afterAll(() => products.close());

describe.each(DRIVERS)('order-api HTTP (order database: %s)', (driver) => {
  let svc: OrderApi;
  let api: ReturnType<typeof request>;
  let laptop: CatalogItem;
  let mouse: CatalogItem;
  beforeAll(async () => {
    svc = await startOrderApi(products.url, { driver });
    api = request(svc.app.server);
    laptop = await products.product('LAPTOP', { priceMinor: 129_900, stock: 50 });
    mouse = await products.product('MOUSE', { priceMinor: 2_499, stock: 50 });
  }, 60_000);
  afterAll(() => svc.shutdown());

  const place = (body: unknown, key: string | null = newKey()) => {
    const r = api.post('/orders');
    if (key !== null) r.set('Idempotency-Key', key);
    return r.send(body as object);
  };
  const twoItems = (customerId = 'cust-1') => ({
    customerId,
    items: [
      { productId: laptop.id, quantity: 2 },
      { productId: mouse.id, quantity: 3 },
    ],
  });

  describe('placing an order', () => {
    test('201: priced by product-api, stock taken (reserved and committed), Location; GET returns the same order', async () => {
      const [laptopBefore, mouseBefore] = [
        await products.stockOf(laptop.id),
        await products.stockOf(mouse.id),
      ];
      const res = await place({
        ...twoItems(),
        contact: { name: 'Ada Lovelace', email: 'ada@example.org' },
        shippingAddress: { line1: '1 Analytical Way', city: 'London', postalCode: 'NW1 2DB', country: 'GB' },
      }).expect(201);
      const order = res.body as OrderView;
      expect(res.headers.location).toBe(`/orders/${order.id}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(order).toMatchObject({
        customerId: 'cust-1',
        status: 'confirmed',
        stockStatus: 'committed',
        currency: 'EUR',
        totalMinor: 2 * 129_900 + 3 * 2_499,
        failure: null,
        contact: { name: 'Ada Lovelace', email: 'ada@example.org' },
        shippingAddress: { country: 'GB', postalCode: 'NW1 2DB' },
        cancelledAt: null,
      });
      expect(order.items).toEqual([
        {
          productId: laptop.id,
          sku: laptop.sku,
          name: laptop.name,
          quantity: 2,
          unitPriceMinor: 129_900,
          lineTotalMinor: 259_800,
        },
        {
          productId: mouse.id,
          sku: mouse.sku,
          name: mouse.name,
          quantity: 3,
          unitPriceMinor: 2_499,
          lineTotalMinor: 7_497,
        },
      ]);
      // product-api holds the stock under a reservation named after the order, committed.
      expect(await products.stockOf(laptop.id)).toBe(laptopBefore - 2);
      expect(await products.stockOf(mouse.id)).toBe(mouseBefore - 3);
      expect(await products.reservation(order.id)).toMatchObject({ status: 'committed' });
      expect((await api.get(`/orders/${order.id}`).expect(200)).body).toEqual(order);
      expect((await api.get(`/orders/${order.id.toUpperCase()}`).expect(200)).body.id).toBe(order.id);
    });

    test('a price in the request is refused: totals only ever come from product-api', async () => {
      const res = await place({
        customerId: 'c',
        totalMinor: 1,
        items: [{ productId: laptop.id, quantity: 1, priceMinor: 1 }],
      }).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'body.totalMinor', message: 'is not an allowed key' },
          { field: 'body.items[0].priceMinor', message: 'is not an allowed key' },
        ]),
      );
    });

    test('same key and body again: 200 with the same order, Idempotent-Replayed, no second reservation', async () => {
      const key = newKey();
      const first = (await place(twoItems('cust-replay'), key).expect(201)).body as OrderView;
      const stock = await products.stockOf(laptop.id);
      // Items in another order and ids in upper case are the same request.
      const again = await place(
        {
          customerId: 'cust-replay',
          items: [
            { productId: mouse.id.toUpperCase(), quantity: 3 },
            { productId: laptop.id, quantity: 2 },
          ],
        },
        key,
      ).expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first);
      expect(await products.stockOf(laptop.id)).toBe(stock);
    });

    test('same key, different body: 422 naming the order the key belongs to', async () => {
      const key = newKey();
      const first = (await place(twoItems('cust-reuse'), key).expect(201)).body as OrderView;
      const res = await place(
        { customerId: 'cust-reuse', items: [{ productId: laptop.id, quantity: 1 }] },
        key,
      ).expect(422);
      expect(res.body).toMatchObject({
        type: 'urn:techcommerce:problem:idempotency-key-reuse',
        status: 422,
        orderId: first.id,
      });
    });

    test('20 concurrent requests with one key create one order and reserve once', async () => {
      const item = await products.product('HOT', { stock: 100 });
      const key = newKey();
      const body = { customerId: 'cust-race', items: [{ productId: item.id, quantity: 4 }] };
      const answers = await Promise.all(Array.from({ length: 20 }, () => place(body, key)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1); // the one that confirmed it
      expect(statuses.filter((s) => s === 200)).toHaveLength(19);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await products.stockOf(item.id)).toBe(96);
      const list = await api.get('/orders').query({ customerId: 'cust-race' }).expect(200);
      expect(list.body.items).toHaveLength(1);
    }, 60_000);

    test('out of stock: 409 naming the item with requested and available; nothing reserved; replayed for the key', async () => {
      const scarce = await products.product('SCARCE', { stock: 1 });
      const key = newKey();
      const body = {
        customerId: 'cust-short',
        items: [
          { productId: mouse.id, quantity: 1 },
          { productId: scarce.id, quantity: 2 },
        ],
      };
      const mouseStock = await products.stockOf(mouse.id);
      const res = await place(body, key).expect(409);
      expect(res.body).toMatchObject({
        type: 'urn:techcommerce:problem:out-of-stock',
        status: 409,
        orderId: expect.any(String),
        items: [
          { index: 1, productId: scarce.id, sku: scarce.sku, name: scarce.name, requested: 2, available: 1 },
        ],
      });
      expect(res.body.detail).toBe(
        `not enough stock for items[1] "${scarce.name}" (${scarce.sku}): requested 2, available 1`,
      );
      expect(await products.stockOf(mouse.id)).toBe(mouseStock); // all or nothing
      expect(await products.reservation(res.body.orderId)).toBe(404);
      const again = await place(body, key).expect(409);
      expect(again.body).toMatchObject({
        type: res.body.type,
        orderId: res.body.orderId,
        detail: res.body.detail,
      });
      const failed = (await api.get(`/orders/${res.body.orderId}`).expect(200)).body as OrderView;
      // Never priced: product-api refused before it took (and priced) anything.
      expect(failed).toMatchObject({
        status: 'failed',
        stockStatus: 'none',
        currency: null,
        totalMinor: null,
        failure: { reason: 'out_of_stock' },
      });
      expect(failed.items[1]).toEqual({
        productId: scarce.id,
        sku: null,
        name: null,
        quantity: 2,
        unitPriceMinor: null,
        lineTotalMinor: null,
      });
    });

    test('unknown product: 422 naming the item, nothing taken; the failed order is replayed for the key', async () => {
      const ghost = '00000000-0000-4000-8000-00000000beef';
      const mouseStock = await products.stockOf(mouse.id);
      const key = newKey();
      const body = {
        customerId: 'cust-ghost',
        items: [
          { productId: mouse.id, quantity: 1 },
          { productId: ghost, quantity: 1 },
        ],
      };
      const res = await place(body, key).expect(422);
      expect(res.body).toMatchObject({
        type: 'urn:techcommerce:problem:unknown-product',
        orderId: expect.any(String),
        items: [{ index: 1, productId: ghost }],
        detail: `no such product: items[1].productId ${ghost}`,
      });
      expect(await products.stockOf(mouse.id)).toBe(mouseStock);
      expect((await place(body, key).expect(422)).body.orderId).toBe(res.body.orderId);
      const listed = (await api.get('/orders?customerId=cust-ghost').expect(200)).body.items as OrderView[];
      expect(listed.map((o) => [o.id, o.status, o.failure?.reason])).toEqual([
        [res.body.orderId, 'failed', 'unknown_product'],
      ]);
    });

    test('items priced in two currencies: 422, and the stock product-api took goes back', async () => {
      const dollars = await products.product('USD', { currency: 'USD', stock: 5 });
      const mouseStock = await products.stockOf(mouse.id);
      const key = newKey();
      const body = {
        customerId: 'c',
        items: [
          { productId: mouse.id, quantity: 1 },
          { productId: dollars.id, quantity: 1 },
        ],
      };
      const res = await place(body, key).expect(422);
      expect(res.body).toMatchObject({
        type: 'urn:techcommerce:problem:mixed-currencies',
        currencies: ['EUR', 'USD'],
        orderId: expect.any(String),
      });
      expect(await products.stockOf(mouse.id)).toBe(mouseStock);
      expect(await products.stockOf(dollars.id)).toBe(5);
      expect(await products.reservation(res.body.orderId)).toMatchObject({ status: 'released' });
      expect((await api.get(`/orders/${res.body.orderId}`).expect(200)).body).toMatchObject({
        status: 'failed',
        stockStatus: 'released',
        failure: { reason: 'mixed_currencies' },
      });
      expect((await place(body, key).expect(422)).body.orderId).toBe(res.body.orderId);
    });
  });

  describe('validation: every bad input is a 400 naming the field', () => {
    const uuid = '00000000-0000-4000-8000-000000000001';
    const ok = { customerId: 'c', items: [{ productId: uuid, quantity: 1 }] };
    test.each([
      ['no body', undefined, 'body', 'is required (a JSON document)'],
      ['no customerId', { items: ok.items }, 'body.customerId', 'is required'],
      ['no items', { customerId: 'c' }, 'body.items', 'is required'],
      ['empty items', { ...ok, items: [] }, 'body.items', 'must NOT have fewer than 1 items'],
      [
        '51 items',
        { ...ok, items: Array.from({ length: 51 }, () => ({ productId: uuid, quantity: 1 })) },
        'body.items',
        'must NOT have more than 50 items',
      ],
      [
        'productId not a uuid',
        { ...ok, items: [{ productId: 'x', quantity: 1 }] },
        'body.items[0].productId',
        'must match format "uuid"',
      ],
      [
        'quantity 0',
        { ...ok, items: [{ productId: uuid, quantity: 0 }] },
        'body.items[0].quantity',
        'must be >= 1',
      ],
      [
        'quantity 1.5',
        { ...ok, items: [{ productId: uuid, quantity: 1.5 }] },
        'body.items[0].quantity',
        'must be integer',
      ],
      [
        'quantity 1001',
        { ...ok, items: [{ productId: uuid, quantity: 1001 }] },
        'body.items[0].quantity',
        'must be <= 1000',
      ],
      ['quantity missing', { ...ok, items: [{ productId: uuid }] }, 'body.items[0].quantity', 'is required'],
      [
        'customerId with a space',
        { ...ok, customerId: 'a b' },
        'body.customerId',
        'must match pattern "^[A-Za-z0-9._@+:-]{1,100}$"',
      ],
      ['an unknown key', { ...ok, coupon: 'FREE' }, 'body.coupon', 'is not an allowed key'],
      [
        'contact email',
        { ...ok, contact: { name: 'A', email: 'nope' } },
        'body.contact.email',
        'must match format "email"',
      ],
      ['contact name missing', { ...ok, contact: { email: 'a@b.co' } }, 'body.contact.name', 'is required'],
      [
        'country in lower case',
        { ...ok, shippingAddress: { line1: 'x', city: 'y', postalCode: '12345', country: 'de' } },
        'body.shippingAddress.country',
        'must match pattern "^[A-Z]{2}$"',
      ],
    ])('POST /orders with %s', async (_what, body, field, message) => {
      const r = api.post('/orders').set('Idempotency-Key', newKey());
      const res = await (body === undefined ? r : r.send(body)).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field, message }]);
    });

    test('a product listed twice fits the document, so it is a 422 (documented), not a 400', async () => {
      const items = [
        { productId: uuid, quantity: 1 },
        { productId: uuid.toUpperCase(), quantity: 2 },
      ];
      const res = await place({ ...ok, items }).expect(422);
      expect(res.body.type).toBe('urn:techcommerce:problem:repeated-product');
      expect(res.body.errors).toEqual([
        { field: 'body.items[1].productId', message: 'repeats items[0]; put the whole quantity on one line' },
      ]);
    });

    test.each([
      ['missing', null, 'is required: one unique value per order (e.g. a UUID), sent again only to retry it'],
      ['with a space', 'a key', 'must be 1 to 200 visible ASCII characters'],
      ['over 200 characters', 'k'.repeat(201), 'must be 1 to 200 visible ASCII characters'],
    ])('POST /orders with the Idempotency-Key %s', async (_what, key, message) => {
      const res = await place(ok, key).expect(400);
      expect(res.body.errors).toEqual([{ field: 'header.Idempotency-Key', message }]);
    });

    test.each([
      ['', 'query.customerId', 'is required'],
      ['customerId=c&limit=0', 'query.limit', 'must be >= 1'],
      ['customerId=c&limit=101', 'query.limit', 'must be <= 100'],
      [
        'customerId=c&status=shipped',
        'query.status',
        'must be one of "pending", "confirmed", "failed", "cancelled"',
      ],
      [
        'customerId=c&cursor=garbage',
        'query.cursor',
        'cursor is malformed: pass nextCursor from a previous page unchanged',
      ],
      ['customerId=c&sort=asc', 'query.sort', 'is not an allowed key'],
    ])('GET /orders?%s names %s', async (qs, field, message) => {
      const res = await api.get(`/orders?${qs}`).expect(400);
      expect(res.body.errors).toEqual([{ field, message }]);
    });

    test('order ids in paths must be uuids; unknown ones are 404', async () => {
      expect((await api.get('/orders/42').expect(400)).body.errors).toEqual([
        { field: 'path.id', message: 'must match format "uuid"' },
      ]);
      expect((await api.post('/orders/42/cancel').expect(400)).body.errors).toEqual([
        { field: 'path.id', message: 'must match format "uuid"' },
      ]);
      await api.get(`/orders/${uuid}`).expect(404);
      await api.post(`/orders/${uuid}/cancel`).expect(404);
    });
  });

  describe('listing', () => {
    test("a customer's orders, newest first, page by page; a cursor is bound to its customer and filter", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (
            await place({ customerId: 'cust-list', items: [{ productId: mouse.id, quantity: 1 }] }).expect(
              201,
            )
          ).body.id,
        );
      }
      await place({ customerId: 'cust-other', items: [{ productId: mouse.id, quantity: 1 }] }).expect(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await api
          .get('/orders')
          .query({ customerId: 'cust-list', limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((o: OrderView) => o.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      const first = await api.get('/orders').query({ customerId: 'cust-list', limit: 2 }).expect(200);
      const foreign = await api
        .get('/orders')
        .query({ customerId: 'cust-other', cursor: first.body.nextCursor })
        .expect(400);
      expect(foreign.body.errors[0].message).toBe(
        'cursor belongs to another customer or status filter: start again without it',
      );
      await api.post(`/orders/${ids[0]}/cancel`).expect(200);
      const cancelled = await api
        .get('/orders')
        .query({ customerId: 'cust-list', status: 'cancelled' })
        .expect(200);
      expect(cancelled.body.items.map((o: OrderView) => o.id)).toEqual([ids[0]]);
    });
  });

  describe('cancelling', () => {
    test('a confirmed order: the committed stock goes back; cancelling again is idempotent', async () => {
      const before = await products.stockOf(laptop.id);
      const order = (
        await place({ customerId: 'cust-cancel', items: [{ productId: laptop.id, quantity: 3 }] }).expect(201)
      ).body as OrderView;
      expect(await products.stockOf(laptop.id)).toBe(before - 3);
      const res = await api.post(`/orders/${order.id}/cancel`).expect(200);
      expect(res.body).toMatchObject({
        id: order.id,
        status: 'cancelled',
        stockStatus: 'released',
        totalMinor: order.totalMinor,
      });
      expect(res.body.cancelledAt).toEqual(expect.any(String));
      expect(await products.stockOf(laptop.id)).toBe(before);
      expect(await products.reservation(order.id)).toMatchObject({ status: 'released' });
      const again = await api.post(`/orders/${order.id}/cancel`).expect(200);
      expect(again.body).toEqual(res.body);
      expect(await products.stockOf(laptop.id)).toBe(before);
    });

    test('a failed order cannot be cancelled (409)', async () => {
      const scarce = await products.product('NONE', { stock: 0 });
      const failed = await place({ customerId: 'c', items: [{ productId: scarce.id, quantity: 1 }] }).expect(
        409,
      );
      const res = await api.post(`/orders/${failed.body.orderId}/cancel`).expect(409);
      expect(res.body).toMatchObject({
        type: 'urn:techcommerce:problem:order-not-cancellable',
        status: 409,
        orderStatus: 'failed',
      });
    });

    test('concurrent cancels and retries of one order give the stock back exactly once', async () => {
      const item = await products.product('RACE', { stock: 30 });
      const key = newKey();
      const body = { customerId: 'cust-race-cancel', items: [{ productId: item.id, quantity: 5 }] };
      const order = (await place(body, key).expect(201)).body as OrderView;
      expect(await products.stockOf(item.id)).toBe(25);
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          i % 2 ? api.post(`/orders/${order.id}/cancel`) : place(body, key),
        ),
      );
      for (const a of answers) expect(a.status).toBe(200);
      const final = (await api.get(`/orders/${order.id}`).expect(200)).body as OrderView;
      expect(final).toMatchObject({ status: 'cancelled', stockStatus: 'released' });
      expect(await products.stockOf(item.id)).toBe(30);
      expect(await products.reservation(order.id)).toMatchObject({ status: 'released' });
    }, 60_000);
  });

  test('/metrics counts orders created and failed by reason, and order values', async () => {
    const text = (await api.get('/metrics').expect(200)).text;
    expect(metric(text, 'orders_created_total')).toBeGreaterThanOrEqual(10);
    expect(metric(text, 'orders_failed_total{reason="out_of_stock"}')).toBe(2);
    expect(metric(text, 'orders_failed_total{reason="unknown_product"}')).toBe(1);
    expect(metric(text, 'orders_failed_total{reason="mixed_currencies"}')).toBe(1);
    expect(metric(text, 'orders_failed_total{reason="product_api_unavailable"}')).toBe(0);
    expect(metric(text, 'orders_cancelled_total')).toBe(3);
    expect(metric(text, 'order_value_minor_count{currency="EUR"}')).toBe(
      metric(text, 'orders_created_total'),
    );
    // Three cancels and the mixed-currency order, each released at least once (concurrent cancels
    // of one order may each repeat the release: product-api gives the stock back once).
    expect(
      metric(text, 'orders_stock_operations_total{operation="release",result="done"}'),
    ).toBeGreaterThanOrEqual(4);
    expect(metric(text, 'upstream_circuit_state{upstream="product-api"}')).toBe(0);
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/orders",status_class="2xx"\}/,
    );
  });

  test('/openapi.json is the OpenAPI 3.1 document; /readyz checks the database only', async () => {
    const doc = (await api.get('/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/orders', '/orders/{id}', '/orders/{id}/cancel']);
    expect((await api.get('/readyz').expect(200)).body.checks).toEqual({ database: 'ok' });
  });
});
