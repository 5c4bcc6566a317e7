// One store suite, run against a real PostgreSQL server and against embedded PGlite.
import type { Db } from '@techcommerce/runtime';
import {
  BadCursorError,
  DuplicateSkuError,
  InsufficientStockError,
  InvalidTransitionError,
  NotFoundError,
  ReservationConflictError,
  UnknownProductsError,
} from '../src/domain/errors';
import { SORTS, type ListQuery, type Product } from '../src/domain/types';
import { seedCatalog } from '../src/seed/catalog';
import { seedIfEmpty } from '../src/seed/seed';
import { ProductStore } from '../src/store/products';
import { ReservationStore } from '../src/store/reservations';
import { DRIVERS, openMigrated, quietLogger } from './helpers';

const query = (q: Partial<ListQuery> = {}): ListQuery => ({ limit: 20, sort: 'name', ...q });

async function listAll(store: ProductStore, q: Partial<ListQuery>): Promise<Product[]> {
  const out: Product[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await store.list(query({ ...q, cursor }));
    out.push(...res.items);
    if (!res.nextCursor) return out;
    cursor = res.nextCursor;
  }
  throw new Error('pagination did not end');
}

const compare: Record<string, (a: Product, b: Product) => number> = {
  name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  price: (a, b) => a.priceMinor - b.priceMinor,
  createdAt: (a, b) => a.createdAt.localeCompare(b.createdAt),
};

