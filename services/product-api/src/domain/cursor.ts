// Keyset pagination cursors: opaque to clients (base64url JSON), bound to the sort and filters they
// came from so a cursor reused with another query is refused instead of skipping rows.
import { BadCursorError } from './errors';
import type { ListQuery } from './types';

export interface CursorPosition {
  /** The last row's sort value (name, price or createdAt). */
  value: string | number;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const filterKey = (q: ListQuery) => `${q.sort}|${q.category ?? ''}|${q.q ?? ''}`;

export function encodeCursor(q: ListQuery, pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ k: filterKey(q), v: pos.value, id: pos.id })).toString('base64url');
}

export function decodeCursor(q: ListQuery, cursor: string): CursorPosition {
  let data: { k?: unknown; v?: unknown; id?: unknown };
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof data;
  } catch {
    throw new BadCursorError('cursor is malformed: pass nextCursor from a previous page unchanged');
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof data.id !== 'string' ||
    !UUID.test(data.id) ||
    (typeof data.v !== 'string' && typeof data.v !== 'number')
  ) {
    throw new BadCursorError('cursor is malformed: pass nextCursor from a previous page unchanged');
  }
  if (data.k !== filterKey(q)) {
    throw new BadCursorError(
      'cursor belongs to a different sort, category or search: start again without it',
    );
  }
  return { value: data.v, id: data.id };
}
