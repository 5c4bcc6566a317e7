// The order store on PostgreSQL and on PGlite: the same SQL, the same behaviour.
import { randomUUID } from 'node:crypto';
import type { Db } from '@techcommerce/runtime';
import type { OrderFailure } from '../src/domain/types';
import { OrderStore, type NewOrder, type Pricing } from '../src/store/orders';
import { DRIVERS, openMigrated } from './helpers';

const productId = randomUUID();
const line = {
  productId,
  sku: 'SKU-1',
  name: 'Thing',
  quantity: 2,
  unitPriceMinor: 500,
  lineTotalMinor: 1000,
};
const unpriced = {
  productId,
  sku: null,
  name: null,
  quantity: 2,
  unitPriceMinor: null,
  lineTotalMinor: null,
};
const pricing: Pricing = { items: [line], currency: 'EUR', totalMinor: 1000 };

const newOrder = (o: Partial<NewOrder> = {}): NewOrder => ({
  id: randomUUID(),
  idempotencyKey: `k-${randomUUID()}`,
  requestHash: 'h',
  customerId: 'cust',
  items: [{ productId, quantity: 2 }],
  ...o,
});

const failure: OrderFailure = {
  reason: 'out_of_stock',
  status: 409,
  problem: { type: 'urn:x', title: 'Out of stock', status: 409, detail: 'd' },
};

