import { createRegistry, type Db } from '@techcommerce/runtime';
import { CatalogCache } from '../src/cache';
import { createProductMetrics } from '../src/metrics';
import { ProductStore } from '../src/store/products';
import { ReservationStore } from '../src/store/reservations';
import { startReservationSweeper } from '../src/sweeper';
import { openMigrated, quietLogger } from './helpers';

describe('reservation sweeper (PGlite)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated('pglite', 'unused');
  }, 60_000);
  afterAll(() => db.close());

  test('releases expired reservations, counts them, and refreshes the cached item', async () => {
    const products = new ProductStore(db);
    const reservations = new ReservationStore(db);
    const registry = createRegistry();
    const metrics = createProductMetrics(registry);
    const cache = new CatalogCache(60_000, 100);
    const p = await products.create({
      sku: 'SWP-1',
      name: 'x',
      category: 'test',
      priceMinor: 1,
      currency: 'EUR',
      stock: 5,
    });
    await reservations.reserve('swp-1', [{ productId: p.id, quantity: 4 }]);
    await cache.get(`item:${p.id}`, async () => Buffer.from(JSON.stringify(await products.get(p.id))));
    await db.query("UPDATE reservations SET expires_at = now() - interval '1 second'");
    const sweeper = startReservationSweeper({
      reservations,
      cache,
      metrics,
      logger: quietLogger(),
      intervalMs: 60_000,
    });
    try {
      expect(await sweeper.sweep()).toBe(1);
      expect(await sweeper.sweep()).toBe(0);
    } finally {
      await sweeper.stop();
    }
    const item = await cache.get(`item:${p.id}`, async () =>
      Buffer.from(JSON.stringify(await products.get(p.id))),
    );
    expect(JSON.parse(item.toString()).stock).toBe(5);
    expect(await registry.metrics()).toMatch(
      /product_stock_reservations_total\{operation="expire",result="released"\} 1/,
    );
  });
});

describe('reservation sweeper: tombstones and stopping (PGlite)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated('pglite', 'unused');
  }, 60_000);
  afterAll(() => db.close());

  test('purges tombstones past the retention and keeps younger ones', async () => {
    const reservations = new ReservationStore(db);
    await reservations.release('tomb-old');
    await reservations.release('tomb-new');
    await db.query("UPDATE reservations SET updated_at = now() - interval '200 hours' WHERE id = 'tomb-old'");
    const sweeper = startReservationSweeper({
      reservations,
      cache: new CatalogCache(60_000, 100),
      metrics: createProductMetrics(createRegistry()),
      logger: quietLogger(),
      intervalMs: 60_000,
      tombstoneRetentionHours: 168,
    });
    try {
      await sweeper.sweep();
    } finally {
      await sweeper.stop();
    }
    const { rows } = await db.query<{ id: string }>(
      "SELECT id FROM reservations WHERE id LIKE 'tomb-%' ORDER BY id",
    );
    expect(rows.map((r) => r.id)).toEqual(['tomb-new']);
  });

  test('stop() waits for a sweep in progress', async () => {
    const reservations = new ReservationStore(db);
    // A sweep that takes a while: its release of expired reservations is held back 300 ms.
    const slow = Object.assign(Object.create(reservations) as ReservationStore, {
      releaseExpired: async () => {
        await new Promise((r) => setTimeout(r, 300));
        return [];
      },
    });
    let swept = false;
    const sweeper = startReservationSweeper({
      reservations: slow,
      cache: new CatalogCache(60_000, 100),
      metrics: createProductMetrics(createRegistry()),
      logger: quietLogger(),
      intervalMs: 60_000,
    });
    void sweeper.sweep().then(() => (swept = true));
    await sweeper.stop();
    expect(swept).toBe(true);
  });
});