describe.each(DRIVERS)('product and reservation stores on %s', (driver) => {
  let db: Db;
  let products: ProductStore;
  let reservations: ReservationStore;
  let all: Product[];

  beforeAll(async () => {
    db = await openMigrated(driver, 'pa_store');
    expect(await seedIfEmpty(db, seedCatalog, quietLogger())).toBe(seedCatalog.length);
    expect(await seedIfEmpty(db, seedCatalog, quietLogger())).toBe(0); // not empty any more
    products = new ProductStore(db);
    reservations = new ReservationStore(db);
    all = await listAll(products, { limit: 100 });
  }, 60_000);
  afterAll(() => db.close());

  const fresh = (sku: string, stock: number) =>
    products.create({ sku, name: `Test ${sku}`, category: 'test', priceMinor: 1000, currency: 'EUR', stock });

  describe('catalog', () => {
    test('the seed holds dozens of products in several categories', async () => {
      expect(all.length).toBe(seedCatalog.length);
      expect(all.length).toBeGreaterThanOrEqual(36);
      expect((await products.categories()).length).toBeGreaterThanOrEqual(6);
    });

    test.each(SORTS)('paging with sort=%s returns every product once, in order', async (sort) => {
      const paged = await listAll(products, { limit: 7, sort });
      expect(paged.map((p) => p.id).sort()).toEqual(all.map((p) => p.id).sort());
      const cmp = compare[sort.replace('-', '')]!;
      const dir = sort.startsWith('-') ? -1 : 1;
      for (let i = 1; i < paged.length; i++) {
        const c = dir * cmp(paged[i - 1]!, paged[i]!);
        expect(c < 0 || (c === 0 && dir * paged[i - 1]!.id.localeCompare(paged[i]!.id) < 0)).toBe(true);
      }
    });

    test('category filter and case-insensitive search over name, description and sku', async () => {
      const audio = await listAll(products, { category: 'audio', limit: 2 });
      expect(audio.length).toBe(seedCatalog.filter((p) => p.category === 'audio').length);
      expect(audio.every((p) => p.category === 'audio')).toBe(true);
      expect((await products.list(query({ q: 'NOISE-cancelling' }))).items.map((p) => p.sku)).toEqual([
        'AUD-NC700-BLK',
      ]);
      expect((await products.list(query({ q: 'sto-ssd' }))).items.length).toBe(2); // sku
      expect((await products.list(query({ q: 'e-ink' }))).items.map((p) => p.sku)).toEqual(['TAB-READ-7']); // description
      expect(
        (await products.list(query({ q: 'laptop', category: 'accessories' }))).items.map((p) => p.sku),
      ).toEqual(expect.arrayContaining(['ACC-STAND-ALU']));
    });

    test('search text is literal: % and _ match only themselves', async () => {
      await products.create({
        sku: 'PCT-100',
        name: '100% Cotton Sleeve',
        category: 'test',
        priceMinor: 1,
        currency: 'EUR',
        stock: 1,
      });
      expect((await products.list(query({ q: '100%' }))).items.map((p) => p.sku)).toEqual(['PCT-100']);
      expect((await products.list(query({ q: '%' }))).items.map((p) => p.sku)).toEqual(['PCT-100']);
      expect((await products.list(query({ q: '_' }))).items).toEqual([]);
    });

    test('a cursor only works with the sort and filters it came from', async () => {
      const page = await products.list(query({ limit: 3 }));
      expect(page.nextCursor).toEqual(expect.any(String));
      await expect(products.list(query({ sort: 'price', cursor: page.nextCursor! }))).rejects.toThrow(
        BadCursorError,
      );
      await expect(products.list(query({ category: 'audio', cursor: page.nextCursor! }))).rejects.toThrow(
        BadCursorError,
      );
      await expect(products.list(query({ cursor: 'not-a-cursor' }))).rejects.toThrow(BadCursorError);
      const forged = Buffer.from(JSON.stringify({ k: 'name||', v: 'x', id: "1' OR 1=1" })).toString(
        'base64url',
      );
      await expect(products.list(query({ cursor: forged }))).rejects.toThrow(BadCursorError);
    });

    test('get, create, update, delete', async () => {
      await expect(products.get('00000000-0000-4000-8000-000000000000')).rejects.toThrow(NotFoundError);
      const created = await fresh('CRUD-1', 5);
      expect(await products.get(created.id)).toEqual(created);
      await expect(fresh('CRUD-1', 1)).rejects.toThrow(DuplicateSkuError);
      await new Promise((r) => setTimeout(r, 5));
      const updated = await products.update(created.id, { priceMinor: 1234, name: 'Renamed' });
      expect(updated).toMatchObject({ priceMinor: 1234, name: 'Renamed', sku: 'CRUD-1', stock: 5 });
      expect(updated.updatedAt > created.updatedAt).toBe(true);
      await expect(products.update(created.id, { sku: all[0]!.sku })).rejects.toThrow(DuplicateSkuError);
      await expect(products.update('00000000-0000-4000-8000-000000000000', { stock: 1 })).rejects.toThrow(
        NotFoundError,
      );
      await products.delete(created.id);
      await expect(products.delete(created.id)).rejects.toThrow(NotFoundError);
    });
  });

  describe('reservations', () => {
    test('reserve takes the stock; a retry with the same id and items (any order) is replayed', async () => {
      const [a, b] = [await fresh('RSV-A1', 10), await fresh('RSV-B1', 10)];
      const first = await reservations.reserve('order-1', [
        { productId: a.id, quantity: 3 },
        { productId: b.id.toUpperCase(), quantity: 1 },
      ]);
      expect(first.replayed).toBe(false);
      expect(first.reservation).toMatchObject({ id: 'order-1', status: 'reserved' });
      // Each item with the catalog values it was reserved at, ids in lower case, sorted by id.
      expect(first.reservation.items).toEqual(
        [a, b]
          .map((p, i) => ({
            productId: p.id,
            quantity: [3, 1][i],
            sku: p.sku,
            name: p.name,
            priceMinor: 1000,
            currency: 'EUR',
          }))
          .sort((x, y) => (x.productId < y.productId ? -1 : 1)),
      );
      // A later price change does not change what the reservation answers.
      await products.update(a.id, { priceMinor: 1 });
      const again = await reservations.reserve('order-1', [
        { productId: b.id, quantity: 1 },
        { productId: a.id, quantity: 3 },
      ]);
      expect(again).toEqual({ reservation: first.reservation, replayed: true });
      expect((await products.get(a.id)).stock).toBe(7);
      expect((await products.get(b.id)).stock).toBe(9);
      await expect(reservations.reserve('order-1', [{ productId: a.id, quantity: 4 }])).rejects.toThrow(
        ReservationConflictError,
      );
    });

    test('all or nothing: one short item fails the whole reservation and changes no stock', async () => {
      const [a, b] = [await fresh('RSV-A2', 10), await fresh('RSV-B2', 2)];
      const err = await reservations
        .reserve('order-2', [
          { productId: a.id, quantity: 5 },
          { productId: b.id, quantity: 3 },
        ])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InsufficientStockError);
      expect((err as InsufficientStockError).shortages).toEqual([
        { productId: b.id, sku: 'RSV-B2', name: 'Test RSV-B2', requested: 3, available: 2 },
      ]);
      expect((await products.get(a.id)).stock).toBe(10);
      expect((await products.get(b.id)).stock).toBe(2);
      await expect(reservations.get('order-2')).rejects.toThrow(NotFoundError);
      const missing = '00000000-0000-4000-8000-00000000beef';
      const unknown = await reservations
        .reserve('order-2', [
          { productId: a.id, quantity: 1 },
          { productId: missing, quantity: 1 },
        ])
        .catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(UnknownProductsError);
      expect((unknown as UnknownProductsError).productIds).toEqual([missing]);
      expect((await products.get(a.id)).stock).toBe(10);
    });

    test('commit keeps the stock; release gives it back, reserved or committed, once; both idempotent', async () => {
      const p = await fresh('RSV-C', 10);
      await reservations.reserve('c-1', [{ productId: p.id, quantity: 4 }]);
      await reservations.reserve('c-2', [{ productId: p.id, quantity: 2 }]);
      expect((await reservations.commit('c-1')).status).toBe('committed');
      expect((await reservations.commit('c-1')).status).toBe('committed');
      expect((await products.get(p.id)).stock).toBe(4);
      // A cancelled order: committed stock goes back.
      expect(await reservations.release('c-1')).toMatchObject({
        effect: 'returned',
        reservation: { status: 'released' },
      });
      expect((await products.get(p.id)).stock).toBe(8);
      expect((await reservations.release('c-1')).effect).toBe('unchanged');
      await expect(reservations.commit('c-1')).rejects.toThrow(InvalidTransitionError);
      expect((await reservations.release('c-2')).effect).toBe('released');
      expect((await reservations.release('c-2')).effect).toBe('unchanged');
      expect((await products.get(p.id)).stock).toBe(10); // each returned once, not twice
      await expect(reservations.commit('c-2')).rejects.toThrow(InvalidTransitionError);
      await expect(reservations.commit('nope')).rejects.toThrow(NotFoundError);
    });

    test('reserve with commit takes the stock and commits it in one step; a retry with commit commits a reserved one', async () => {
      const p = await fresh('RSV-RC', 10);
      const first = await reservations.reserve('rc-1', [{ productId: p.id, quantity: 3 }], { commit: true });
      expect(first).toMatchObject({ replayed: false, reservation: { status: 'committed' } });
      expect(
        await reservations.reserve('rc-1', [{ productId: p.id, quantity: 3 }], { commit: true }),
      ).toEqual({
        reservation: first.reservation,
        replayed: true,
      });
      await reservations.reserve('rc-2', [{ productId: p.id, quantity: 1 }]);
      const committed = await reservations.reserve('rc-2', [{ productId: p.id, quantity: 1 }], {
        commit: true,
      });
      expect(committed).toMatchObject({ replayed: true, reservation: { status: 'committed' } });
      expect((await reservations.get('rc-2')).status).toBe('committed');
      expect((await products.get(p.id)).stock).toBe(6);
    });

    test('releasing an id never reserved records it released: a reservation arriving later takes nothing', async () => {
      const p = await fresh('RSV-LATE', 10);
      expect(await reservations.release('late-1')).toMatchObject({
        effect: 'absent',
        reservation: { id: 'late-1', status: 'released', items: [] },
      });
      const late = await reservations.reserve('late-1', [{ productId: p.id, quantity: 4 }], { commit: true });
      expect(late).toMatchObject({ replayed: true, reservation: { status: 'released', items: [] } });
      expect((await products.get(p.id)).stock).toBe(10);
      expect((await reservations.release('late-1')).effect).toBe('unchanged');
    });

    test.each([
      ['reserved', false],
      ['committed', true],
    ])(
      'concurrent commits and releases of one %s reservation give the stock back exactly once',
      async (_status, commit) => {
        const p = await fresh(`RSV-RACE-${String(commit).toUpperCase()}`, 50);
        const id = `race-${String(commit)}`;
        await reservations.reserve(id, [{ productId: p.id, quantity: 7 }], { commit });
        const ops = Array.from({ length: 30 }, (_, i) =>
          i % 2
            ? reservations.release(id).then((o) => o.effect)
            : reservations.commit(id).then(
                () => 'committed',
                (err: unknown) => (err instanceof InvalidTransitionError ? 'refused' : Promise.reject(err)),
              ),
        );
        const outcomes = await Promise.all(ops);
        const gaveBack = outcomes.filter((o) => o === 'released' || o === 'returned');
        expect(gaveBack).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(14);
        expect((await reservations.get(id)).status).toBe('released');
        expect((await products.get(p.id)).stock).toBe(50);
      },
      60_000,
    );

    test('a release racing the reservation it cancels: the stock ends where it started, every time', async () => {
      const p = await fresh('RSV-CANCEL-RACE', 100);
      for (let i = 0; i < 10; i++) {
        const id = `cancel-race-${i}`;
        await Promise.all([
          reservations.reserve(id, [{ productId: p.id, quantity: 2 }], { commit: true }),
          reservations.release(id),
        ]);
        expect((await reservations.get(id)).status).toBe('released');
      }
      expect((await products.get(p.id)).stock).toBe(100);
    }, 60_000);

    test('a reservation left reserved past its expiry is released by the sweep, once', async () => {
      const p = await fresh('RSV-EXP', 10);
      const kept = await reservations.reserve('exp-kept', [{ productId: p.id, quantity: 1 }]);
      await reservations.reserve('exp-1', [{ productId: p.id, quantity: 3 }]);
      await reservations.reserve('exp-2', [{ productId: p.id, quantity: 2 }]);
      await reservations.commit('exp-2');
      expect(Date.parse(kept.reservation.expiresAt) - Date.parse(kept.reservation.createdAt)).toBe(900_000);
      await db.query(
        "UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id IN ('exp-1', 'exp-2')",
      );
      const sweeps = await Promise.all([reservations.releaseExpired(), reservations.releaseExpired()]);
      expect(sweeps.flat().map((r) => r.id)).toEqual(['exp-1']);
      expect((await reservations.get('exp-1')).status).toBe('released');
      expect((await reservations.get('exp-2')).status).toBe('committed'); // committed: never expires
      expect((await reservations.get('exp-kept')).status).toBe('reserved');
      expect((await products.get(p.id)).stock).toBe(10 - 1 - 2);
      await expect(reservations.commit('exp-1')).rejects.toThrow(InvalidTransitionError);
      expect(await reservations.releaseExpired()).toEqual([]);
    });

    test('many concurrent reservations on one item never oversell and the sum adds up', async () => {
      const initial = 25;
      const p = await fresh('RSV-HOT', initial);
      const attempts = Array.from({ length: 60 }, (_, i) => ({ id: `hot-${i}`, quantity: 1 + (i % 3) }));
      const results = await Promise.allSettled(
        attempts.map((a) => reservations.reserve(a.id, [{ productId: p.id, quantity: a.quantity }])),
      );
      let reserved = 0;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') reserved += attempts[i]!.quantity;
        else expect(r.reason).toBeInstanceOf(InsufficientStockError);
      });
      const stock = (await products.get(p.id)).stock;
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(reserved + stock).toBe(initial);
      expect(stock).toBeLessThan(3); // at most one more small order would have fitted
      const { rows } = await db.query<{ total: number }>(
        'SELECT coalesce(sum(quantity), 0)::integer AS total FROM reservation_items WHERE product_id = $1',
        [p.id],
      );
      expect(rows[0]!.total).toBe(reserved);
    }, 60_000);

    test('concurrent retries of one reservation id reserve once', async () => {
      const p = await fresh('RSV-SAME', 100);
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => reservations.reserve('same-id', [{ productId: p.id, quantity: 5 }])),
      );
      expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
      expect((await products.get(p.id)).stock).toBe(95);
    }, 60_000);

    test('multi-item reservations in opposite orders do not deadlock', async () => {
      const [a, b] = [await fresh('RSV-DL-A', 1000), await fresh('RSV-DL-B', 1000)];
      const jobs = Array.from({ length: 30 }, (_, i) =>
        reservations.reserve(
          `dl-${i}`,
          i % 2
            ? [
                { productId: a.id, quantity: 1 },
                { productId: b.id, quantity: 1 },
              ]
            : [
                { productId: b.id, quantity: 1 },
                { productId: a.id, quantity: 1 },
              ],
        ),
      );
      const releases = Array.from({ length: 10 }, (_, i) =>
        jobs[i]!.then(() => reservations.release(`dl-${i}`)),
      );
      await Promise.all([...jobs, ...releases]);
      expect((await products.get(a.id)).stock).toBe(1000 - 30 + 10);
      expect((await products.get(b.id)).stock).toBe(1000 - 30 + 10);
    }, 60_000);
  });
});