describe.each(DRIVERS)('order store (%s)', (driver) => {
  let db: Db;
  let store: OrderStore;
  beforeAll(async () => {
    db = await openMigrated(driver, 'oa_store');
    store = new OrderStore(db);
  }, 60_000);
  afterAll(() => db.close());

  // Simulated time: moves an order's timestamps into the past.
  const age = (id: string, column: 'created_at' | 'updated_at', seconds: number) =>
    db.query(`UPDATE orders SET ${column} = ${column} - make_interval(secs => $2) WHERE id = $1`, [
      id,
      seconds,
    ]);

  test('insertPending: a new key inserts an unpriced pending order; the same key returns the existing order', async () => {
    const a = newOrder({
      contact: { name: 'A', email: 'a@b.co' },
      shippingAddress: { line1: 'l', city: 'c', postalCode: '123', country: 'DE' },
    });
    const first = await store.insertPending(a);
    expect(first.inserted).toBe(true);
    expect(first.order).toMatchObject({
      id: a.id,
      status: 'pending',
      stockStatus: 'none',
      currency: null,
      totalMinor: null,
      items: [unpriced],
      contact: { name: 'A', email: 'a@b.co' },
      shippingAddress: { country: 'DE' },
      failure: null,
      confirmedAt: null,
    });
    const again = await store.insertPending({ ...newOrder(), idempotencyKey: a.idempotencyKey });
    expect(again).toEqual({ order: first.order, inserted: false });
    expect(await store.findByKey(a.idempotencyKey)).toEqual(first.order);
  });

  test('10 concurrent inserts with one key: exactly one inserts, all see the same order', async () => {
    const key = `k-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.insertPending(newOrder({ idempotencyKey: key }))),
    );
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
  });

  test('totals beyond 32 bits survive (bigint)', async () => {
    const big = 50 * 1000 * 1_000_000_000;
    const { order } = await store.insertPending(newOrder());
    await store.confirm(order, { ...pricing, totalMinor: big }, 'committed');
    expect((await store.get(order.id))!.totalMinor).toBe(big);
  });

  test('transitions are compare-and-set: confirm (with its prices) and fail only from pending, once', async () => {
    const { order } = await store.insertPending(newOrder());
    const confirmed = await store.confirm(order, pricing, 'committed');
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      stockStatus: 'committed',
      currency: 'EUR',
      totalMinor: 1000,
      items: [line],
      confirmedAt: expect.any(String),
    });
    // What confirm answers without reading the row back is what the row holds.
    expect(await store.get(order.id)).toEqual(confirmed);
    expect(await store.confirm(order, pricing, 'committed')).toBeUndefined();
    expect(await store.fail(order.id, failure, 'none')).toBeUndefined();

    const other = (await store.insertPending(newOrder())).order;
    const failed = await store.fail(other.id, failure, 'none');
    expect(failed).toMatchObject({ status: 'failed', failure, currency: null });
    expect(await store.confirm(other, pricing, 'committed')).toBeUndefined();
  });

  test('a confirmed order without a currency or total is refused by the database', async () => {
    const { order } = await store.insertPending(newOrder());
    await expect(
      db.query(`UPDATE orders SET status = 'confirmed' WHERE id = $1`, [order.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  test('cancel: a pending or confirmed order, whatever product-api holds; once; never a failed one', async () => {
    const pending = (await store.insertPending(newOrder())).order;
    expect(await store.cancel(pending.id)).toMatchObject({ status: 'cancelled', stockStatus: 'releasing' });
    expect(await store.cancel(pending.id)).toBeUndefined();

    for (const stock of ['committed', 'committing'] as const) {
      const confirmed = (await store.insertPending(newOrder())).order;
      await store.confirm(confirmed, pricing, stock);
      expect(await store.cancel(confirmed.id)).toMatchObject({
        status: 'cancelled',
        stockStatus: 'releasing',
        totalMinor: 1000,
        cancelledAt: expect.any(String),
      });
      // A commit racing the cancel finds the stock state moved on.
      expect(await store.moveStock(confirmed.id, ['committing'], 'committed')).toBeUndefined();
    }

    const failed = (await store.insertPending(newOrder())).order;
    await store.fail(failed.id, failure, 'none');
    expect(await store.cancel(failed.id)).toBeUndefined();
  });

  test('list: newest first, keyset pages without gaps or repeats even for equal timestamps; status filter', async () => {
    const customerId = `cust-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await store.insertPending(newOrder({ customerId }))).order.id);
    // Three orders share one timestamp: the id decides their order.
    await db.query(
      `UPDATE orders SET created_at = (SELECT created_at FROM orders WHERE id = $1) WHERE id = ANY($2::uuid[])`,
      [ids[3], [ids[2], ids[4]]],
    );
    const all = await store.list(customerId, { limit: 100 });
    const pages: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const rows = await store.list(customerId, { limit: 3, after });
      pages.push(...rows.slice(0, 3).map((r) => r.id));
      if (rows.length <= 3) break;
      const last = rows[2]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(pages).toEqual(all.map((r) => r.id));
    expect(new Set(pages)).toEqual(new Set(ids));
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
    }
    await store.confirm((await store.get(ids[0]!))!, pricing, 'committed');
    expect((await store.list(customerId, { limit: 10, status: 'confirmed' })).map((r) => r.id)).toEqual([
      ids[0],
    ]);
  });

  test('the reconciler finds earlier-version orders to commit, unfinished stock work and abandoned orders (simulated time)', async () => {
    const legacy = (await store.insertPending(newOrder())).order;
    await store.confirm(legacy, pricing, 'committed');
    expect(await store.reservedOnly(100)).not.toContain(legacy.id);
    // What the earlier version left: confirmed, stock only reserved.
    await db.query(`UPDATE orders SET stock = 'reserved' WHERE id = $1`, [legacy.id]);
    expect(await store.reservedOnly(100)).toContain(legacy.id);

    const releasing = (await store.insertPending(newOrder())).order;
    await store.cancel(releasing.id);
    expect(await store.unfinishedStock('releasing', 10, 100)).not.toContain(releasing.id);
    await age(releasing.id, 'updated_at', 11);
    expect(await store.unfinishedStock('releasing', 10, 100)).toContain(releasing.id);

    const stale = (await store.insertPending(newOrder())).order;
    expect(await store.abandoned(120, 100)).not.toContain(stale.id);
    await age(stale.id, 'created_at', 121);
    expect(await store.abandoned(120, 100)).toContain(stale.id);
  });
});
