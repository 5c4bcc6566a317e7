// Order storage: plain SQL that runs unchanged on PostgreSQL and PGlite. Every state change is a
// compare-and-set (UPDATE … WHERE status/stock are what the caller saw): concurrent requests,
// replicas and the reconciler can race, and exactly one of them wins each transition. The
// statements of every order (insert, confirm, look-ups) are named, so PostgreSQL plans them once
// per connection.
import { statement, type Db } from '@techcommerce/runtime';
import type {
  Address,
  Contact,
  OrderFailure,
  OrderLine,
  OrderStatus,
  RequestedItem,
  StockStatus,
  StoredOrder,
} from '../domain/types';

interface OrderRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  customer_id: string;
  status: OrderStatus;
  stock: StockStatus;
  currency: string | null;
  total_minor: string | number | bigint | null;
  items: OrderLine[] | string;
  contact: Contact | string | null;
  shipping_address: Address | string | null;
  failure: OrderFailure | string | null;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
}

const COLUMNS =
  'id, idempotency_key, request_hash, customer_id, status, stock, currency, total_minor, items, contact, ' +
  'shipping_address, failure, created_at, updated_at, confirmed_at, cancelled_at';

const NOW = `date_trunc('milliseconds', now())`;
/** A SET value meaning "the transaction's time", not a parameter. */
const SQL_NOW = Symbol('now');

// pg parses jsonb; a driver that hands back text gets it parsed here.
const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function toOrder(r: OrderRow): StoredOrder {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    customerId: r.customer_id,
    status: r.status,
    stockStatus: r.stock,
    currency: r.currency,
    // bigint arrives as a string (pg) or a BigInt; totals stay far below 2^53.
    totalMinor: r.total_minor === null ? null : Number(r.total_minor),
    // jsonb keeps its own key order; the API's is fixed. Unpriced lines store only id and quantity.
    items: (json(r.items) ?? []).map((l) => ({
      productId: l.productId,
      sku: l.sku ?? null,
      name: l.name ?? null,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor ?? null,
      lineTotalMinor: l.lineTotalMinor ?? null,
    })),
    contact: json(r.contact),
    shippingAddress: json(r.shipping_address),
    failure: json(r.failure),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    confirmedAt: r.confirmed_at?.toISOString() ?? null,
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
  };
}

/** A pending order: recorded before product-api is asked, so its lines are not priced yet. */
export interface NewOrder {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  customerId: string;
  items: RequestedItem[];
  contact?: Contact;
  shippingAddress?: Address;
}

/** What confirming an order records: its lines as product-api priced them. */
export interface Pricing {
  items: OrderLine[];
  currency: string;
  totalMinor: number;
}

const INSERT_PENDING = statement(
  'orders.insert-pending',
  `INSERT INTO orders (id, idempotency_key, request_hash, customer_id, status, stock, items, contact,
                       shipping_address)
   VALUES ($1, $2, $3, $4, 'pending', 'none', $5::jsonb, $6::jsonb, $7::jsonb)
   ON CONFLICT (idempotency_key) DO NOTHING RETURNING created_at`,
);
const FIND_BY_KEY = statement(
  'orders.find-by-key',
  `SELECT ${COLUMNS} FROM orders WHERE idempotency_key = $1`,
);
const GET = statement('orders.get', `SELECT ${COLUMNS} FROM orders WHERE id = $1`);
const CONFIRM = statement(
  'orders.confirm',
  `UPDATE orders SET status = 'confirmed', stock = $2, items = $3::jsonb, currency = $4, total_minor = $5,
                     confirmed_at = ${NOW}, updated_at = ${NOW}
   WHERE id = $1 AND status = 'pending' AND stock = 'none' RETURNING updated_at`,
);

export interface ListOptions {
  limit: number;
  status?: OrderStatus;
  /** Rows strictly after this (created_at, id), newest first. */
  after?: { createdAt: string; id: string };
}

export class OrderStore {
  constructor(private readonly db: Db) {}

  /** Inserts a pending order; if the key is taken (a concurrent retry), returns that order instead. */
  async insertPending(o: NewOrder): Promise<{ order: StoredOrder; inserted: boolean }> {
    // Only the timestamp comes back: the rest is what was just written (the hot path of every order).
    const { rows } = await this.db.query<{ created_at: Date }>(INSERT_PENDING, [
      o.id,
      o.idempotencyKey,
      o.requestHash,
      o.customerId,
      // Only id and quantity: the rest of a line is null until priced.
      JSON.stringify(o.items.map((i) => ({ productId: i.productId, quantity: i.quantity }))),
      o.contact ? JSON.stringify(o.contact) : null,
      o.shippingAddress ? JSON.stringify(o.shippingAddress) : null,
    ]);
    if (rows[0]) {
      const at = rows[0].created_at.toISOString();
      const order: StoredOrder = {
        id: o.id,
        idempotencyKey: o.idempotencyKey,
        requestHash: o.requestHash,
        customerId: o.customerId,
        status: 'pending',
        stockStatus: 'none',
        currency: null,
        totalMinor: null,
        items: o.items.map((i) => ({
          productId: i.productId,
          sku: null,
          name: null,
          quantity: i.quantity,
          unitPriceMinor: null,
          lineTotalMinor: null,
        })),
        contact: o.contact ?? null,
        shippingAddress: o.shippingAddress ?? null,
        failure: null,
        createdAt: at,
        updatedAt: at,
        confirmedAt: null,
        cancelledAt: null,
      };
      return { order, inserted: true };
    }
    const existing = await this.findByKey(o.idempotencyKey);
    if (!existing)
      throw new Error(`order with idempotency key ${o.idempotencyKey} vanished after a conflict`);
    return { order: existing, inserted: false };
  }

