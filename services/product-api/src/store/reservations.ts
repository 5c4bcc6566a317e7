// Stock reservations. Each operation is one transaction: a new reservation is one call of the
// reserve_stock function (migrations/005_reserve_function.sql), the rest are statements here. The
// reservation row is locked first (or its id checked), then the product rows in id order, so
// concurrent operations queue per reservation and per product, never oversell, never give stock
// back twice, and never deadlock on each other. The stock >= 0 CHECK backs this up.
//
// Life of a reservation: reserved -> committed (the order was placed) -> released (cancelled: the
// stock goes back), or reserved -> released (never placed, or expired). A reservation can be made
// committed at once. Releasing an id that was never reserved records it as released, so a
// reservation that arrives later under that id (a request that lost a race with a cancel) takes
// no stock.
import { createHash } from 'node:crypto';
import { statement, type Db, type Queryable } from '@techcommerce/runtime';
import {
  InsufficientStockError,
  InvalidTransitionError,
  NotFoundError,
  ReservationConflictError,
  UnknownProductsError,
  type Shortage,
} from '../domain/errors';
import type { RequestedItem, Reservation, ReservationItem, ReservationStatus } from '../domain/types';

/** Whether the request made the reservation (false: it existed, and is returned as it is). */
export type ReserveOutcome = { reservation: Reservation; replayed: boolean };

/**
 * What a release did: released (reserved stock given back), returned (committed stock given
 * back), unchanged (it was released already), absent (no such reservation: recorded as released).
 */
export type ReleaseEffect = 'released' | 'returned' | 'unchanged' | 'absent';
export type ReleaseOutcome = { reservation: Reservation; effect: ReleaseEffect };

// request_hash of an id released before anything was reserved under it: matches no request.
const TOMBSTONE = '';

const MS = `date_trunc('milliseconds', now())`;

const INSERT_TOMBSTONE = statement(
  'reservations.insert-tombstone',
  `INSERT INTO reservations (id, status, request_hash, expires_at)
   VALUES ($1, 'released', '${TOMBSTONE}', ${MS})
   ON CONFLICT (id) DO NOTHING RETURNING created_at, updated_at, expires_at`,
);
const PURGE_TOMBSTONES = statement(
  'reservations.purge-tombstones',
  `DELETE FROM reservations WHERE id IN (
     SELECT id FROM reservations
     WHERE status = 'released' AND request_hash = '${TOMBSTONE}'
       AND updated_at < now() - make_interval(hours => $1::integer)
     ORDER BY updated_at LIMIT $2)`,
);
// A new reservation in one round trip: migrations/005_reserve_function.sql says why and how.
const RESERVE = statement(
  'reservations.reserve',
  'SELECT * FROM reserve_stock($1, $2, $3, $4, $5::uuid[], $6::integer[])',
);
const LOAD_COLUMNS = `r.id, r.status, r.request_hash, r.created_at, r.updated_at, r.expires_at,
  r.expires_at < now() AS expired,
  i.product_id, i.quantity, i.sku, i.name, i.price_minor, i.currency
  FROM reservations r LEFT JOIN reservation_items i ON i.reservation_id = r.id
  WHERE r.id = $1 ORDER BY i.product_id`;
const LOAD = statement('reservations.load', `SELECT ${LOAD_COLUMNS}`);
const LOAD_FOR_UPDATE = statement('reservations.load-for-update', `SELECT ${LOAD_COLUMNS} FOR UPDATE OF r`);
const SET_STATUS = statement(
  'reservations.set-status',
  `UPDATE reservations SET status = $2, updated_at = ${MS} WHERE id = $1 RETURNING updated_at`,
);
const LOCK_RESERVED_PRODUCTS = statement(
  'reservations.lock-reserved-products',
  `SELECT p.id FROM products p JOIN reservation_items r ON r.product_id = p.id
   WHERE r.reservation_id = $1 ORDER BY p.id FOR UPDATE OF p`,
);
const RETURN_STOCK = statement(
  'reservations.return-stock',
  `UPDATE products p SET stock = p.stock + r.quantity, updated_at = ${MS}
   FROM reservation_items r WHERE r.reservation_id = $1 AND p.id = r.product_id`,
);

