// The reconciler against a real product-api: commits when the cancellation window closes, fails
// abandoned pending orders, finishes releases product-api missed, and notices lost reservations.
// Time is simulated by moving order timestamps back in the database.
import { createRegistry, UpstreamClient, type Db, type Registry } from '@techcommerce/runtime';
import { ProductApi } from '../src/clients/product-api';
import { createOrderMetrics } from '../src/metrics';
import { Orders } from '../src/orders/orders';
import { startReconciler, type Reconciler } from '../src/orders/reconciler';
import { StockSync } from '../src/orders/stock';
import { OrderStore } from '../src/store/orders';
import {
  metric,
  newKey,
  openMigrated,
  quietLogger,
  startProductApi,
  type RunningProductApi,
} from './helpers';
import { FaultProxy } from './proxy';

let products: RunningProductApi;
let proxy: FaultProxy;
let db: Db;
let store: OrderStore;
let orders: Orders;
let reconciler: Reconciler;
let registry: Registry;
let http: UpstreamClient;

beforeAll(async () => {
  products = await startProductApi();
  proxy = new FaultProxy(products.url);
  const url = await proxy.start();
  db = await openMigrated('postgres', 'oa_reconcile');
  store = new OrderStore(db);
  registry = createRegistry();
  const logger = quietLogger();
  http = new UpstreamClient({
    name: 'product-api',
    settings: { url, timeoutMs: 500, retries: { maxAttempts: 1 }, breaker: { failureThreshold: 1000 } },
    registry,
    logger,
  });
  const api = new ProductApi(http);
  const metrics = createOrderMetrics(registry);
  const stock = new StockSync(store, api, metrics, logger);
  orders = new Orders({ store, products: api, stock, metrics, logger, cancelWindowSeconds: 300 });
  // A long interval: the test runs each round itself.
  reconciler = startReconciler({
    store,
    stock,
    metrics,
    logger,
    cancelWindowSeconds: 300,
    pendingTimeoutSeconds: 120,
    intervalMs: 3_600_000,
  });
}, 60_000);
afterAll(async () => {
  await reconciler.stop();
  http.close();
  await db.close();
  await proxy.close();
  await products.close();
});
afterEach(() => {
  proxy.rule = () => ({ kind: 'pass' });
});

const age = (id: string, column: string, seconds: number) =>
  db.query(`UPDATE orders SET ${column} = ${column} - make_interval(secs => $2) WHERE id = $1`, [
    id,
    seconds,
  ]);

async function place(productId: string, quantity: number) {
  return (await orders.place({ customerId: 'cust-rec', items: [{ productId, quantity }] }, newKey())).order;
}

describe('order reconciler (simulated time)', () => {
  test('commits the reservation once the cancellation window has closed, and only then', async () => {
    const item = await products.product('WINDOW', { stock: 10 });
    const order = await place(item.id, 2);
    expect(order.stockStatus).toBe('reserved');
    await reconciler.run();
    expect(await products.reservation(order.id)).toMatchObject({ status: 'reserved' });
    await age(order.id, 'confirmed_at', 301);
    expect((await reconciler.run()).committed).toBeGreaterThanOrEqual(1);
    expect(await products.reservation(order.id)).toMatchObject({ status: 'committed' });
    expect((await store.get(order.id))!.stockStatus).toBe('committed');
    await expect(orders.cancel(order.id)).rejects.toThrow('can no longer be cancelled');
    expect(await products.stockOf(item.id)).toBe(8);
  });

  test('a pending order nobody retried is failed as abandoned and the stock its lost answer reserved goes back', async () => {
    const item = await products.product('ABANDON', { stock: 10 });
    // product-api reserves, but its answer never arrives: the order stays pending.
    proxy.rule = (r) => (r.method === 'PUT' ? { kind: 'late', ms: 1500 } : { kind: 'pass' });
    await expect(place(item.id, 3)).rejects.toThrow(/no answer within/);
    proxy.rule = () => ({ kind: 'pass' });
    const [pending] = await store.list('cust-rec', { limit: 1, status: 'pending' });
    expect(await products.stockOf(item.id)).toBe(7);
    await age(pending!.id, 'created_at', 121);
    expect((await reconciler.run()).abandoned).toBe(1);
    const failed = (await store.get(pending!.id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      stockStatus: 'released',
      failure: { reason: 'abandoned' },
    });
    expect(await products.stockOf(item.id)).toBe(10);
    expect(await products.reservation(pending!.id)).toMatchObject({ status: 'released' });
    expect(metric(await registry.metrics(), 'orders_failed_total{reason="abandoned"}')).toBe(1);
  });

  test('a release product-api could not take is retried until it succeeds', async () => {
    const item = await products.product('RETRY', { stock: 10 });
    const order = await place(item.id, 4);
    proxy.rule = () => ({ kind: 'answer', status: 503 });
    expect(await orders.cancel(order.id)).toMatchObject({ status: 'cancelled', stockStatus: 'releasing' });
    await age(order.id, 'updated_at', 11);
    await reconciler.run(); // still failing: stays releasing
    expect((await store.get(order.id))!.stockStatus).toBe('releasing');
    proxy.rule = () => ({ kind: 'pass' });
    expect((await reconciler.run()).retriedReleases).toBeGreaterThanOrEqual(1);
    expect((await store.get(order.id))!.stockStatus).toBe('released');
    expect(await products.stockOf(item.id)).toBe(10);
    const text = await registry.metrics();
    expect(
      metric(text, 'orders_stock_operations_total{operation="release",result="deferred"}'),
    ).toBeGreaterThanOrEqual(2);
  });

  test('a reservation product-api released before the commit is reported lost, not silently committed', async () => {
    const item = await products.product('LOST', { stock: 10 });
    const order = await place(item.id, 1);
    // product-api's TTL sweeper would do this after reservations.ttlSeconds.
    await http.post(`/reservations/${order.id}/release`);
    await age(order.id, 'confirmed_at', 301);
    await reconciler.run();
    expect((await store.get(order.id))!).toMatchObject({ status: 'confirmed', stockStatus: 'lost' });
    expect(
      metric(await registry.metrics(), 'orders_stock_operations_total{operation="commit",result="lost"}'),
    ).toBe(1);
  });

  test('replicas reconciling at once commit each order once (compare-and-set)', async () => {
    const item = await products.product('TWICE', { stock: 10 });
    const order = await place(item.id, 1);
    await age(order.id, 'confirmed_at', 301);
    const other = startReconciler({
      store,
      stock: new StockSync(store, new ProductApi(http), createOrderMetrics(createRegistry()), quietLogger()),
      metrics: createOrderMetrics(createRegistry()),
      logger: quietLogger(),
      cancelWindowSeconds: 300,
      pendingTimeoutSeconds: 120,
      intervalMs: 3_600_000,
    });
    const before = proxy.count('POST', `/reservations/${order.id}/commit`);
    const reports = await Promise.all([reconciler.run(), other.run()]);
    await other.stop();
    expect(reports.map((r) => r.committed).reduce((a, b) => a + b)).toBe(1);
    expect(proxy.count('POST', `/reservations/${order.id}/commit`) - before).toBe(1);
    expect((await store.get(order.id))!.stockStatus).toBe('committed');
  });
});
