// Stock reservations. One transaction per operation; product rows are locked in id order
// (SELECT ... FOR UPDATE) before stock changes, so concurrent reservations queue per product,
// never oversell, and never deadlock on each other. The stock >= 0 CHECK backs this up.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '@techcommerce/runtime';
import {
  InsufficientStockError,
  InvalidTransitionError,
  NotFoundError,
  ReservationConflictError,
  UnknownProductsError,
  type Shortage,
} from '../domain/errors';
import type { Reservation, ReservationItem, ReservationStatus } from '../domain/types';

interface ReservationRow {
  id: string;
  status: ReservationStatus;
  request_hash: string;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
}

export type ReserveOutcome = { reservation: Reservation; replayed: boolean };

/** Same items in any order give the same hash: a retry is recognised as the same request. */
export function requestHash(items: ReservationItem[]): string {
  const canonical = [...items]
    .sort((a, b) => (a.productId < b.productId ? -1 : 1))
    .map((i) => [i.productId, i.quantity]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export class ReservationStore {
  /** ttlSeconds: how long a reservation may stay neither committed nor released. */
  constructor(
    private readonly db: Db,
    private readonly ttlSeconds = 900,
  ) {}

  /** All items or none. A retry with the same id and items returns the existing reservation. */
  async reserve(id: string, requested: ReservationItem[]): Promise<ReserveOutcome> {
    // PostgreSQL prints uuids in lower case; compare and hash them the same way.
    const items = requested.map((i) => ({ productId: i.productId.toLowerCase(), quantity: i.quantity }));
    const hash = requestHash(items);
    const sorted = [...items].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    const ids = sorted.map((i) => i.productId);
    const quantities = sorted.map((i) => i.quantity);
    return this.db.transaction(async (tx) => {
      // A concurrent insert of the same id waits here until the other transaction ends.
      const inserted = await tx.query(
        `INSERT INTO reservations (id, status, request_hash, expires_at)
         VALUES ($1, 'reserved', $2, date_trunc('milliseconds', now()) + make_interval(secs => $3))
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, hash, this.ttlSeconds],
      );
      if (inserted.rows.length === 0) {
        const existing = await this.load(tx, id);
        if (existing.hash !== hash) {
          throw new ReservationConflictError(`reservation ${id} already exists with different items`);
        }
        return { reservation: existing.reservation, replayed: true };
      }
      const { rows } = await tx.query<{ id: string; stock: number }>(
        'SELECT id, stock FROM products WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [ids],
      );
      const stock = new Map(rows.map((r) => [r.id, r.stock]));
      const unknown = ids.filter((pid) => !stock.has(pid));
      if (unknown.length) throw new UnknownProductsError(unknown);
      const shortages: Shortage[] = sorted
        .filter((i) => stock.get(i.productId)! < i.quantity)
        .map((i) => ({ productId: i.productId, requested: i.quantity, available: stock.get(i.productId)! }));
      if (shortages.length) throw new InsufficientStockError(shortages);
      await tx.query(
        `UPDATE products p SET stock = p.stock - r.quantity, updated_at = date_trunc('milliseconds', now())
         FROM unnest($1::uuid[], $2::integer[]) AS r(id, quantity) WHERE p.id = r.id`,
        [ids, quantities],
      );
      await tx.query(
        `INSERT INTO reservation_items (reservation_id, product_id, quantity)
         SELECT $1, r.id, r.quantity FROM unnest($2::uuid[], $3::integer[]) AS r(id, quantity)`,
        [id, ids, quantities],
      );
      return { reservation: (await this.load(tx, id)).reservation, replayed: false };
    });
  }

  async get(id: string): Promise<Reservation> {
    return (await this.load(this.db, id)).reservation;
  }

  /** The stock stays taken for good. Committing twice is fine; committing a released one is not. */
  commit(id: string): Promise<Reservation> {
    return this.transition(id, 'committed', async () => undefined);
  }

  /** The stock goes back. Releasing twice is fine; releasing a committed one is not. */
  release(id: string): Promise<Reservation> {
    return this.transition(id, 'released', (tx) => this.returnStock(tx, id));
  }

  /**
   * Releases reservations whose expiry has passed (oldest first, at most `limit`). Safe on several
   * replicas at once: each release locks its row and re-checks the status.
   */
  async releaseExpired(limit = 100): Promise<Reservation[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM reservations WHERE status = 'reserved' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
      [limit],
    );
    const released: Reservation[] = [];
    for (const { id } of rows) {
      const r = await this.transition(id, 'released', (tx) => this.returnStock(tx, id), true);
      if (r) released.push(r);
    }
    return released;
  }

  private async returnStock(tx: Queryable, id: string): Promise<void> {
    await tx.query(
      `SELECT p.id FROM products p JOIN reservation_items r ON r.product_id = p.id
       WHERE r.reservation_id = $1 ORDER BY p.id FOR UPDATE OF p`,
      [id],
    );
    await tx.query(
      `UPDATE products p SET stock = p.stock + r.quantity, updated_at = date_trunc('milliseconds', now())
       FROM reservation_items r WHERE r.reservation_id = $1 AND p.id = r.product_id`,
      [id],
    );
  }

  private transition(
    id: string,
    to: 'committed' | 'released',
    effect: (tx: Queryable) => Promise<void>,
  ): Promise<Reservation>;
  private transition(
    id: string,
    to: 'released',
    effect: (tx: Queryable) => Promise<void>,
    onlyIfExpired: true,
  ): Promise<Reservation | undefined>;
  private transition(
    id: string,
    to: 'committed' | 'released',
    effect: (tx: Queryable) => Promise<void>,
    onlyIfExpired = false,
  ): Promise<Reservation | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ status: ReservationStatus; expired: boolean }>(
        'SELECT status, expires_at < now() AS expired FROM reservations WHERE id = $1 FOR UPDATE',
        [id],
      );
      const status = rows[0]?.status;
      if (!status) throw new NotFoundError(`reservation ${id}`);
      // The sweeper lost a race with a commit or release: nothing to do.
      if (onlyIfExpired && (status !== 'reserved' || !rows[0]!.expired)) return undefined;
      if (status !== to) {
        if (status !== 'reserved')
          throw new InvalidTransitionError(`reservation ${id} is ${status}; it cannot be ${to}`);
        await effect(tx);
        await tx.query(
          `UPDATE reservations SET status = $2, updated_at = date_trunc('milliseconds', now()) WHERE id = $1`,
          [id, to],
        );
      }
      return (await this.load(tx, id)).reservation;
    });
  }

  private async load(q: Queryable, id: string): Promise<{ reservation: Reservation; hash: string }> {
    const { rows } = await q.query<ReservationRow>(
      'SELECT id, status, request_hash, created_at, updated_at, expires_at FROM reservations WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError(`reservation ${id}`);
    const items = await q.query<{ product_id: string; quantity: number }>(
      'SELECT product_id, quantity FROM reservation_items WHERE reservation_id = $1 ORDER BY product_id',
      [id],
    );
    return {
      hash: row.request_hash,
      reservation: {
        id: row.id,
        status: row.status,
        items: items.rows.map((i) => ({ productId: i.product_id, quantity: i.quantity })),
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
      },
    };
  }
}