interface Stamps {
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
}

interface LoadRow extends Stamps {
  id: string;
  status: ReservationStatus;
  request_hash: string;
  expired: boolean;
  product_id: string | null;
  quantity: number | null;
  sku: string | null;
  name: string | null;
  price_minor: number | null;
  currency: string | null;
}

interface ReserveRow extends Stamps {
  outcome: 'reserved' | 'unknown' | 'short' | 'exists';
  product_id: string;
  quantity: number;
  sku: string;
  name: string;
  price_minor: number;
  currency: string;
  available: number;
}

interface Loaded {
  reservation: Reservation;
  hash: string;
  expired: boolean;
}

/** Same items in any order give the same hash: a retry is recognised as the same request. */
export function requestHash(items: RequestedItem[]): string {
  const canonical = [...items]
    .sort((a, b) => (a.productId < b.productId ? -1 : 1))
    .map((i) => [i.productId, i.quantity]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

const reservationOf = (
  id: string,
  status: ReservationStatus,
  items: ReservationItem[],
  s: Stamps,
): Reservation => ({
  id,
  status,
  items,
  createdAt: s.created_at.toISOString(),
  updatedAt: s.updated_at.toISOString(),
  expiresAt: s.expires_at.toISOString(),
});

export class ReservationStore {
  /** ttlSeconds: how long a reservation may stay neither committed nor released. */
  constructor(
    private readonly db: Db,
    private readonly ttlSeconds = 900,
  ) {}

  /**
   * All items or none, `commit`: committed at once. A retry with the same id and items returns the
   * existing reservation (committing it if asked to and it is only reserved).
   */
  async reserve(
    id: string,
    requested: RequestedItem[],
    o: { commit?: boolean } = {},
  ): Promise<ReserveOutcome> {
    // PostgreSQL prints uuids in lower case; compare and hash them the same way.
    const sorted = requested
      .map((i) => ({ productId: i.productId.toLowerCase(), quantity: i.quantity }))
      .sort((a, b) => (a.productId < b.productId ? -1 : 1));
    const hash = requestHash(sorted);
    const status: ReservationStatus = o.commit ? 'committed' : 'reserved';
    const { rows } = await this.db.query<ReserveRow>(RESERVE, [
      id,
      hash,
      status,
      this.ttlSeconds,
      sorted.map((i) => i.productId),
      sorted.map((i) => i.quantity),
    ]);
    const first = rows[0]!;
    if (first.outcome === 'exists')
      return this.db.transaction((tx) => this.replay(tx, id, hash, o.commit ?? false));
    const unknown = rows.filter((r) => r.outcome === 'unknown').map((r) => r.product_id);
    if (unknown.length) throw new UnknownProductsError(unknown);
    if (first.outcome === 'short') {
      throw new InsufficientStockError(
        rows.map((r): Shortage => ({
          productId: r.product_id,
          sku: r.sku,
          name: r.name,
          requested: r.quantity,
          available: r.available,
        })),
      );
    }
    const items = rows.map((r): ReservationItem => ({
      productId: r.product_id,
      quantity: r.quantity,
      sku: r.sku,
      name: r.name,
      priceMinor: r.price_minor,
      currency: r.currency,
    }));
    return { reservation: reservationOf(id, status, items, first), replayed: false };
  }

  async get(id: string): Promise<Reservation> {
    const loaded = await this.load(this.db, id);
    if (!loaded) throw new NotFoundError(`reservation ${id}`);
    return loaded.reservation;
  }

  /** The stock stays taken for good. Committing twice is fine; committing a released one is not. */
  commit(id: string): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, id, true);
      if (!loaded) throw new NotFoundError(`reservation ${id}`);
      const { reservation } = loaded;
      if (reservation.status === 'released')
        throw new InvalidTransitionError(`reservation ${id} is released; it cannot be committed`);
      if (reservation.status === 'committed') return reservation;
      return this.setStatus(tx, reservation, 'committed');
    });
  }

  /**
   * The stock goes back, whether the reservation was only reserved or already committed (a
   * cancelled order). Releasing again changes nothing. An unknown id is recorded as released.
   */
  release(id: string): Promise<ReleaseOutcome> {
    return this.db.transaction(async (tx) => {
      let loaded = await this.load(tx, id, true);
      if (!loaded) {
        const tomb = await tx.query<Stamps>(INSERT_TOMBSTONE, [id]);
        if (tomb.rows[0])
          return { reservation: reservationOf(id, 'released', [], tomb.rows[0]), effect: 'absent' };
        // A reservation under this id was made meanwhile (the insert waited for it): release that.
        loaded = (await this.load(tx, id, true))!;
      }
      const { reservation } = loaded;
      if (reservation.status === 'released') return { reservation, effect: 'unchanged' };
      await this.returnStock(tx, id);
      return {
        reservation: await this.setStatus(tx, reservation, 'released'),
        effect: reservation.status === 'committed' ? 'returned' : 'released',
      };
    });
  }

  /**
   * Releases reservations whose expiry has passed (oldest first, at most `limit`). Safe on several
   * replicas at once: each release locks its row and re-checks the status and expiry.
   */
  async releaseExpired(limit = 100): Promise<Reservation[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM reservations WHERE status = 'reserved' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
      [limit],
    );
    const released: Reservation[] = [];
    for (const { id } of rows) {
      const r = await this.db.transaction(async (tx) => {
        const loaded = await this.load(tx, id, true);
        // A commit or release got there first: nothing to do.
        if (!loaded || loaded.reservation.status !== 'reserved' || !loaded.expired) return undefined;
        await this.returnStock(tx, id);
        return this.setStatus(tx, loaded.reservation, 'released');
      });
      if (r) released.push(r);
    }
    return released;
  }

  /**
   * Deletes tombstones (ids released before anything was reserved under them) older than
   * `retentionHours`, at most `limit` per call; returns how many went. A reservation retried after
   * that could take stock a cancel already gave up on, so the retention is far above any retry.
   */
  async purgeTombstones(retentionHours: number, limit = 1000): Promise<number> {
    const { rowCount } = await this.db.query(PURGE_TOMBSTONES, [retentionHours, limit]);
    return rowCount ?? 0;
  }

  /** As a retried PUT sees it: the existing reservation, if the request is the same. */
  private async replay(tx: Queryable, id: string, hash: string, commit: boolean): Promise<ReserveOutcome> {
    const existing = (await this.load(tx, id, true))!;
    const { reservation } = existing;
    // Released before it was made (a cancel won the race): the caller sees it released.
    if (existing.hash === TOMBSTONE) return { reservation, replayed: true };
    if (existing.hash !== hash)
      throw new ReservationConflictError(`reservation ${id} already exists with different items`);
    if (commit && reservation.status === 'reserved')
      return { reservation: await this.setStatus(tx, reservation, 'committed'), replayed: true };
    return { reservation, replayed: true };
  }

  private async setStatus(tx: Queryable, r: Reservation, status: ReservationStatus): Promise<Reservation> {
    const { rows } = await tx.query<{ updated_at: Date }>(SET_STATUS, [r.id, status]);
    return { ...r, status, updatedAt: rows[0]!.updated_at.toISOString() };
  }

  private async returnStock(tx: Queryable, id: string): Promise<void> {
    await tx.query(LOCK_RESERVED_PRODUCTS, [id]);
    await tx.query(RETURN_STOCK, [id]);
  }

  /** The reservation and its items in one query; `lock` locks the reservation row. */
  private async load(q: Queryable, id: string, lock = false): Promise<Loaded | undefined> {
    const { rows } = await q.query<LoadRow>(lock ? LOAD_FOR_UPDATE : LOAD, [id]);
    const first = rows[0];
    if (!first) return undefined;
    const items = rows
      .filter((r) => r.product_id !== null)
      .map((r): ReservationItem => ({
        productId: r.product_id!,
        quantity: r.quantity!,
        sku: r.sku,
        name: r.name,
        priceMinor: r.price_minor,
        currency: r.currency,
      }));
    return {
      hash: first.request_hash,
      expired: first.expired,
      reservation: reservationOf(first.id, first.status, items, first),
    };
  }
}
