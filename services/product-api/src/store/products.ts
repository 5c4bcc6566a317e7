// Catalog storage: plain SQL that runs unchanged on PostgreSQL and PGlite.
import { randomUUID } from 'node:crypto';
import { PgCode, pgErrorCode, type Db, type Queryable } from '@techcommerce/runtime';
import { decodeCursor, encodeCursor } from '../domain/cursor';
import {
  DuplicateSkuError,
  NotFoundError,
  PreconditionFailedError,
  StockBelowZeroError,
} from '../domain/errors';
import type {
  CategorySummary,
  ListQuery,
  NewProduct,
  Product,
  ProductPage,
  ProductPatch,
  ProductVersion,
  Sort,
} from '../domain/types';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price_minor: number;
  currency: string;
  stock: number;
  created_at: Date;
  updated_at: Date;
}

export const PRODUCT_COLUMNS =
  'id, sku, name, description, category, price_minor, currency, stock, created_at, updated_at';

export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    category: r.category,
    priceMinor: r.price_minor,
    currency: r.currency,
    stock: r.stock,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

// Column, its cast for cursor parameters, direction, and how to read the cursor value from a product.
const SORT_SQL: Record<
  Sort,
  { column: string; cast: string; desc: boolean; value: (p: Product) => string | number }
> = {
  name: { column: 'name', cast: 'text', desc: false, value: (p) => p.name },
  '-name': { column: 'name', cast: 'text', desc: true, value: (p) => p.name },
  price: { column: 'price_minor', cast: 'integer', desc: false, value: (p) => p.priceMinor },
  '-price': { column: 'price_minor', cast: 'integer', desc: true, value: (p) => p.priceMinor },
  createdAt: { column: 'created_at', cast: 'timestamptz', desc: false, value: (p) => p.createdAt },
  '-createdAt': { column: 'created_at', cast: 'timestamptz', desc: true, value: (p) => p.createdAt },
};

/** Text for ILIKE that matches literally: %, _ and \ lose their special meaning. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const FIELD_COLUMNS: Record<keyof NewProduct, string> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  category: 'category',
  priceMinor: 'price_minor',
  currency: 'currency',
  stock: 'stock',
};

export class ProductStore {
  constructor(private readonly db: Db) {}

  async list(q: ListQuery): Promise<ProductPage> {
    const sort = SORT_SQL[q.sort];
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.category) where.push(`category = ${param(q.category)}`);
    if (q.q) {
      const p = param(likePattern(q.q));
      where.push(`(name ILIKE ${p} OR description ILIKE ${p} OR sku ILIKE ${p})`);
    }
    if (q.cursor) {
      const pos = decodeCursor(q, q.cursor);
      where.push(
        `(${sort.column}, id) ${sort.desc ? '<' : '>'} (${param(pos.value)}::${sort.cast}, ${param(pos.id)}::uuid)`,
      );
    }
    const dir = sort.desc ? 'DESC' : 'ASC';
    const sql =
      `SELECT ${PRODUCT_COLUMNS} FROM products` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY ${sort.column} ${dir}, id ${dir} LIMIT ${q.limit + 1}`;
    const { rows } = await this.db.query<ProductRow>(sql, params);
    const items = rows.slice(0, q.limit).map(toProduct);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > q.limit && last ? encodeCursor(q, { value: sort.value(last), id: last.id }) : null;
    return { items, nextCursor };
  }

  async get(id: string): Promise<Product> {
    const { rows } = await this.db.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1`,
      [id],
    );
    if (!rows[0]) throw new NotFoundError(`product ${id}`);
    return toProduct(rows[0]);
  }

  async categories(): Promise<CategorySummary[]> {
    const { rows } = await this.db.query<{ category: string; products: number }>(
      'SELECT category, count(*)::integer AS products FROM products GROUP BY category ORDER BY category',
    );
    return rows;
  }

  async count(tx: Queryable = this.db): Promise<number> {
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::integer AS n FROM products');
    return rows[0]?.n ?? 0;
  }

  async create(p: NewProduct, tx: Queryable = this.db): Promise<Product> {
    try {
      const { rows } = await tx.query<ProductRow>(
        `INSERT INTO products (id, sku, name, description, category, price_minor, currency, stock)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${PRODUCT_COLUMNS}`,
        [randomUUID(), p.sku, p.name, p.description ?? '', p.category, p.priceMinor, p.currency, p.stock],
      );
      return toProduct(rows[0]!);
    } catch (err) {
      if (pgErrorCode(err) === PgCode.uniqueViolation) throw new DuplicateSkuError(p.sku);
      throw err;
    }
  }

  /**
   * `stockDelta` is added in the statement (never read-then-write); `ifMatch` makes the update
   * conditional on the product still being that version (PreconditionFailedError otherwise).
   */
  async update(id: string, patch: ProductPatch, ifMatch?: ProductVersion): Promise<Product> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    for (const [field, column] of Object.entries(FIELD_COLUMNS) as [keyof NewProduct, string][]) {
      if (patch[field] === undefined) continue;
      sets.push(`${column} = ${param(patch[field])}`);
    }
    if (patch.stockDelta !== undefined) sets.push(`stock = stock + ${param(patch.stockDelta)}::integer`);
    sets.push(`updated_at = date_trunc('milliseconds', now())`);
    const condition = ifMatch
      ? ` AND updated_at = ${param(ifMatch.updatedAt)}::timestamptz AND stock = ${param(ifMatch.stock)}::integer`
      : '';
    try {
      const { rows } = await this.db.query<ProductRow>(
        `UPDATE products SET ${sets.join(', ')} WHERE id = $1${condition} RETURNING ${PRODUCT_COLUMNS}`,
        params,
      );
      if (rows[0]) return toProduct(rows[0]);
      if (ifMatch) await this.get(id); // NotFoundError when it is gone
      if (ifMatch) throw new PreconditionFailedError(`product ${id} changed since that version was read`);
      throw new NotFoundError(`product ${id}`);
    } catch (err) {
      if (pgErrorCode(err) === PgCode.uniqueViolation && patch.sku) throw new DuplicateSkuError(patch.sku);
      if (pgErrorCode(err) === PgCode.checkViolation && patch.stockDelta !== undefined)
        throw new StockBelowZeroError(`stockDelta ${patch.stockDelta} would take the stock of ${id} below 0`);
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    const { rowCount } = await this.db.query('DELETE FROM products WHERE id = $1', [id]);
    if (rowCount === 0) throw new NotFoundError(`product ${id}`);
  }
}
