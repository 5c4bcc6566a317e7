// Keyset pagination cursors for the product list, bound to its sort and filters (the codec is the
// runtime's, shared with order-api).
import {
  CursorError,
  decodeCursor as decode,
  encodeCursor as encode,
  type CursorPosition,
  type CursorValueKind,
} from '@techcommerce/runtime';
import { BadCursorError } from './errors';
import type { ListQuery, Sort } from './types';

export type { CursorPosition };

/** What each sort's cursor value is compared as in SQL (store/products.ts casts it so). */
export const SORT_VALUE_KIND: Record<Sort, CursorValueKind> = {
  name: 'text',
  '-name': 'text',
  price: 'integer',
  '-price': 'integer',
  createdAt: 'timestamp',
  '-createdAt': 'timestamp',
};

const filterKey = (q: ListQuery) => `${q.sort}|${q.category ?? ''}|${q.q ?? ''}`;

export const encodeCursor = (q: ListQuery, pos: CursorPosition): string => encode(filterKey(q), pos);

export function decodeCursor(q: ListQuery, cursor: string): CursorPosition {
  try {
    return decode(
      filterKey(q),
      cursor,
      SORT_VALUE_KIND[q.sort],
      'cursor belongs to a different sort, category or search: start again without it',
    );
  } catch (err) {
    throw err instanceof CursorError ? new BadCursorError(err.message) : err;
  }
}
