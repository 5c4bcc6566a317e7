// Keyset pagination cursors for the product list, bound to its sort and filters (the codec is the
// runtime's, shared with order-api).
import {
  CursorError,
  decodeCursor as decode,
  encodeCursor as encode,
  type CursorPosition,
} from '@techcommerce/runtime';
import { BadCursorError } from './errors';
import type { ListQuery } from './types';

export type { CursorPosition };

const filterKey = (q: ListQuery) => `${q.sort}|${q.category ?? ''}|${q.q ?? ''}`;

export const encodeCursor = (q: ListQuery, pos: CursorPosition): string => encode(filterKey(q), pos);

export function decodeCursor(q: ListQuery, cursor: string): CursorPosition {
  try {
    return decode(
      filterKey(q),
      cursor,
      'cursor belongs to a different sort, category or search: start again without it',
    );
  } catch (err) {
    throw err instanceof CursorError ? new BadCursorError(err.message) : err;
  }
}
