// order-api when product-api is down, slow or flapping. product-api is real (in-process, on
// PostgreSQL); the faults are injected on the wire by a real HTTP proxy between the two (proxy.ts)
// or by pointing order-api at a port where nothing listens.
import request from 'supertest';
import { freePort } from '../../../scripts/src/testing/postgres';
import type { OrderApiConfig } from '../src/service';
import {
  metric,
  newKey,
  startOrderApi,
  startProductApi,
  type OrderApi,
  type RunningProductApi,
} from './helpers';
import { FaultProxy } from './proxy';

// Tight budgets so outages show in well under a second.
const upstream: Partial<NonNullable<OrderApiConfig['productApi']>> = {
  timeoutMs: 300,
  totalTimeoutMs: 800,
  retries: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  breaker: { failureThreshold: 5, coolDownMs: 600 },
};

let products: RunningProductApi;
let proxy: FaultProxy;
let proxyUrl: string;
beforeAll(async () => {
  products = await startProductApi();
  proxy = new FaultProxy(products.url);
  proxyUrl = await proxy.start();
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await products.close();
});

let svc: OrderApi | undefined;
afterEach(async () => {
  proxy.rule = () => ({ kind: 'pass' });
  await svc?.shutdown();
  svc = undefined;
});

async function orderApiVia(url: string) {
  svc = await startOrderApi(url, { config: { productApi: { url, ...upstream } } });
  return request(svc.app.server);
}

const body = (productId: string, quantity = 1) => ({
  customerId: 'cust-res',
  items: [{ productId, quantity }],
});

async function timed<T>(p: PromiseLike<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await p;
  return [v, performance.now() - t0];
}

