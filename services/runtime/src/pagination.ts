// Keyset pagination cursors: opaque to clients (base64url JSON), bound to the query they came
// from (its `scope`: sort, filters, owner), so a cursor reused with another query is refused
// instead of silently skipping or repeating rows. Row ids are UUIDs.
import { hasControlCharacter } from './http/input';
export interface CursorPosition {
  /** The last row's sort value (a name, a price, a timestamp). */
  value: string | number;
  id: string;
}

/** The cursor is malformed or belongs to another query; the message is for the client. */
export class CursorError extends Error {}

/**
 * The SQL type the cursor's value is compared as. The value is checked against it before any
 * SQL runs, so a forged cursor is a 400 here, not a failed cast (22P02, 22007) in the database.
 */
export type CursorValueKind = 'text' | 'integer' | 'timestamp';

// PostgreSQL's integer, and the ISO form the services write (toISOString) with an optional offset.
const INT4 = { min: -2147483648, max: 2147483647 };
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_TEXT = 1000;

function valueFits(kind: CursorValueKind, v: unknown): boolean {
  switch (kind) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT4.min && v <= INT4.max;
    case 'timestamp':
      return typeof v === 'string' && ISO_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
    case 'text':
      return typeof v === 'string' && v.length <= MAX_TEXT && !hasControlCharacter(v);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MALFORMED = 'cursor is malformed: pass nextCursor from a previous page unchanged';

export function encodeCursor(scope: string, pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ k: scope, v: pos.value, id: pos.id })).toString('base64url');
}

export function decodeCursor(
  scope: string,
  cursor: string,
  kind: CursorValueKind,
  mismatch = 'cursor belongs to a different query: start again without it',
): CursorPosition {
  let data: { k?: unknown; v?: unknown; id?: unknown };
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof data;
  } catch {
    throw new CursorError(MALFORMED);
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    typeof data.id !== 'string' ||
    !UUID.test(data.id) ||
    (typeof data.v !== 'string' && typeof data.v !== 'number')
  ) {
    throw new CursorError(MALFORMED);
  }
  if (data.k !== scope) throw new CursorError(mismatch);
  if (!valueFits(kind, data.v)) throw new CursorError(MALFORMED);
  return { value: data.v as string | number, id: data.id };
}