  async findByKey(key: string): Promise<StoredOrder | undefined> {
    const { rows } = await this.db.query<OrderRow>(FIND_BY_KEY, [key]);
    return rows[0] && toOrder(rows[0]);
  }

  async get(id: string): Promise<StoredOrder | undefined> {
    const { rows } = await this.db.query<OrderRow>(GET, [id]);
    return rows[0] && toOrder(rows[0]);
  }

  /** A customer's orders, newest first; one row more than the limit tells whether a page follows. */
  async list(customerId: string, o: ListOptions): Promise<StoredOrder[]> {
    const params: unknown[] = [customerId];
    const where = ['customer_id = $1'];
    if (o.status) {
      params.push(o.status);
      where.push(`status = $${params.length}`);
    }
    if (o.after) {
      params.push(o.after.createdAt, o.after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const { rows } = await this.db.query<OrderRow>(
      `SELECT ${COLUMNS} FROM orders WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT ${o.limit + 1}`,
      params,
    );
    return rows.map(toOrder);
  }

  /**
   * pending → confirmed with the lines as product-api priced them, once it holds the stock:
   * `committed`, or `committing` if it only reserved it (the reconciler commits it then).
   */
  async confirm(
    order: StoredOrder,
    p: Pricing,
    stock: 'committed' | 'committing',
  ): Promise<StoredOrder | undefined> {
    const { rows } = await this.db.query<{ updated_at: Date }>(CONFIRM, [
      order.id,
      stock,
      JSON.stringify(p.items),
      p.currency,
      p.totalMinor,
    ]);
    if (!rows[0]) return undefined;
    // Nothing else of a pending order changes; no need to read it back.
    const at = rows[0].updated_at.toISOString();
    return {
      ...order,
      status: 'confirmed',
      stockStatus: stock,
      items: p.items,
      currency: p.currency,
      totalMinor: p.totalMinor,
      updatedAt: at,
      confirmedAt: at,
    };
  }

  /** pending → failed. stock 'releasing' when a reservation may exist and must be given back. */
  fail(id: string, failure: OrderFailure, stock: 'none' | 'releasing'): Promise<StoredOrder | undefined> {
    return this.update(id, { status: ['pending'], stock: ['none'] }, { status: 'failed', stock, failure });
  }

  /** A pending or confirmed order → cancelled, its stock (whatever product-api holds) to be released. */
  cancel(id: string): Promise<StoredOrder | undefined> {
    return this.update(
      id,
      { status: ['pending', 'confirmed'] },
      { status: 'cancelled', stock: 'releasing', cancelled_at: SQL_NOW },
    );
  }

  /** Moves the stock state from one of `from` to `to`, whatever the order's status. */
  moveStock(id: string, from: StockStatus[], to: StockStatus): Promise<StoredOrder | undefined> {
    return this.update(id, { stock: from }, { stock: to });
  }

  /** Orders whose stock is only reserved: confirmed by the earlier version, to be committed. */
  reservedOnly(limit: number): Promise<string[]> {
    return this.ids(`stock = 'reserved'`, [], limit);
  }

  /** Orders whose commit or release was started at least `seconds` ago and not finished. */
  unfinishedStock(stock: 'committing' | 'releasing', seconds: number, limit: number): Promise<string[]> {
    return this.ids(
      `stock = $1 AND updated_at <= now() - make_interval(secs => $2)`,
      [stock, seconds],
      limit,
    );
  }

  /** Pending for longer than `seconds`: the client gave up while product-api was unreachable. */
  abandoned(seconds: number, limit: number): Promise<string[]> {
    return this.ids(
      `status = 'pending' AND created_at <= now() - make_interval(secs => $1)`,
      [seconds],
      limit,
    );
  }

  private async update(
    id: string,
    expect: { status?: OrderStatus[]; stock?: StockStatus[] },
    set: Partial<Record<'status' | 'stock' | 'failure' | 'cancelled_at', unknown>>,
  ): Promise<StoredOrder | undefined> {
    const params: unknown[] = [id];
    const assignments = Object.entries(set).map(([column, value]) => {
      if (value === SQL_NOW) return `${column} = ${NOW}`;
      params.push(column === 'failure' ? JSON.stringify(value) : value);
      return `${column} = $${params.length}${column === 'failure' ? '::jsonb' : ''}`;
    });
    assignments.push(`updated_at = ${NOW}`);
    const where = ['id = $1'];
    if (expect.status) {
      params.push(expect.status);
      where.push(`status = ANY($${params.length}::text[])`);
    }
    if (expect.stock) {
      params.push(expect.stock);
      where.push(`stock = ANY($${params.length}::text[])`);
    }
    const { rows } = await this.db.query<OrderRow>(
      `UPDATE orders SET ${assignments.join(', ')} WHERE ${where.join(' AND ')} RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0] && toOrder(rows[0]);
  }

  private async ids(condition: string, params: unknown[], limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE ${condition} ORDER BY updated_at LIMIT ${Math.trunc(limit)}`,
      params,
    );
    return rows.map((r) => r.id);
  }
}