describe('order-api when product-api misbehaves', () => {
  test('down (connection refused): a 503 problem within a second naming product-api and the pending order; reads still work', async () => {
    const item = await products.product('DOWN');
    const up = await orderApiVia(proxyUrl);
    const key = newKey();
    const placed = await up.post('/orders').set('Idempotency-Key', key).send(body(item.id)).expect(201);
    // Same database, product-api now unreachable: a port where nothing listens.
    const orderDb = svc!.config.database;
    await svc!.shutdown();
    const dead = `http://127.0.0.1:${await freePort()}`;
    svc = await startOrderApi(dead, {
      config: { database: orderDb, productApi: { url: dead, ...upstream } },
    });
    const api = request(svc.app.server);
    const [res, ms] = await timed(
      api
        .post('/orders')
        .set('Idempotency-Key', newKey())
        .send({ ...body(item.id), customerId: 'cust-down' }),
    );
    expect(res.status).toBe(503);
    expect(ms).toBeLessThan(1000);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(res.body).toMatchObject({
      type: 'urn:techcommerce:problem:upstream-unavailable',
      status: 503,
      upstream: 'product-api',
      reason: 'network',
    });
    expect(res.body.detail).toMatch(/^product-api is unavailable \(cannot connect: ECONNREFUSED\)/);
    // Recorded before product-api was called: pending, unpriced, retryable with the same key.
    expect((await api.get('/orders?customerId=cust-down').expect(200)).body.items).toMatchObject([
      { id: res.body.orderId, status: 'pending', stockStatus: 'none', totalMinor: null },
    ]);
    expect((await api.get(`/orders/${placed.body.id}`).expect(200)).body.status).toBe('confirmed');
    const text = (await api.get('/metrics').expect(200)).text;
    expect(metric(text, 'orders_failed_total{reason="product_api_unavailable"}')).toBe(1);
    expect(
      metric(text, 'upstream_request_duration_seconds_count{upstream="product-api",outcome="network_error"}'),
    ).toBe(3);
    // A retry of an order already placed is answered from order-api's own records.
    const replay = await api.post('/orders').set('Idempotency-Key', key).send(body(item.id)).expect(200);
    expect(replay.body.id).toBe(placed.body.id);
    // …and is not counted as a failed order.
    const after = (await api.get('/metrics').expect(200)).text;
    expect(metric(after, 'orders_failed_total{reason="product_api_unavailable"}')).toBe(1);
  }, 60_000);

  test('slow (no answer): a 503 with reason timeout after totalTimeoutMs, never a hang; the PUT was retried', async () => {
    const item = await products.product('SLOW');
    const api = await orderApiVia(proxyUrl);
    proxy.rule = (r) => (r.path.startsWith('/reservations/') ? { kind: 'hang' } : { kind: 'pass' });
    const before = proxy.count('PUT', '/reservations/');
    const [res, ms] = await timed(api.post('/orders').set('Idempotency-Key', newKey()).send(body(item.id)));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ reason: 'timeout', upstream: 'product-api' });
    expect(ms).toBeGreaterThanOrEqual(750);
    expect(ms).toBeLessThan(1500);
    expect(proxy.count('PUT', '/reservations/') - before).toBe(3); // 300 + 300 + what is left of 800 ms
  }, 30_000);

  test('the reservation answer is lost after product-api applied it: the order stays pending; a retry with the key confirms it, taking the stock once', async () => {
    const item = await products.product('LATE', { stock: 10 });
    const api = await orderApiVia(proxyUrl);
    proxy.rule = (r) => (r.method === 'PUT' ? { kind: 'late', ms: 1000 } : { kind: 'pass' });
    const key = newKey();
    const first = await api.post('/orders').set('Idempotency-Key', key).send(body(item.id, 3)).expect(503);
    expect(first.body).toMatchObject({ reason: 'timeout', orderId: expect.any(String) });
    const orderId = first.body.orderId as string;
    expect((await api.get(`/orders/${orderId}`).expect(200)).body).toMatchObject({
      status: 'pending',
      stockStatus: 'none',
    });
    // product-api did reserve (each PUT replayed the same reservation): the stock went down once.
    expect(await products.reservation(orderId)).toMatchObject({ status: 'committed' });
    expect(await products.stockOf(item.id)).toBe(7);
    expect(proxy.count('PUT', `/reservations/${orderId}`)).toBeGreaterThanOrEqual(2);

    proxy.rule = () => ({ kind: 'pass' });
    const retry = await api.post('/orders').set('Idempotency-Key', key).send(body(item.id, 3)).expect(201);
    expect(retry.body).toMatchObject({ id: orderId, status: 'confirmed', stockStatus: 'committed' });
    expect(await products.stockOf(item.id)).toBe(7);
    const replay = await api.post('/orders').set('Idempotency-Key', key).send(body(item.id, 3)).expect(200);
    expect(replay.body.id).toBe(orderId);
  }, 30_000);

  test('flapping: the breaker opens, calls fail fast without reaching product-api, then a half-open trial closes it', async () => {
    const item = await products.product('FLAP', { stock: 10 });
    const api = await orderApiVia(proxyUrl);
    proxy.rule = () => ({ kind: 'answer', status: 503 });
    const place = () => api.post('/orders').set('Idempotency-Key', newKey()).send(body(item.id));
    expect((await place()).body).toMatchObject({ status: 503, reason: 'status' }); // 3 failed attempts
    await place(); // 2 more: the fifth opens the circuit
    const sent = proxy.seen.length;
    const [open, ms] = await timed(place());
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ reason: 'circuit-open', upstream: 'product-api' });
    expect(open.headers['retry-after']).toBe('1');
    expect(ms).toBeLessThan(100);
    expect(proxy.seen.length).toBe(sent); // nothing reached product-api
    let text = (await api.get('/metrics').expect(200)).text;
    expect(metric(text, 'upstream_circuit_state{upstream="product-api"}')).toBe(2);
    expect(metric(text, 'upstream_short_circuits_total{upstream="product-api"}')).toBeGreaterThanOrEqual(1);

    proxy.rule = () => ({ kind: 'pass' });
    await new Promise((r) => setTimeout(r, 650)); // the cool-down
    const recovered = await place().expect(201);
    expect(recovered.body.status).toBe('confirmed');
    text = (await api.get('/metrics').expect(200)).text;
    expect(metric(text, 'upstream_circuit_state{upstream="product-api"}')).toBe(0);
  }, 30_000);

  test('a failed trial while half-open opens the circuit again', async () => {
    const item = await products.product('TRIAL');
    const api = await orderApiVia(proxyUrl);
    proxy.rule = () => ({ kind: 'reset' });
    const place = () => api.post('/orders').set('Idempotency-Key', newKey()).send(body(item.id));
    await place();
    await place();
    expect((await place()).body.reason).toBe('circuit-open');
    await new Promise((r) => setTimeout(r, 650));
    const sent = proxy.seen.length;
    expect((await place()).body.reason).toBe('network'); // the one trial call, failed
    expect(proxy.seen.length).toBe(sent + 1);
    expect((await place()).body.reason).toBe('circuit-open');
  }, 30_000);

  test('cancel while product-api is unreachable: cancelled at once, the release is finished when it is back', async () => {
    const item = await products.product('CANCEL', { stock: 10 });
    const api = await orderApiVia(proxyUrl);
    const order = await api
      .post('/orders')
      .set('Idempotency-Key', newKey())
      .send(body(item.id, 4))
      .expect(201);
    expect(await products.stockOf(item.id)).toBe(6);
    proxy.rule = () => ({ kind: 'reset' });
    const cancelled = await api.post(`/orders/${order.body.id}/cancel`).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', stockStatus: 'releasing' });
    expect(await products.stockOf(item.id)).toBe(6);
    proxy.rule = () => ({ kind: 'pass' });
    // Cancelling again carries the release on (the reconciler would too: reconciler.test.ts).
    const again = await api.post(`/orders/${order.body.id}/cancel`).expect(200);
    expect(again.body).toMatchObject({ status: 'cancelled', stockStatus: 'released' });
    expect(await products.stockOf(item.id)).toBe(10);
  }, 30_000);

  test.each([
    ['before product-api took the stock (the reservation arrives after the release)', 'delayed'],
    ['after product-api took the stock (its answer arrives after the cancel)', 'late'],
  ] as const)(
    'a cancel while the order is being placed, %s: the order ends cancelled, the stock where it started',
    async (_when, kind) => {
      const item = await products.product('RACE', { stock: 10 });
      svc = await startOrderApi(proxyUrl, { config: { productApi: { url: proxyUrl, timeoutMs: 5000 } } });
      const api = request(svc.app.server);
      proxy.rule = (r) => (r.method === 'PUT' ? { kind, ms: 600 } : { kind: 'pass' });
      const key = newKey();
      const placing = api
        .post('/orders')
        .set('Idempotency-Key', key)
        .send(body(item.id, 4))
        .then((r) => r);
      let pending: { id: string } | undefined;
      while (!pending) {
        await new Promise((r) => setTimeout(r, 50));
        [pending] = (await api.get('/orders?customerId=cust-res&status=pending').expect(200)).body.items;
      }
      const cancelled = await api.post(`/orders/${pending.id}/cancel`).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', stockStatus: 'released' });
      // The placing request finds its order cancelled: it gives back what it took, answers the order.
      const placed = await placing;
      expect(placed.status).toBe(200);
      expect(placed.body).toMatchObject({ id: pending.id, status: 'cancelled', stockStatus: 'released' });
      expect(await products.stockOf(item.id)).toBe(10);
      const reservation = await products.reservation(pending.id);
      expect(reservation).toMatchObject({ status: 'released' });
      // Released before it was made: product-api took nothing (no items), not took-and-gave-back.
      expect(reservation !== 404 && reservation.items).toHaveLength(kind === 'delayed' ? 0 : 1);
      // A retry with the key answers the cancelled order and takes nothing.
      await api.post('/orders').set('Idempotency-Key', key).send(body(item.id, 4)).expect(200);
      expect(await products.stockOf(item.id)).toBe(10);
    },
    30_000,
  );

  test('a request id sent to order-api reaches product-api', async () => {
    const item = await products.product('RID');
    const api = await orderApiVia(proxyUrl);
    const ids: string[] = [];
    proxy.rule = () => ({ kind: 'pass' });
    const seen = proxy.seen.length;
    await api
      .post('/orders')
      .set({ 'Idempotency-Key': newKey(), 'x-request-id': 'checkout-42' })
      .send(body(item.id))
      .expect(201);
    for (const s of proxy.seen.slice(seen)) ids.push(s.requestId ?? '');
    expect(ids.length).toBeGreaterThanOrEqual(1); // the reservation (which also prices the order)
    expect(new Set(ids)).toEqual(new Set(['checkout-42']));
  }, 30_000);
});
